"""A kept national context updated per school year equals the context computed anew, over
random sequences of imports and withdrawals of one school's file of one year (issue #18)."""

from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likvard_core.analytics.quality.basis_context import basis_context
from likvard_core.analytics.quality.basis_store import ContextKey, context_tables
from likvard_core.analytics.quality.context_update import context_tables_updated
from likvard_core.analytics.quality.indicators import MunicipalityBasis
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.population import SchoolSpec, grade_tables

SUBJECTS = ["MA", "EN", "SV", "BI"]
SCHOOLS = [SchoolSpec(f"4000000{i}", 16 + 3 * i, organizer=f"21200000{i % 3}0") for i in range(8)]
YEARS = [2023, 2024, 2025]
KEY = ContextKey(year=2025, trend_years=3, municipality_basis=MunicipalityBasis.HOME)

Batch = tuple[str, int, str]
"""One imported file: fact table, school year, school unit."""


@pytest.fixture(scope="module")
def batches() -> dict[Batch, pa.Table]:
    tables = grade_tables(SCHOOLS, YEARS, SUBJECTS, seed=7)
    found: dict[Batch, pa.Table] = {}
    for name, table in tables.items():
        for year in YEARS:
            for school in SCHOOLS:
                keep = pc.and_(
                    pc.equal(table["school_year"], year),
                    pc.equal(table["school_unit_code"], school.code),
                )
                found[(name, year, school.code)] = table.filter(keep)
    return found


def _anew(batches: dict[Batch, pa.Table], present: set[Batch]) -> dict[str, pa.Table]:
    tables: dict[str, list[pa.Table]] = {}
    for batch in sorted(present):
        tables.setdefault(batch[0], []).append(batches[batch])
    merged = {n: pa.concat_tables(t) for n, t in tables.items()}
    with Snapshot.from_tables(merged, version="t") as db:
        return context_tables(basis_context(db, year=KEY.year, trend_years=KEY.trend_years))


def _updated(
    batches: dict[Batch, pa.Table], present: set[Batch], kept: dict[str, pa.Table], years: list[int]
) -> dict[str, pa.Table]:
    tables: dict[str, list[pa.Table]] = {}
    for batch in sorted(present):
        tables.setdefault(batch[0], []).append(batches[batch])
    merged = {n: pa.concat_tables(t) for n, t in tables.items()}
    with Snapshot.from_tables(merged, version="t") as db:
        return context_tables_updated(db, kept, KEY, changed=years, school_municipalities=None)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=3))
def test_updating_the_changed_years_equals_computing_anew(batches, steps):
    every = sorted(batches)
    present = set(every)
    kept = _anew(batches, present)
    for step in steps:
        batch = every[step % len(every)]
        before = set(present)
        present ^= {batch}  # imported if absent, withdrawn if present
        years = sorted({b[1] for b in before ^ present})
        kept = _updated(batches, present, kept, years)
        anew = _anew(batches, present)
        assert sorted(kept) == sorted(anew)
        for part, table in anew.items():
            assert _rows(kept[part]) == _rows(table), part


def test_an_older_year_keeps_the_fits(batches):
    every = set(batches)
    kept = _anew(batches, every)
    without = every - {("final_grades", 2023, SCHOOLS[0].code)}
    updated = _updated(batches, without, kept, [2023])
    assert updated["expected_units"] is kept["expected_units"]
    assert updated["expected_units"].num_rows > 0
    assert _rows(updated["values"]) == _rows(_anew(batches, without)["values"])


def _rows(table: pa.Table) -> list[dict[str, object]]:
    """The rows, NaN written as text (NaN is unequal to itself)."""
    return [
        {k: "NaN" if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in table.to_pylist()
    ]
