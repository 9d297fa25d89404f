"""The demo's networks: GR's four education networks and Skaraborg's Nätverket IM, with
members, the real notes imported as past meetings, and a planned next meeting each."""

from likvard.networks.demo.build import NetworksDemo, networks_demo_ensure

__all__ = ["NetworksDemo", "networks_demo_ensure"]
