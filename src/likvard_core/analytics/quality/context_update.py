"""A kept national context updated per school year instead of computed anew (issue #18).

Every row of a context's indicator values is about one school year and reads only that year's
facts (every grouping set of ``indicator_sql`` and every join there is per school year), and the
expected-value fits and the units' organizers are of the context's own year only. So a data
version that differs from another only in some school years' facts (an import or a withdrawal)
has the other's context in every other year: ``context_tables_updated`` computes the values of
the changed years alone, fits the model again only when the context's year changed, and takes
the rest from the other version's kept tables. The result equals ``context_tables`` of
``basis_context`` computed anew (``tests/core/analytics/quality/test_context_update.py``).

Given the other version's snapshot and the rows the two differ by, a changed year is not
counted again for the whole nation: every row (a unit's, an organizer's, a municipality's, the
nation's) holds sums over its students, and a student's part of them depends on that student's
rows of the year alone, so the year's rows are the kept ones less the part of the students with
a changed row, counted in the other version, plus their part counted in this one
(``students_parts``). The sums are of whole numbers of students, grade points (halves),
their squares (quarters) and minutes: exact in binary floating point while under 2**53 of
their unit, and then the same bits in any order of adding, so the rows equal the ones counted
in one pass. Where a sum might not be exact the year is counted again whole.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.adjusted.school_results import school_results
from likvard_core.analytics.quality.basis_context import BasisContext
from likvard_core.analytics.quality.basis_store import ContextKey, context_fits, values_sorted
from likvard_core.analytics.quality.expected import (
    expected_values,
    unit_background,
    unit_organizers,
    unit_owners,
)
from likvard_core.analytics.quality.indicators import (
    MEASURES,
    SUM_KEYS,
    IndicatorValues,
    MunicipalityBasis,
    Scope,
    indicator_values,
    measure_columns,
    split_levels,
    students_parts,
)
from likvard_core.analytics.sorting import sorted_rows
from likvard_core.warehouse.schema import ABSENCE, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from likvard_core.warehouse.snapshot import Snapshot

CONTEXT_READS: tuple[str, ...] = (
    ENROLMENTS.name,
    FINAL_GRADES.name,
    NATIONAL_TESTS.name,
    ABSENCE.name,
)
"""The fact tables a context reads: a version differing only in others keeps its context."""


def context_tables_updated(
    db: Snapshot,
    previous: Mapping[str, pa.Table],
    key: ContextKey,
    *,
    changed: Collection[int],
    school_municipalities: Mapping[str, str] | None,
    before: Snapshot | None = None,
    changes: Snapshot | None = None,
    sides: Sides | None = None,
) -> dict[str, pa.Table]:
    """``context_tables(basis_context(db, ...))`` for ``key``, from ``previous`` (the kept
    tables of the same key of a version whose facts differ from ``db``'s only in the school
    years ``changed``): only the changed years of the trend are computed again. With
    ``before`` (that version's snapshot) and ``changes`` (a snapshot of exactly the rows the
    two versions differ by) a changed year's rows are put together from the kept ones and
    the changed students' parts (see the module doc) instead of counted whole."""
    years = sorted({int(y) for y in changed} & set(key.years))
    if not years:
        return dict(previous)
    old = previous["values"]
    stale = pc.is_in(
        old.column("school_year"), pa.array(years, old.schema.field("school_year").type)
    )
    updated = context_years_updated(
        db,
        old.filter(stale),
        key,
        years=years,
        school_municipalities=school_municipalities,
        before=before,
        changes=changes,
        background=previous.get("unit_background"),
        sides=sides,
    )
    values = values_sorted(pa.concat_tables([old.filter(pc.invert(stale)), updated["values"]]))
    return {**previous, **updated, "values": values}


