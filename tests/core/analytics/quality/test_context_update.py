"""A kept national context updated per school year equals the context computed anew, over
random sequences of imports and withdrawals of one school's file of one year (issue #18).

Both ways of updating are checked: counting the changed years again, and putting their rows
together from the kept ones and the changed students' parts (``before``/``changes``). The
world has what makes a student's part reach beyond the file's school: students graded at two
schools, tests reported by another school, absence, students without an enrolment and homes
in several municipalities (or, with the school basis, schools placed in a municipality or
not). Floats are compared bit for bit.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likvard_core.analytics.quality import context_update
from likvard_core.analytics.quality.basis_context import basis_context
from likvard_core.analytics.quality.basis_store import ContextKey, context_tables
from likvard_core.analytics.quality.context_update import (
    Sides,
    context_tables_updated,
    put_together,
)
from likvard_core.analytics.quality.indicators import MunicipalityBasis
from likvard_core.warehouse.schema import ABSENCE
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.population import SchoolSpec, grade_tables

SUBJECTS = ["MA", "EN", "SV", "BI"]
SCHOOLS = [SchoolSpec(f"4000000{i}", 16 + 3 * i, organizer=f"21200000{i % 3}0") for i in range(8)]
YEARS = [2023, 2024, 2025]
KEY = ContextKey(year=2025, trend_years=3, municipality_basis=MunicipalityBasis.HOME)
PLACED = {s.code: ("1480", "1401")[i % 2] for i, s in enumerate(SCHOOLS[:6])}
"""The school basis: six schools placed in a municipality, two in none."""
TABLES = ("final_grades", "national_tests", "enrolments", "absence")

Batch = tuple[str, int, str]
"""One imported file: fact table, school year, school unit."""


def _world() -> dict[str, pa.Table]:
    tables = grade_tables(SCHOOLS, YEARS, SUBJECTS, seed=7)
    rng = np.random.default_rng(11)
    following = {s.code: SCHOOLS[(i + 1) % len(SCHOOLS)].code for i, s in enumerate(SCHOOLS)}

    def moved(table: pa.Table, subject: str, share: float) -> pa.Table:
        """``share`` of ``subject``'s rows reported by the following school."""
        units = table.column("school_unit_code").to_numpy(zero_copy_only=False)
        chosen = (table.column("subject_code").to_numpy(zero_copy_only=False) == subject) & (
            rng.random(table.num_rows) < share
        )
        others = np.array([following[u] for u in units], dtype=object)
        column = pa.array(np.where(chosen, others, units).tolist(), pa.string())
        return table.set_column(
            table.schema.get_field_index("school_unit_code"), "school_unit_code", column
        )

    enrolments = tables["enrolments"]
    homes = rng.choice(["1480", "1401", "1402"], size=enrolments.num_rows).tolist()
    enrolments = enrolments.set_column(
        enrolments.schema.get_field_index("home_municipality_code"),
        "home_municipality_code",
        pa.array(homes, pa.string()),
    )
    enrolments = enrolments.filter(pa.array(rng.random(enrolments.num_rows) > 0.04))
    rows = {c: [] for c in ABSENCE.columns}
    for year, student, unit in zip(
        tables["enrolments"].column("school_year").to_pylist(),
        tables["enrolments"].column("student_key").to_pylist(),
        tables["enrolments"].column("school_unit_code").to_pylist(),
        strict=True,
    ):
        for term in ("HT", "VT"):
            elsewhere = rng.random() < 0.05  # not enrolled there: not counted
            scheduled = int(rng.integers(20_000, 32_000))
            absent = int(rng.integers(0, 4_000))
            for column, value in (
                ("school_year", year),
                ("term", term),
                ("student_key", student),
                ("school_unit_code", following[unit] if elsewhere else unit),
                ("scheduled_minutes", scheduled),
                ("absent_minutes", absent),
                ("unexcused_minutes", absent // 3),
                ("batch_id", "synthetic"),
            ):
                rows[column].append(value)
    return {
        "final_grades": moved(tables["final_grades"], "BI", 0.3),
        "national_tests": moved(tables["national_tests"], "EN", 0.2),
        "enrolments": enrolments,
        "absence": pa.table(rows, schema=ABSENCE.schema),
    }


@pytest.fixture(scope="module")
def batches() -> dict[Batch, pa.Table]:
    found: dict[Batch, pa.Table] = {}
    for name, table in _world().items():
        for year in YEARS:
            for school in SCHOOLS:
                keep = pc.and_(
                    pc.equal(table["school_year"], year),
                    pc.equal(table["school_unit_code"], school.code),
                )
                if (rows := table.filter(keep)).num_rows:
                    found[(name, year, school.code)] = rows
    return found


def _snapshot(batches: dict[Batch, pa.Table], present: set[Batch], version: str) -> Snapshot:
    tables: dict[str, list[pa.Table]] = {}
    for batch in sorted(present):
        tables.setdefault(batch[0], []).append(batches[batch])
    return Snapshot.from_tables({n: pa.concat_tables(t) for n, t in tables.items()}, version)


def _key(placed: Mapping[str, str] | None) -> ContextKey:
    basis = MunicipalityBasis.SCHOOL if placed else MunicipalityBasis.HOME
    return ContextKey(KEY.year, KEY.trend_years, basis)


AnewKey = tuple[int, frozenset[Batch], tuple[tuple[str, str], ...] | None]
_ANEW: dict[AnewKey, dict[str, pa.Table]] = {}
"""The contexts computed anew, by batches, files present and placing: the oracle is the same
function of the same files wherever a test needs it (every example starts from all files),
so each is computed once per run. Arrow tables cannot change; each caller gets its own dict."""


def _anew(
    batches: dict[Batch, pa.Table], present: set[Batch], placed: Mapping[str, str] | None = None
) -> dict[str, pa.Table]:
    key = (id(batches), frozenset(present), tuple(sorted(placed.items())) if placed else None)
    if key not in _ANEW:
        with _snapshot(batches, present, "t") as db:
            _ANEW[key] = context_tables(
                basis_context(
                    db, year=KEY.year, trend_years=KEY.trend_years, school_municipalities=placed
                )
            )
    return dict(_ANEW[key])


def _updated(
    batches: dict[Batch, pa.Table],
    present: set[Batch],
    kept: dict[str, pa.Table],
    before: set[Batch],
    placed: Mapping[str, str] | None = None,
    *,
    parts: bool = True,
    shared: bool = False,
) -> dict[str, pa.Table]:
    """The update of ``kept`` (of the version ``before``) to ``present``: with ``parts`` put
    together from the students' parts (with ``shared``, their rows read once from the batches
    both versions have), else the changed years counted again."""
    years = sorted({b[1] for b in before ^ present})
    with (
        _snapshot(batches, present, "t") as db,
        _snapshot(batches, before, "before") as earlier,
        _snapshot(batches, before ^ present, "changes") as changes,
        _snapshot(batches, before & present, "shared") as both,
        _snapshot(batches, before - present, "before-own") as old,
        _snapshot(batches, present - before, "after-own") as new,
    ):
        return context_tables_updated(
            db,
            kept,
            _key(placed),
            changed=years,
            school_municipalities=placed,
            before=earlier if parts else None,
            changes=changes if parts else None,
            sides=Sides(both, old, new) if parts and shared else None,
        )


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=3))
@pytest.mark.parametrize("placed", [None, PLACED], ids=["home", "school"])
@pytest.mark.parametrize(
    ("parts", "shared"), [(False, False), (True, False), (True, True)],
    ids=["counted", "parts", "shared"],
)  # fmt: skip
def test_updating_the_changed_years_equals_computing_anew(batches, steps, placed, parts, shared):
    every = sorted(batches)
    present = set(every)
    kept = _anew(batches, present, placed)
    for step in steps:
        batch = every[step % len(every)]
        before = set(present)
        present ^= {batch}  # imported if absent, withdrawn if present
        kept = _updated(batches, present, kept, before, placed, parts=parts, shared=shared)
        anew = _anew(batches, present, placed)
        assert sorted(kept) == sorted(anew)
        for part, table in anew.items():
            assert kept[part].schema == table.schema, part
            assert _rows(kept[part]) == _rows(table), part


