"""Fixtures for the analytics tests: snapshots over in-memory Arrow fact tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pyarrow as pa
import pytest

from likvard_core.warehouse.snapshot import Snapshot

SnapshotFactory = Callable[[Mapping[str, pa.Table]], Snapshot]


@pytest.fixture(scope="session")
def make_snapshot() -> SnapshotFactory:
    """Build a snapshot (version ``"test"``) from a mapping of fact-table name to Arrow table."""

    def build(tables: Mapping[str, pa.Table]) -> Snapshot:
        return Snapshot.from_tables(dict(tables), version="test")

    return build
