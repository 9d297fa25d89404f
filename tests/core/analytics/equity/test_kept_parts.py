"""The comparison kept per school year, updated after imports and withdrawals, equals the
comparison computed anew, table for table, and its page rows equal the comparison computed in
one go, over random sequences of imports and withdrawals of one school's file of one year
(issue #18)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from likvard_core.analytics.equity.changed import ChangedRows, changed_rows
from likvard_core.analytics.equity.grade_vs_test import DIMS
from likvard_core.analytics.equity.kept import (
    PATTERN_BASE,
    PATTERNS,
    PERIODS,
    YEAR_PART,
    Previous,
    _Tables,
    kept_params,
    kept_units_slice,
    year_params,
)
from likvard_core.analytics.equity.national import (
    national_counts,
    national_patterns,
    yearly_from_counts,
)
from likvard_core.analytics.equity.patterns import PATTERN_DIMS
from likvard_core.warehouse.derived import Filter
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.population import SchoolSpec, grade_tables

LABEL = "övriga skolenheter i jämförelsen"
SCHOOLS = [SchoolSpec(f"3000000{i}", 12 + 5 * i, organizer=f"21200000{i % 2}0") for i in range(4)]
YEARS = [2021, 2022, 2023, 2024, 2025, 2026]
PARAMS = kept_params(grade_year=9, reference_label=LABEL)

Batch = tuple[str, int, str]
"""One imported file: fact table, school year, school unit."""
Store = dict[tuple[str, str], pa.Table]


@pytest.fixture(scope="module")
def batches() -> dict[Batch, pa.Table]:
    tables = grade_tables(SCHOOLS, YEARS, ["MA", "EN"], seed=5)
    tables["national_tests"] = _tested_elsewhere(tables["national_tests"])
    tables["final_grades"] = _graded_elsewhere(tables["final_grades"])
    return _files(tables)


def _files(tables: dict[str, pa.Table]) -> dict[Batch, pa.Table]:
    """Each school's file of each fact table and year."""
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


def _tested_elsewhere(tests: pa.Table) -> pa.Table:
    """Every third student's tests reported by the next school, in that school's file: an
    import or withdrawal of one unit's tests then changes another unit's rows."""
    codes = [s.code for s in SCHOOLS]
    moved = [
        codes[(codes.index(unit) + 1) % len(codes)] if int(key.rsplit("-", 1)[1]) % 3 == 0
        else unit
        for unit, key in zip(
            tests["school_unit_code"].to_pylist(), tests["student_key"].to_pylist(), strict=True
        )
    ]  # fmt: skip
    index = tests.schema.get_field_index("school_unit_code")
    return tests.set_column(index, "school_unit_code", pa.array(moved, pa.string()))


def _graded_elsewhere(finals: pa.Table) -> pa.Table:
    """Every fifth student's grade in EN set by the school before, in that school's file: a
    student graded at two units (an import of one unit's grades or of the student's
    enrolment changes both units' rows)."""
    codes = [s.code for s in SCHOOLS]
    moved = [
        codes[codes.index(unit) - 1]
        if subject == "EN" and int(key.rsplit("-", 1)[1]) % 5 == 0
        else unit
        for unit, subject, key in zip(
            finals["school_unit_code"].to_pylist(),
            finals["subject_code"].to_pylist(),
            finals["student_key"].to_pylist(),
            strict=True,
        )
    ]
    index = finals.schema.get_field_index("school_unit_code")
    return finals.set_column(index, "school_unit_code", pa.array(moved, pa.string()))


def _snapshot(batches: dict[Batch, pa.Table], present: set[Batch]) -> Snapshot:
    tables: dict[str, list[pa.Table]] = {}
    for batch in sorted(present):
        tables.setdefault(batch[0], []).append(batches[batch])
    return Snapshot.from_tables({n: pa.concat_tables(t) for n, t in tables.items()}, version="t")