def context_years_updated(
    db: Snapshot,
    kept: pa.Table,
    key: ContextKey,
    *,
    years: Collection[int],
    school_municipalities: Mapping[str, str] | None,
    before: Snapshot | None = None,
    changes: Snapshot | None = None,
    background: pa.Table | None = None,
    sides: Sides | None = None,
) -> dict[str, pa.Table]:
    """The values of the changed ``years`` alone (in the kept order), from ``kept`` (those
    years' kept rows, of a version whose facts differ from ``db``'s in them), and, when the
    context's own year is among them, the fits and the units' organizers (``context_fits``):
    what ``context_tables_updated`` computes, for a context kept one school year apiece.
    With ``background`` (the kept ``unit_background`` of the context's year) only the units
    the changed students are graded at are counted again (``background_updated``). With
    ``sides`` (snapshots of the files both versions share, of ``before``'s own and of
    ``db``'s own) the changed students' rows are read once from the shared files
    (``_students_parts_of_both``)."""
    years = sorted({int(y) for y in years})
    long = None
    students: list[str] | None = None
    graded: set[str] | None = None
    rows: dict[str, pa.Table] | None = None
    if before is not None and changes is not None:
        students = changed_students(changes, years)
        gone, came, graded, rows = _students_parts_of_both(
            db,
            before,
            years,
            students,
            school_municipalities=school_municipalities,
            sides=sides,
            graded_year=key.year,
        )
        long = put_together(kept, gone, came)
    if long is None:
        fresh = indicator_values(db, years=years, school_municipalities=school_municipalities)
        long = fresh.long.cast(kept.schema)
    else:
        fresh = _values(long, db.version, years, school_municipalities)
    if key.year not in years:  # the fits and owners are of the context's year alone
        return {"values": values_sorted(long)}
    kept_background = None
    if background is not None and before is not None and students is not None:
        kept_background = background_updated(
            db, before, background, key.year, students, graded=graded, rows=rows
        )
    if kept_background is None:
        kept_background = unit_background(db, key.year)
    owned = unit_owners(db, key.year)
    units, organizers = expected_values(
        db, fresh, year=key.year, background=kept_background, owners=owned
    )
    owners = unit_organizers(db, key.year, owners=owned)
    context = BasisContext(
        key.year,
        key.years,
        fresh,
        units,
        organizers,
        owners,
        school_municipalities,
        kept_background,
    )
    return {"values": values_sorted(long), **context_fits(context)}


@dataclass(frozen=True, slots=True)
class Sides:
    """Two versions' files as three snapshots: the files both have, and each one's own."""

    shared: Snapshot
    before: Snapshot
    after: Snapshot


_STUDENT_ROWS = """
SELECT * FROM {source}
WHERE school_year IN (SELECT unnest($years::INTEGER[]))
  AND student_key IN (SELECT unnest($students::VARCHAR[]))
"""


def students_rows(
    snapshots: Sequence[Snapshot],
    years: Sequence[int],
    students: Sequence[str],
    *,
    narrowed: bool = False,
) -> dict[str, pa.Table]:
    """Every row of ``students`` in ``years`` of each table a context reads, from
    ``snapshots`` together (snapshots of disjoint files: each row once). ``narrowed``: read
    only the row groups of their files that can hold the students (``students_source``; for
    the large files both versions share, whose index is kept from one update to the next)."""
    params = {"years": list(years), "students": list(students)}
    rows: dict[str, pa.Table] = {}
    for table in CONTEXT_READS:
        found = [
            s.query(
                _STUDENT_ROWS.format(
                    source=s.students_source(table, students) if narrowed else f'"{table}"'
                ),
                params,
            )
            for s in snapshots
        ]
        rows[table] = pa.concat_tables([f.cast(found[0].schema) for f in found])
    return rows


def _students_parts_of_both(
    db: Snapshot,
    before: Snapshot,
    years: Sequence[int],
    students: Sequence[str],
    *,
    school_municipalities: Mapping[str, str] | None,
    sides: Sides | None,
    graded_year: int | None = None,
) -> tuple[pa.Table, pa.Table, set[str] | None, dict[str, pa.Table] | None]:
    """The changed students' parts in ``before`` and in ``db`` (``students_parts``). A
    student's part reads only that student's rows of the year, so with ``sides`` it is
    counted on their rows alone: read once from the files the versions share (two scans of
    the year's national files become one) and once from each version's own files.

    With ``sides``, also the units where the students have a grade of year 9 in
    ``graded_year`` in either version (``_GRADED_UNITS`` of both, for ``background_updated``),
    read from the same rows, and the students' rows in ``db``; otherwise None."""
    placed = school_municipalities
    if sides is None:
        return (
            students_parts(before, years=years, students=students, school_municipalities=placed),
            students_parts(db, years=years, students=students, school_municipalities=placed),
            None,
            None,
        )
    shared = students_rows([sides.shared], years, students, narrowed=True)
    parts = []
    graded: set[str] | None = set() if graded_year in years else None
    rows: dict[str, pa.Table] = {}  # the last side's: the new version's
    for own, label in ((sides.before, "before"), (sides.after, "after")):
        mine = students_rows([own], years, students)
        rows = {
            t: _without_batch(pa.concat_tables([shared[t], mine[t].cast(shared[t].schema)]))
            for t in shared
        }
        if graded is not None:
            graded.update(_graded_units(rows[FINAL_GRADES.name], graded_year))
        with Snapshot.from_tables(rows, f"{db.version}-{label}-students") as small:
            parts.append(
                students_parts(small, years=years, students=students, school_municipalities=placed)
            )
    return parts[0], parts[1], graded, rows


