"""Fixtures for the quality tests."""

from __future__ import annotations

import pytest

from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.quality.tiny_warehouse import tiny_tables


@pytest.fixture
def tiny() -> Snapshot:
    """A snapshot over the tiny hand-built warehouse (``tiny_warehouse.tiny_tables``)."""
    return Snapshot.from_tables(tiny_tables(), version="tiny")
