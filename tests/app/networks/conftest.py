"""Fixtures for the networks tests: the real notes; GR's networks with a secretary and member."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from likvard.networks.models import MembershipRole, Network
from tests.app.conftest import World
from tests.factories.networks import gr_networks, member


@dataclass
class NetworkWorld:
    world: World
    networks: dict[str, Network]

    @property
    def gymnasie(self) -> Network:
        return self.networks["gymnasienatverket"]

    @property
    def kvalitet(self) -> Network:
        return self.networks["kvalitetsnatverket"]


@pytest.fixture
def nets(world: World, settings, tmp_path) -> NetworkWorld:
    """GR's networks; the secretary writes Gymnasienätverket's notes, the member sits in it."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    networks = gr_networks(world.region)
    member(
        networks["gymnasienatverket"], world.users["network_secretary"], MembershipRole.SECRETARY
    )
    member(networks["gymnasienatverket"], world.users["network_member"])
    return NetworkWorld(world, networks)