def test_the_parts_are_put_together_not_counted(batches, monkeypatch):
    """The students' parts path does not count a changed year whole."""
    every = set(batches)
    kept = _anew(batches, every)

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("the changed year was counted whole")

    monkeypatch.setattr(context_update, "indicator_values", whole)
    without = every - {("absence", 2025, SCHOOLS[2].code), ("final_grades", 2024, SCHOOLS[5].code)}
    updated = _updated(batches, without, kept, every)
    monkeypatch.undo()
    assert _rows(updated["values"]) == _rows(_anew(batches, without)["values"])


def test_a_sum_that_might_not_be_exact_is_not_put_together(batches):
    kept = _anew(batches, set(batches))["values"]
    part = kept.slice(0, 3)
    huge = part.set_column(
        part.schema.get_field_index("s_dd"), "s_dd", pa.array([2.0**53] * 3, pa.float64())
    )
    assert put_together(part, part.slice(0, 0), part) is not None
    assert put_together(huge, part.slice(0, 0), part) is None
    halves = part.set_column(
        part.schema.get_field_index("s_nn"), "s_nn", pa.array([0.125] * 3, pa.float64())
    )
    assert put_together(halves, part.slice(0, 0), part) is None


def test_an_older_year_keeps_the_fits(batches):
    every = set(batches)
    kept = _anew(batches, every)
    without = every - {("final_grades", 2023, SCHOOLS[0].code)}
    for parts in (False, True):
        updated = _updated(batches, without, kept, every, parts=parts)
        assert updated["expected_units"] is kept["expected_units"]
        assert updated["expected_units"].num_rows > 0
        assert _rows(updated["values"]) == _rows(_anew(batches, without)["values"])


