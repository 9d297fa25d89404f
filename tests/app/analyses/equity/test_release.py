"""Leak 2 of issue #15: a pattern's students are the sum of its years; released as one cube."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard.access.policy import ANONYMOUS
from likvard.access.release import release
from likvard.analyses.equity.services import released_together
from likvard_core.analytics.equity.kept import kept_units_slice
from likvard_core.warehouse.derived import Filter, derived_table
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.population import SchoolSpec, grade_tables

UNIT = "60000000"
SIZES = {2022: 14, 2023: 12, 2024: 6, 2025: 15, 2026: 13}  # 2024 is below the minimum of 10


def _tables() -> dict[str, pa.Table]:
    parts = [
        grade_tables(
            [SchoolSpec(UNIT, size), *(SchoolSpec(f"6100000{i}", 60) for i in range(5))],
            [year],
            ["MA"],
            seed=year,
        )
        for year, size in SIZES.items()
    ]
    return {name: pa.concat_tables([p[name] for p in parts]) for name in parts[0]}


def _slice(tmp_path: Path):
    tables = _tables()

    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        return derived_table(tmp_path, "1ea2a2a2", name, params, compute, filters=filters)

    units = kept_units_slice(
        keep=keep,
        open_snapshot=lambda: Snapshot.from_tables(tables, version="test"),
        school_units=[UNIT],
        grade_year=9,
        data_version="test",
        reference_label="regionen",
    )
    # everyone alone, as on a page of one group: n = 14, 12, .., 15, 13 and a pattern of 60
    return [_everyone(units.yearly), _everyone(units.patterns)]


def _everyone(aggregate):
    table = aggregate.table.filter(pc.equal(aggregate.table.column("group"), "all"))
    return dataclasses.replace(aggregate, table=table, partitions=None)


def _recovered(yearly: pa.Table, patterns: pa.Table) -> list[tuple[str, int]]:
    """(group, n) of every hidden recent year given away as the pattern minus the shown years."""
    found = []
    for pattern in patterns.to_pylist():
        if pattern["n"] is None:
            continue
        years = [
            r
            for r in yearly.to_pylist()
            if r["period"] == "recent"
            and (r["subject_code"], r["group"]) == (pattern["subject_code"], pattern["group"])
        ]
        hidden = [r for r in years if r["n"] is None]
        if len(hidden) == 1:
            shown = sum(int(r["n"]) for r in years if r["n"] is not None)
            found.append((str(pattern["group"]), int(pattern["n"]) - shown))
    return found


@pytest.mark.django_db
def test_separately_released_patterns_gave_a_hidden_year_away(tmp_path):
    yearly, patterns = _slice(tmp_path)
    yearly = release(yearly, viewer=ANONYMOUS, purpose="test")
    patterns = release(patterns, viewer=ANONYMOUS, purpose="test")
    assert _recovered(yearly.table, patterns.table) == [("all", SIZES[2024])]


@pytest.mark.django_db
def test_yearly_rows_and_patterns_released_together_give_nothing_away(tmp_path):
    yearly, patterns = released_together(*_slice(tmp_path), viewer=ANONYMOUS, purpose="test")
    assert _recovered(yearly.table, patterns.table) == []
    everyone = [r for r in yearly.rows() if r["group"] == "all"]
    assert {r["school_year"] for r in everyone if r["n"] is None} >= {2024}
