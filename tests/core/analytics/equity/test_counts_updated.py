"""The national comparison updated per school year (counts and each row's test) equals the
comparison computed anew, over random sequences of imports and withdrawals of one school's
file of one year (issue #18)."""

from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likvard_core.analytics.equity.national import (
    counts_updated,
    national_counts,
    national_patterns,
    yearly_from_counts,
    yearly_updated,
)
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.population import SchoolSpec, grade_tables

LABEL = "övriga skolenheter i jämförelsen"
SCHOOLS = [SchoolSpec(f"3000000{i}", 12 + 5 * i, organizer=f"21200000{i % 2}0") for i in range(4)]
YEARS = [2022, 2023, 2024, 2025]

Batch = tuple[str, int, str]
"""One imported file: fact table, school year, school unit."""


@pytest.fixture(scope="module")
def batches() -> dict[Batch, pa.Table]:
    tables = grade_tables(SCHOOLS, YEARS, ["MA", "EN"], seed=5)
    found: dict[Batch, pa.Table] = {}
    for name, table in tables.items():
        for year in YEARS:
            for school in SCHOOLS:
                keep = pc.and_(
                    pc.equal(table["school_year"], year),
                    pc.equal(table["school_unit_code"], school.code),
                )
                part = table.filter(keep)
                if part.num_rows:
                    found[(name, year, school.code)] = part
    return found


def _snapshot(batches: dict[Batch, pa.Table], present: set[Batch]) -> Snapshot:
    tables: dict[str, list[pa.Table]] = {}
    for batch in sorted(present):
        tables.setdefault(batch[0], []).append(batches[batch])
    return Snapshot.from_tables({n: pa.concat_tables(t) for n, t in tables.items()}, version="t")


def _counts(batches: dict[Batch, pa.Table], present: set[Batch], **options: object) -> pa.Table:
    with _snapshot(batches, present) as db:
        return national_counts(db, grade_year=9, **options)  # type: ignore[arg-type]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=5))
def test_updating_the_changed_years_equals_counting_anew(batches, steps):
    every = sorted(batches)
    present = set(every)
    counts = _counts(batches, present)
    updated = yearly_from_counts(counts, reference_label=LABEL)
    for step in steps:
        batch = every[step % len(every)]
        before = set(present)
        present ^= {batch}  # imported if absent, withdrawn if present
        years = sorted({b[1] for b in before ^ present})
        fresh = _counts(batches, present, years=years)
        counts = counts_updated(counts, fresh, years=years)
        anew = _counts(batches, present)
        assert counts.equals(anew)
        updated = yearly_updated(counts, updated, years=years, reference_label=LABEL)
        yearly = yearly_from_counts(anew, reference_label=LABEL)
        assert _rows(updated) == _rows(yearly)
        patterns = national_patterns(updated, reference_label=LABEL)
        assert _rows(patterns) == _rows(national_patterns(yearly, reference_label=LABEL))


def _rows(table: pa.Table) -> list[dict[str, object]]:
    """The rows, NaN written as text (NaN is unequal to itself; the flags' p-values have it)."""
    return [
        {k: "NaN" if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in table.to_pylist()
    ]


def test_an_emptied_year_loses_its_rows(batches):
    every = set(batches)
    without = {b for b in every if b[1] != 2024}
    counts = counts_updated(_counts(batches, every), _counts(batches, without, years=[2024]),
                            years=[2024])  # fmt: skip
    assert 2024 not in set(counts["school_year"].to_pylist())
    assert counts.equals(_counts(batches, without))