def _rows(table: pa.Table) -> list[dict[str, object]]:
    """The rows, floats as their bits (so NaN equals NaN and -0.0 differs from 0.0)."""
    return [
        {k: struct.pack("<d", v).hex() if isinstance(v, float) else v for k, v in row.items()}
        for row in table.to_pylist()
    ]


@pytest.mark.parametrize("shared", [False, True], ids=["queried", "from-rows"])
def test_the_background_counts_only_the_touched_units(batches, monkeypatch, shared):
    """The units' background of the context's year is counted again only for the units the
    changed students are graded at, in either version (a withdrawn file's students may have
    no grade left), and equals the one counted whole. With the shared files (``Sides``)
    those units come from the students' rows already read, not from another scan, and a unit
    where only changed students are graded is counted from their rows, not in the version."""
    if shared:
        monkeypatch.setattr(context_update, "_GRADED_UNITS", "SELECT no_such_column")
    every = set(batches)
    kept = _anew(batches, every)
    counted: list[tuple[str, list[str] | None]] = []
    real = context_update.school_results

    def spy(db, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted.append((db.version, kwargs.get("only_units")))
        return real(db, *args, **kwargs)

    monkeypatch.setattr(context_update, "school_results", spy)
    without = every - {("final_grades", 2025, SCHOOLS[3].code)}
    for before, present in ((every, without), (without, every)):
        start = kept if before == every else _anew(batches, before)
        updated = _updated(batches, present, start, before, shared=shared)
        anew = _anew(batches, present)
        for part in ("unit_background", "expected_units", "expected_organizers"):
            assert _rows(updated[part]) == _rows(anew[part]), part
    units = {s.code for s in SCHOOLS}
    calls = 2 if shared else 1  # with the rows: the units alone, then those with others
    assert len(counted) == 2 * calls
    for first in range(0, len(counted), calls):
        touched = {u for _, c in counted[first : first + calls] for u in c or []}
        assert SCHOOLS[3].code in touched
        assert touched < units
    if shared:  # only changed students are graded at the withdrawn school: from their rows
        assert [v.endswith("graded-students") for v, _ in counted] == [True, False] * 2
        assert all(c == [SCHOOLS[3].code] for v, c in counted if v.endswith("graded-students"))


def test_a_background_that_might_not_be_exact_is_counted_whole(batches):
    every = set(batches)
    kept = _anew(batches, every)
    tenths = dict(batches)
    for batch, table in batches.items():
        if batch[0] == "enrolments" and batch[1] == 2025:
            column = pa.array([0.1] * table.num_rows, pa.float32())
            index = table.schema.get_field_index("parents_education")
            tenths[batch] = table.set_column(index, "parents_education", column)
    students = ["nobody"]
    with _snapshot(batches, every, "t") as db:
        assert (
            context_update.background_updated(db, db, kept["unit_background"], 2025, students)
            is not None
        )
    with _snapshot(tenths, every, "t") as db:
        assert (
            context_update.background_updated(db, db, kept["unit_background"], 2025, students)
            is None
        )


@pytest.mark.parametrize("update", [False, True], ids=["anew", "updated"])
def test_the_units_organizers_are_asked_once(batches, monkeypatch, update):
    """The fits' organizers and the kept units' organizers come from one query of the
    year's enrolments (a national scan each), computed anew and updated alike."""
    asked: list[str] = []
    real = Snapshot.query

    def counting(self, sql, params=None):  # type: ignore[no-untyped-def]
        asked.append(sql)
        return real(self, sql, params)

    every = set(batches)
    without = every - {("final_grades", 2025, SCHOOLS[3].code)}
    kept = _anew(batches, without) if update else None
    monkeypatch.setattr(Snapshot, "query", counting)
    if update:
        assert kept is not None
        _updated(batches, every, kept, without, shared=True)
    else:
        with _snapshot(batches, every, "t") as db:
            basis_context(db, year=KEY.year, trend_years=KEY.trend_years)
    assert sum("mode(organizer_code)" in sql for sql in asked) == 1
