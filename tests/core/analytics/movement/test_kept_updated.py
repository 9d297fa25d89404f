"""The national movement cells (kept one part per school year) and introduction follow-up
cells updated per school year equal the cells counted anew, over random sequences of imports
and withdrawals of one organizer's enrolments of one year (issue #18): counted again by year,
or from the changed students' rows (``students``)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likvard_core.analytics.movement.kept import (
    CELL_ORDER,
    INTRODUCTION_ORDER,
    cells_of_years,
    introduction_cells_updated,
    national_introduction_cells,
    national_movement_cells,
    year_parts,
)
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.students import (
    cells_updated,
    changed_rows,
)
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.movement.conftest import reference_lookups

LOOKUPS = reference_lookups()
Batch = tuple[int, str]
"""One imported file: school year, organizer."""


@pytest.fixture(scope="module")
def batches(demo_tables: dict[str, pa.Table]) -> dict[Batch, pa.Table]:
    enrolments = demo_tables["enrolments"]
    keys = enrolments.select(["school_year", "organizer_code"]).group_by(
        ["school_year", "organizer_code"]
    ).aggregate([])  # fmt: skip
    found: dict[Batch, pa.Table] = {}
    for year, organizer in zip(keys["school_year"].to_pylist(), keys["organizer_code"].to_pylist(),
                               strict=True):  # fmt: skip
        keep = pc.and_(
            pc.equal(enrolments["school_year"], year),
            pc.equal(enrolments["organizer_code"], organizer),
        )
        found[(int(year), str(organizer))] = enrolments.filter(keep)
    return found


Kept = tuple[dict[int, pa.Table], pa.Table]
"""A version's kept cells: the parts by school year, and the follow-up."""


def _both(batches: dict[Batch, pa.Table], present: set[Batch], kept: Kept | None,
          years: list[int]) -> Kept:  # fmt: skip
    """The kept tables of the version of ``present``: counted anew (``kept`` None) or updated
    from ``kept`` (the previous version's) as the warm-up does, keeping the parts of every
    year not in ``years``."""
    table = pa.concat_tables([batches[b] for b in sorted(present)])
    with Snapshot.from_tables({"enrolments": table}, "t") as db:
        if kept is None:
            return (
                year_parts(national_movement_cells(db, LOOKUPS)),
                national_introduction_cells(db, LOOKUPS, Scope()),
            )
        parts = {y: part for y, part in kept[0].items() if y not in years}
        parts.update(cells_of_years(db, LOOKUPS, years=years))
        return (
            dict(sorted(parts.items())),
            introduction_cells_updated(db, kept[1], LOOKUPS, years=years),
        )


def _from_students(batches: dict[Batch, pa.Table], before: set[Batch], present: set[Batch],
                   kept: Kept, years: list[int]) -> Kept:  # fmt: skip
    """The kept tables of the version of ``present`` updated from ``kept`` (the version of
    ``before``'s) by the changed students' rows, as the warm-up does (which counts them by
    year instead when the newest school year changes: ``ValueError`` here)."""

    def snapshot(which: set[Batch], label: str) -> Snapshot:
        tables = [batches[b] for b in sorted(which)]
        rows = pa.concat_tables(tables) if tables else batches[min(batches)].schema.empty_table()
        return Snapshot.from_tables({"enrolments": rows}, label)

    with (
        snapshot(before & present, "shared") as shared,
        snapshot(before - present, "before") as old,
        snapshot(present - before, "after") as new,
    ):
        rows = changed_rows(shared=shared, before=old, after=new, years=years)
    parts = {y: part for y, part in kept[0].items() if y not in years}
    stale = {y: part for y, part in kept[0].items() if y in years}
    fresh, follow = cells_updated(
        stale, kept[1], rows, LOOKUPS, years=years, orders=(CELL_ORDER, INTRODUCTION_ORDER)
    )
    parts.update(fresh)
    return dict(sorted(parts.items())), follow


def _equal(left: Kept, right: Kept) -> bool:
    same_parts = list(left[0]) == list(right[0]) and all(
        left[0][y].equals(right[0][y]) for y in left[0]
    )
    return same_parts and left[1].equals(right[1])


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=5))
def test_updating_the_changed_years_equals_counting_anew(batches, steps):
    every = sorted(batches)
    present = set(every)
    kept = _both(batches, present, None, [])
    for step in steps:
        batch = every[step % len(every)]
        before = set(present)
        present ^= {batch}  # imported if absent, withdrawn if present
        years = sorted({b[0] for b in before ^ present})
        anew = _both(batches, present, None, [])
        assert _equal(_from_students(batches, before, present, kept, years), anew)
        kept = _both(batches, present, kept, years)
        assert _equal(kept, anew)


def test_a_withdrawn_newest_year_drops_its_follow_up(batches):
    every = set(batches)
    newest = max(b[0] for b in every)
    without = {b for b in every if b[0] != newest}
    kept = _both(batches, every, None, [])
    assert newest - 1 in set(kept[1]["school_year"].to_pylist())
    updated = _both(batches, without, kept, [newest])
    assert updated[1].equals(_both(batches, without, None, [])[1])
    assert newest - 1 not in set(updated[1]["school_year"].to_pylist())


def test_a_changed_newest_year_is_not_updated_from_the_students(batches):
    every = set(batches)
    newest = max(b[0] for b in every)
    without = {b for b in every if b[0] != newest}
    kept = _both(batches, every, None, [])
    with pytest.raises(ValueError, match="newest school year"):
        _from_students(batches, every, without, kept, [newest])