def _graded_units(finals: pa.Table, year: int | None) -> list[str]:
    """The units of ``finals``' rows of grade year 9 in ``year`` (``_GRADED_UNITS`` of rows
    already filtered by student)."""
    wanted = pc.and_(
        pc.equal(finals.column("school_year"), year), pc.equal(finals.column("grade_year"), 9)
    )
    units = pc.unique(finals.filter(pc.fill_null(wanted, False)).column("school_unit_code"))
    return [str(u) for u in units.to_pylist() if u is not None]


def _without_batch(table: pa.Table) -> pa.Table:
    """``table`` without its batch column (rows of several batches; a snapshot of tables
    fills in one of its own)."""
    names = [n for n in table.schema.names if n != "batch_id"]
    return table.select(names)


_GRADED_UNITS = f"""
SELECT DISTINCT school_unit_code FROM "{FINAL_GRADES.name}"
WHERE school_year = $year AND grade_year = 9
  AND student_key IN (SELECT unnest($students::VARCHAR[]))
"""
_UNITS_WITH_OTHERS = f"""
SELECT DISTINCT school_unit_code FROM "{FINAL_GRADES.name}"
WHERE school_year IN ({{year}}) AND grade_year = 9
  AND school_unit_code IN (SELECT unnest($units::VARCHAR[]))
  AND student_key NOT IN (SELECT unnest($students::VARCHAR[]))
"""
"""The units (of ``$units``) where a student not among ``$students`` has a grade of year 9."""
_DYADIC_BACKGROUND = f"""
SELECT coalesce(bool_and(abs(parents_education) <= 64
                         AND parents_education * 8388608 = floor(parents_education * 8388608)),
                true) AS dyadic
FROM "{ENROLMENTS.name}" WHERE school_year = $year
"""
"""Whether every parents' education of the year is a multiple of 2**-23 of at most 64 (any
single-precision value of the 1-3 scale): a unit's sum of them is then exact in float64."""


def background_updated(
    db: Snapshot,
    before: Snapshot,
    kept: pa.Table,
    year: int,
    students: Sequence[str],
    *,
    graded: Collection[str] | None = None,
    rows: Mapping[str, pa.Table] | None = None,
) -> pa.Table | None:
    """``unit_background(db, year)`` from ``kept`` (``before``'s), counting again only the
    units where ``students`` (every student with a changed row of ``year``) have a grade in
    either version. A unit's row is the means over its students (those it set most of their
    grades), each from that student's grades and enrolment alone, so only a unit one of them
    belonged to in either version can change. The means are sums of points (halves),
    indicators and parents' education over a count: exact, so the same bits in any order,
    when parents' education is a multiple of 2**-23 (every single-precision value of the
    1-3 scale: ``_DYADIC_BACKGROUND``); otherwise None (counted whole). ``graded``: those
    units when already known (read from the students' rows of both versions).

    ``rows``: every row of ``students`` in ``year`` of the tables a context reads, in ``db``.
    A touched unit where only those students have a grade of year 9 in ``db`` is then
    counted from their rows alone (its students' grades and enrolments are all there); only
    the units with other students too (``_UNITS_WITH_OTHERS``) are counted in ``db``."""
    dyadic = db.query(_DYADIC_BACKGROUND, {"year": year}).column("dyadic")[0].as_py()
    if not dyadic:
        return None
    if graded is None:
        params = {"year": year, "students": list(students)}
        graded = {
            str(u)
            for snapshot in (before, db)
            for u in snapshot.query(_GRADED_UNITS, params).column("school_unit_code").to_pylist()
            if u is not None
        }
    touched = sorted(graded)
    rest = kept.filter(
        pc.invert(pc.is_in(kept.column("school_unit_code"), pa.array(touched, pa.string())))
    )
    if not touched:
        return rest
    whole = touched
    fresh = []
    if rows is not None:
        params = {"units": touched, "students": list(students)}
        found = db.query(_UNITS_WITH_OTHERS.format(year=int(year)), params)
        whole = sorted(str(u) for u in found.column("school_unit_code").to_pylist())
        alone = sorted(set(touched) - set(whole))
        if alone:
            tables = {t: _without_batch(r) for t, r in rows.items()}
            with Snapshot.from_tables(tables, f"{db.version}-graded-students") as small:
                fresh.append(school_results(small, years=[year], only_units=alone))
    if whole:
        fresh.append(school_results(db, years=[year], only_units=whole))
    counted = [t.cast(kept.schema) for t in fresh]
    return sorted_rows(pa.concat_tables([rest, *counted]), ("school_unit_code", "school_year"))


