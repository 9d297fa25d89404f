"""Fixtures for the networks tests: the real notes; GR's networks with a secretary and member."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from likvard.networks.models import MembershipRole, Network
from tests.app.conftest import World
from tests.conftest import REPO, skip_or_fail
from tests.factories.networks import gr_networks, member


@pytest.fixture(scope="session")
def notes_dir() -> Path:
    """The shared real notes (../shared/notes); skip locally, fail in CI, when absent."""
    base = Path(os.environ.get("LIKVARD_SHARED_DIR", REPO.parent / "shared"))
    if not (base / "notes").is_dir():
        skip_or_fail(f"../shared/notes absent: {base / 'notes'}")
    return base / "notes"


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
