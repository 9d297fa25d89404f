"""The movement filter choices kept per school year and updated from the changed years equal
the choices asked anew, over random sequences of imports and withdrawals of one organizer's
enrolments of one year or one year's admissions (issue #18)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likvard_core.analytics.movement.admissions import admission_years
from likvard_core.analytics.movement.flows import enrolment_years, programme_codes
from likvard_core.analytics.movement.kept import choices, choices_of_years, choices_updated
from likvard_core.analytics.movement.scope import Scope
from likvard_core.warehouse.snapshot import Snapshot

Batch = tuple[str, int, str]
"""One imported file: fact table, school year, organizer (admissions: '')."""


@pytest.fixture(scope="module")
def batches(demo_tables: dict[str, pa.Table]) -> dict[Batch, pa.Table]:
    found: dict[Batch, pa.Table] = {}
    enrolments = demo_tables["enrolments"]
    for year in pc.unique(enrolments["school_year"]).to_pylist():
        in_year = enrolments.filter(pc.equal(enrolments["school_year"], year))
        for organizer in pc.unique(in_year["organizer_code"]).to_pylist():
            mine = in_year.filter(pc.equal(in_year["organizer_code"], organizer))
            found[("enrolments", int(year), str(organizer))] = mine
    admissions = demo_tables["admissions"]
    for year in pc.unique(admissions["school_year"]).to_pylist():
        found[("admissions", int(year), "")] = admissions.filter(
            pc.equal(admissions["school_year"], year)
        )
    return found


def _snapshot(batches: dict[Batch, pa.Table], present: set[Batch]) -> Snapshot:
    tables: dict[str, list[pa.Table]] = {}
    for batch in sorted(present):
        tables.setdefault(batch[0], []).append(batches[batch])
    return Snapshot.from_tables({n: pa.concat_tables(t) for n, t in tables.items()}, "t")


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=5))
def test_updating_the_changed_years_equals_asking_anew(batches, steps):
    every = sorted(batches)
    present = set(every)
    with _snapshot(batches, present) as db:
        kept = choices_of_years(db)
    for step in steps:
        batch = every[step % len(every)]
        before = set(present)
        present ^= {batch}  # imported if absent, withdrawn if present
        changed = before ^ present
        with _snapshot(batches, present) as db:
            kept = choices_updated(
                db,
                kept,
                enrolment_years={b[1] for b in changed if b[0] == "enrolments"},
                admission_years={b[1] for b in changed if b[0] == "admissions"},
            )
            anew = choices_of_years(db)
            assert kept.equals(anew)
            scope = Scope()
            assert choices(kept) == (
                enrolment_years(db, scope),
                admission_years(db, scope),
                programme_codes(db, scope),
            )


def test_an_admission_year_follows_the_next_years_enrolments(batches):
    """Withdrawing every first-year enrolment of 2026 drops 2025 as an admission year,
    though 2025's admissions did not change."""
    every = set(batches)
    with _snapshot(batches, every) as db:
        kept = choices_of_years(db)
    assert 2025 in choices(kept)[1]
    without = {b for b in every if not (b[0] == "enrolments" and b[1] == 2026)}
    with _snapshot(batches, without) as db:
        updated = choices_updated(db, kept, enrolment_years={2026}, admission_years=set())
        assert updated.equals(choices_of_years(db))
    assert 2025 not in choices(updated)[1]