def changed_students(changes: Snapshot, years: Collection[int]) -> list[str]:
    """The students with a row of ``years`` in ``changes`` (any table a context reads)."""
    query = " UNION ".join(
        f'SELECT DISTINCT student_key FROM "{t}" '
        "WHERE list_contains($years::INTEGER[], school_year)"
        for t in CONTEXT_READS
    )
    found = changes.query(query, {"years": sorted(int(y) for y in years)})
    return sorted(found.column("student_key").to_pylist())


_KEY: tuple[str, ...] = ("level", "code", "pair_code", "school_year", "group", "indicator")
"""What names a row of the long values (one row per key in a version's values)."""
_SUMS: tuple[str, ...] = tuple(f"s_{k}" for k in SUM_KEYS)


def put_together(kept: pa.Table, gone: pa.Table, came: pa.Table) -> pa.Table | None:
    """The long rows ``kept`` less the parts ``gone`` plus the parts ``came``, key by key
    (students and sums; the values from the sums as when counted), without rows left with no
    student; in ``kept``'s schema, unsorted. None when some sum might not be exact."""
    signed = []
    for table, sign in ((kept, 1), (came, 1), (gone, -1)):
        columns = {k: table.column(k) for k in _KEY}
        counts = [table.column("n").cast(pa.int64()), *(table.column(c) for c in _SUMS)]
        if sign < 0:
            counts = [pc.negate(c) for c in counts]
        signed.append(pa.table({**columns, **dict(zip(("n", *_SUMS), counts, strict=True))}))
    if not all(_exact([t.column(c) for t in signed]) for c in _SUMS):
        return None
    summed = (
        pa.concat_tables(signed)
        .group_by(list(_KEY), use_threads=False)
        .aggregate([(c, "sum") for c in ("n", *_SUMS)])
    )
    summed = summed.filter(pc.greater(summed.column("n_sum"), 0))
    parts = []
    indicators = summed.column("indicator")
    for indicator in sorted(pc.unique(indicators).to_pylist()):
        rows = summed.filter(pc.equal(indicators, indicator))
        sums = {k: rows.column(f"s_{k}_sum").to_numpy() for k in SUM_KEYS}
        columns = measure_columns(MEASURES[indicator], rows.column("n_sum"), sums)
        parts.append(pa.table({**{k: rows.column(k) for k in _KEY}, **columns}))
    if not parts:
        return kept.schema.empty_table()
    return pa.concat_tables(parts).select(kept.schema.names).cast(kept.schema)


def _exact(columns: list[pa.ChunkedArray]) -> bool:
    """Whether every sum of up to one value of each of ``columns`` (a row's kept value and
    parts) is exact in float64, whatever the order: all finite multiples of one unit (1, or
    a quarter for squared half points) and their largest magnitudes together under 2**53
    units. A value counted in one pass is then exact too (its parts are non-negative)."""
    arrays = [c.to_numpy() for c in columns]
    if not all(np.isfinite(a).all() for a in arrays):
        return False
    for unit in (1.0, 0.25):
        if all((np.floor(a / unit) == a / unit).all() for a in arrays):
            largest = sum(float(np.abs(a).max()) if a.size else 0.0 for a in arrays)
            return largest <= 2.0**53 * unit
    return False


def _values(
    long: pa.Table, version: str, years: list[int], school_municipalities: Mapping[str, str] | None
) -> IndicatorValues:
    """``indicator_values`` of ``years`` (every unit and level) from their long rows."""
    basis = MunicipalityBasis.SCHOOL if school_municipalities else MunicipalityBasis.HOME
    span = tuple(sorted(set(years)))
    return IndicatorValues(split_levels(long, Scope(), version, span, basis), basis, span, long)