def _id(name: str, params: Mapping[str, object]) -> tuple[str, str]:
    return name, json.dumps(params, sort_keys=True)


def _keep(store: Store) -> Callable[..., pa.Table]:
    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        if _id(name, params) not in store:
            store[_id(name, params)] = compute()
        table = store[_id(name, params)]
        for column, _, values in filters or ():
            table = table.filter(pc.is_in(table.column(column), pa.array(values)))
        return table

    return keep


def _read_parts(store: Store) -> Callable[..., pa.Table | None]:
    def read(
        name: str,
        params: Sequence[Mapping[str, object]],
        *,
        filters: Sequence[Filter] | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table | None:
        if not params or any(_id(name, p) not in store for p in params):
            return None
        table = pa.concat_tables([store[_id(name, p)] for p in params])
        for column, _, values in filters or ():
            table = table.filter(pc.is_in(table.column(column), pa.array(values)))
        return table if columns is None else table.select(list(columns))

    return read


def _changed_rows(
    batches: dict[Batch, pa.Table], old: set[Batch], present: set[Batch], years: set[int]
) -> ChangedRows:
    """``ChangedRows`` of the versions ``old`` and ``present`` (the files both have, each
    one's own) read from the facts, as the warm-up's ``changed_students_rows``."""
    with (
        _snapshot(batches, old & present) as shared,
        _snapshot(batches, old - present) as before,
        _snapshot(batches, present - old) as after,
        _snapshot(batches, present) as db,
    ):
        return changed_rows(
            shared, before if old - present else None, after, db, years=sorted(years)
        )


def _previous(
    store: Store,
    before: Store,
    changed: set[int],
    changes: Callable[[], Snapshot] | None = None,
    rows: Callable[[], ChangedRows | None] | None = None,
) -> Previous:
    def link(name: str, params: Mapping[str, object]) -> bool:
        if _id(name, params) not in before:
            return False
        store[_id(name, params)] = before[_id(name, params)]
        return True

    return Previous(
        changed=frozenset(changed),
        read=lambda n, p: before.get(_id(n, p)),
        link=link,
        changes=changes,
        rows=rows,
        read_parts=_read_parts(before) if rows is not None else None,
    )


def _kept(
    batches: dict[Batch, pa.Table], present: set[Batch], previous: Previous | None, store: Store
) -> pa.Table:
    """Keep the version's tables in ``store``; returns every unit's yearly rows."""
    units = [s.code for s in SCHOOLS]
    sliced = kept_units_slice(
        keep=_keep(store),
        open_snapshot=lambda: _snapshot(batches, present),
        school_units=units,
        grade_year=9,
        data_version="t",
        reference_label=LABEL,
        previous=previous,
        read_parts=_read_parts(store) if previous is not None else None,
    )
    assert sliced.yearly.table.num_rows
    return _kept_tables(store).yearly_rows(units)


_ANEW: dict[tuple[int, frozenset[Batch]], tuple[dict[Batch, pa.Table], Store, pa.Table]] = {}
"""The kept tables computed anew (no previous version), by batches and files present, with the
batches they were computed from (so that a dict made later at the same address is not taken
for them): the oracle is the same function of the same files wherever a test needs it (every
example of the update property starts from all files), so each is computed once per run. Arrow
tables cannot change; each caller gets its own store."""


def _anew(batches: dict[Batch, pa.Table], present: set[Batch], store: Store) -> pa.Table:
    """``_kept`` of ``present`` with no previous version, into ``store``: computed once."""
    key = (id(batches), frozenset(present))
    found = _ANEW.get(key)
    if found is None or found[0] is not batches:
        kept: Store = {}
        rows = _kept(batches, present, None, kept)
        found = _ANEW[key] = (batches, kept, rows)
    store.update(found[1])
    return found[2]


def _kept_tables(store: Store, read_parts: Callable[..., pa.Table | None] | None = None) -> _Tables:
    """Grade 9's kept tables of ``store``, read only (opening the snapshot fails)."""
    return _Tables(
        keep=_keep(store),
        open_snapshot=_refuse,
        params=PARAMS,
        grade_year=9,
        reference_label=LABEL,
        min_group=10,
        previous=None,
        read_parts=read_parts,
    )


def _refuse() -> Snapshot:
    raise AssertionError("the kept tables should have been read")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(steps=[48, 57, 48], how="units")  # tests filed by another unit (every[48:] are tests)
@example(steps=[48, 57, 48], how="students")
@example(steps=[2, 26, 2, 26], how="students")  # a school's enrolments, grades of 2021
@given(
    steps=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4),
    how=st.sampled_from(["year", "units", "students"]),
)
def test_updating_the_changed_years_equals_computing_anew(batches, steps, how):
    """``units``: the update counts only the units the batch touches (``changes``);
    ``students``: it adds the changed students' parts to the kept sums (``rows``)."""
    every = sorted(batches)
    present = set(every)
    before: Store = {}
    _anew(batches, present, before)
    for step in steps:
        batch = every[step % len(every)]
        old = set(present)
        present ^= {batch}  # imported if absent, withdrawn if present
        changed = {b[1] for b in old ^ present}
        updated: Store = {}
        changes = (lambda d=old ^ present: _snapshot(batches, d)) if how == "units" else None
        students = (
            (lambda o=old, p=set(present), c=changed: _changed_rows(batches, o, p, c))
            if how == "students"
            else None
        )
        previous = _previous(updated, before, changed, changes, students)
        rows = _kept(batches, present, previous, updated)
        anew: Store = {}
        _anew(batches, present, anew)
        assert sorted(updated) == sorted(anew)
        for key, table in anew.items():
            assert updated[key].schema == table.schema, key
            assert _rows(updated[key]) == _rows(table), key
        for year in {int(json.loads(k[1])["school_year"]) for k in anew if k[0] == YEAR_PART}:
            if year not in changed:  # kept, not counted again
                assert (
                    updated[_id(YEAR_PART, year_params(PARAMS, year))]
                    is before[_id(YEAR_PART, year_params(PARAMS, year))]
                )
        with _snapshot(batches, present) as db:
            yearly = yearly_from_counts(national_counts(db, grade_year=9), reference_label=LABEL)
        assert _rows(rows.select(yearly.schema.names)) == _rows(yearly)
        patterns = anew[_id("equity_patterns", PARAMS)].drop_columns(["period"])
        reference = national_patterns(yearly, reference_label=LABEL).drop_columns(["period"])
        order = [(d, "ascending") for d in PATTERN_DIMS]
        assert _rows(patterns.sort_by(order)) == _rows(reference.sort_by(order))
        before = updated


def _rows(table: pa.Table) -> list[dict[str, object]]:
    """The rows, NaN written as text (NaN is unequal to itself; the flags' p-values have it)."""
    return [
        {k: "NaN" if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in table.to_pylist()
    ]


def test_an_emptied_year_loses_its_part(batches):
    every = set(batches)
    before: Store = {}
    _kept(batches, every, None, before)
    without = {b for b in every if b[1] != 2024}
    updated: Store = {}
    rows = _kept(batches, without, _previous(updated, before, {2024}), updated)
    assert 2024 not in set(rows["school_year"].to_pylist())
    assert _id(YEAR_PART, year_params(PARAMS, 2024)) not in updated
    periods = updated[_id(PERIODS, PARAMS)]
    assert 2024 not in set(periods["school_year"].to_pylist())
    assert rows.sort_by([(d, "ascending") for d in DIMS]).equals(rows)


def test_a_page_reads_its_rows_whatever_order_the_scan_gives_the_parts(batches):
    """Each row's q-values are in its year's part (one family per school year): a page reads
    its units' rows of every part in one scan, in any order of the parts, and gets the rows
    read part by part."""
    store: Store = {}
    expected = _kept(batches, set(batches), None, store)  # the parts read one by one
    assert pc.any(pc.less(expected.column("q_higher"), 0.05)).as_py()  # some rows flagged

    def reversed_scan(
        name: str,
        params: Sequence[Mapping[str, object]],
        *,
        filters: Sequence[Filter] | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table | None:
        return _read_parts(store)(name, params[::-1], filters=filters, columns=columns)

    for scan in (_read_parts(store), reversed_scan):
        tables = _kept_tables(store, read_parts=scan)
        for units in ([s.code for s in SCHOOLS], [SCHOOLS[1].code, SCHOOLS[3].code]):
            rows = tables.yearly_rows(units)
            wanted = pc.is_in(expected.column("school_unit_code"), pa.array(units))
            assert _rows(rows) == _rows(expected.filter(wanted))


@pytest.mark.parametrize("year", [2026, 2025])
def test_the_last_years_import_adds_to_the_kept_sums_before_it(batches, year):
    """A batch of the windows' last school year keeps the windows: the pooled sums of the
    years before are the predecessor's (linked) and the patterns equal those computed anew;
    a batch of an earlier year sums them again."""
    every = set(batches)
    before: Store = {}
    _kept(batches, every, None, before)
    batch = next(b for b in sorted(batches) if b[0] == "final_grades" and b[1] == year)
    present = every - {batch}
    updated: Store = {}
    _kept(batches, present, _previous(updated, before, {year}), updated)
    anew: Store = {}
    _kept(batches, present, None, anew)
    key = _id(PATTERN_BASE, PARAMS)
    assert (updated[key] is before[key]) == (year == max(YEARS))
    assert _rows(updated[key]) == _rows(anew[key])
    assert _rows(updated[_id(PATTERNS, PARAMS)]) == _rows(anew[_id(PATTERNS, PARAMS)])


def test_the_changed_students_parts_count_no_unit_from_the_facts(batches, monkeypatch):
    """With the changed students' rows (``ChangedRows``), a changed year's part is the kept
    one with their parts taken away and added: neither ``units_touched`` nor
    ``national_counts`` reads the version's facts, and the tables equal computing anew."""
    every = set(batches)
    before: Store = {}
    _kept(batches, every, None, before)
    batch = next(b for b in sorted(batches) if b[0] == "enrolments" and b[1] == 2025)
    present = every - {batch}
    rows = _changed_rows(batches, every, present, {2025})
    anew: Store = {}
    _kept(batches, present, None, anew)

    def refuse(*args: object, **kwargs: object) -> pa.Table:
        raise AssertionError("counted from the facts")

    monkeypatch.setattr("likvard_core.analytics.equity.kept.national_counts", refuse)
    monkeypatch.setattr("likvard_core.analytics.equity.kept.units_touched", refuse)
    updated: Store = {}
    _kept(batches, present, _previous(updated, before, {2025}, rows=lambda: rows), updated)
    assert sorted(updated) == sorted(anew)
    for key, table in anew.items():
        assert _rows(updated[key]) == _rows(table), key


def test_an_import_of_students_without_rows_elsewhere():
    """A school's files of a year whose students have no row in any other file: nothing of
    theirs to take away (no snapshot of the rows before), only their part to add."""
    batches = _files(grade_tables(SCHOOLS, YEARS, ["MA", "EN"], seed=7))  # nobody moved
    own = {b for b in batches if b[1] == 2025 and b[2] == SCHOOLS[0].code}
    old = set(batches) - own
    rows = _changed_rows(batches, old, set(batches), {2025})
    assert rows.sums[9][0].num_rows == 0
    assert rows.sums[9][1].num_rows
    before: Store = {}
    _kept(batches, old, None, before)
    updated: Store = {}
    _kept(batches, set(batches), _previous(updated, before, {2025}, rows=lambda: rows), updated)
    anew: Store = {}
    _kept(batches, set(batches), None, anew)
    assert sorted(updated) == sorted(anew)
    for key, table in anew.items():
        assert _rows(updated[key]) == _rows(table), key
