"""The national movement cells of a data version from another version's, per school year.

A movement cell counts the students of one school year, each once, from that year's
enrolments alone (``tables.movement_cells``); an introduction cell of year ``y`` follows its
students into ``y + 1`` and exists only for years before the newest (``introduction``). So a
version whose enrolments differ from another's only in some school years (an import or a
withdrawal) has the other's cells in every other year. The cells are kept one part per school
year (``year_parts``, each in the kept order), so an update counts only the changed years
(``cells_of_years``) and keeps the other years' parts as they are; the follow-up is one table,
updated by ``introduction_cells_updated``, which follows the changed years and the year before
each again. Both are kept in a total order, so an updated table equals the one computed anew
row for row (``tests/core/analytics/movement/test_kept_updated.py``).

The school year is the follow-up order's first column, so a changed year's rows are one run of
the kept table: the update puts the counted years' rows between the kept runs (``merged``,
slices of the two tables) instead of sorting every row again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.introduction import introduction_cells
from likvard_core.analytics.movement.scope import UPPER_SECONDARY_FORMS, Lookups, Scope
from likvard_core.analytics.movement.tables import movement_cells
from likvard_core.analytics.sorting import column_ranks, ranks_key, sorted_rows
from likvard_core.warehouse.snapshot import Snapshot

CELL_ORDER: tuple[str, ...] = (
    "home_municipality_code",
    "school_year",
    "organizer_code",
    "school_unit_code",
    "programme_code",
)
"""The kept cells' order (each school year's part): by home municipality, then the rest of a
cell's key."""
INTRODUCTION_ORDER: tuple[str, ...] = (
    "school_year",
    "home_municipality_code",
    "programme_code",
    "organizer_code",
    "outcome",
)


def _sorted(table: pa.Table, order: Sequence[str]) -> pa.Table:
    return table.sort_by([(c, "ascending") for c in order])


def national_movement_cells(
    db: Snapshot, lookups: Lookups, *, forms: tuple[str, ...] = UPPER_SECONDARY_FORMS
) -> pa.Table:
    """Every student of ``forms`` in cells (``movement_cells``), in the kept order."""
    return _sorted(movement_cells(db, lookups, Scope.of(school_forms=forms)), CELL_ORDER)


def national_introduction_cells(db: Snapshot, lookups: Lookups, scope: Scope) -> pa.Table:
    """Every introduction student's follow-up cell (``introduction_cells``), in the kept order."""
    return _sorted(introduction_cells(db, lookups, scope), INTRODUCTION_ORDER)


def year_parts(cells: pa.Table) -> dict[int, pa.Table]:
    """The rows of each school year of ``cells`` (in their order), by year: the parts a
    version keeps, one per school year with cells."""
    years = cells.column("school_year")
    return {
        int(y): cells.filter(pc.equal(years, pa.scalar(y, years.type)))
        for y in sorted(pc.unique(years).to_pylist())
    }


def cells_of_years(
    db: Snapshot,
    lookups: Lookups,
    *,
    years: Collection[int],
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
) -> dict[int, pa.Table]:
    """``year_parts(national_movement_cells(db))`` of ``years`` alone: a cell counts one
    school year's students from that year's enrolments, so a version whose enrolments differ
    from another's only in ``years`` keeps the other's parts of every other year."""
    changed = sorted({int(y) for y in years})
    if not changed:
        return {}
    fresh = movement_cells(db, lookups, Scope.of(school_forms=forms, years=changed))
    return year_parts(sorted_rows(fresh, CELL_ORDER))


def introduction_cells_updated(
    db: Snapshot, kept: pa.Table, lookups: Lookups, *, years: Collection[int]
) -> pa.Table:
    """``national_introduction_cells(db, lookups, Scope())`` from ``kept`` (as
    ``cells_updated``): the changed years and the year before each are followed again."""
    changed = sorted({int(y) for y in years} | {int(y) - 1 for y in years})
    if not changed:
        return kept
    fresh = introduction_cells(db, lookups, Scope.of(years=changed))
    return merged(kept, fresh, changed, INTRODUCTION_ORDER)


def merged(kept: pa.Table, fresh: pa.Table, years: Sequence[int], order: Sequence[str]) -> pa.Table:
    """``kept`` (sorted by ``order``) with the rows of ``years`` replaced by ``fresh`` (those
    years anew), sorted by ``order``: what sorting the two together gives, row for row.

    The columns of ``order`` up to the school year (its *prefix*) split the rows into groups
    that each come from one table (a group's year is either replaced or kept), each group
    sorted already. So one stable sort of the prefix's integer ranks over the kept rows and the
    sorted fresh rows gives the order, and the result is made of slices of the two tables
    (about two per home municipality for the cells), not a ``take`` of every row.
    """
    prefix = list(order[: list(order).index("school_year") + 1])
    fresh = sorted_rows(fresh.cast(kept.schema), order)
    both = pa.concat_tables([kept, fresh])
    stale = pc.is_in(kept.column("school_year"), pa.array(list(years), kept.schema.field(
        "school_year").type)).to_numpy(zero_copy_only=False)  # fmt: skip
    rows = np.concatenate(
        [np.flatnonzero(~stale), np.arange(kept.num_rows, both.num_rows, dtype=np.int64)]
    )
    if not len(rows):
        return kept.schema.empty_table()
    key = ranks_key([column_ranks(both.column(c)) for c in prefix])
    positions = rows[np.argsort(key[rows], kind="stable")]
    breaks = np.flatnonzero(np.diff(positions) != 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(positions)]])
    return pa.concat_tables(
        [both.slice(int(positions[a]), int(b - a)) for a, b in zip(starts, ends, strict=True)]
    )


CHOICE_KINDS: tuple[str, ...] = ("year", "admission", "programme")
"""The filter choices' kinds, in the order ``choices`` lists them."""

_CHOICE_YEARS_SQL = """
SELECT 'year' AS kind, school_year, '' AS value FROM (
    SELECT DISTINCT school_year FROM enrolments
    WHERE school_form IN (SELECT unnest($forms)) {years})
UNION ALL
SELECT 'admission', school_year, '' FROM (
    SELECT DISTINCT school_year FROM admissions WHERE school_year + 1 IN (
        SELECT school_year FROM enrolments
        WHERE school_form IN (SELECT unnest($forms)) AND grade_year = 1 {next_years})
    {admission_years})
UNION ALL
SELECT 'programme', school_year, programme_code FROM (
    SELECT DISTINCT school_year, programme_code FROM enrolments
    WHERE school_form IN (SELECT unnest($forms)) AND programme_code IS NOT NULL
      AND programme_code <> '' {years})
"""


def choices_of_years(
    db: Snapshot,
    *,
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
    years: Collection[int] | None = None,
    admissions: Collection[int] | None = None,
) -> pa.Table:
    """``kind, school_year, value``: the filter choices per school year (``choices``), sorted.

    A school year with enrolments in ``forms`` (``flows.enrolment_years``), an admission year
    whose next year has first-year enrolments (``admissions.admission_years``), and each
    school year's programme codes (``flows.programme_codes``). ``years``: only those
    enrolment years and their programmes; ``admissions``: only those admission years (both
    None: every year). Each depends only on its own year's enrolments (an admission year on
    its admissions and the next year's enrolments), so a version differing from another in
    some years keeps the other's rows of every other year."""
    params: dict[str, object] = {"forms": list(forms)}
    clauses = {"years": "", "next_years": "", "admission_years": ""}
    if years is not None or admissions is not None:
        wanted = sorted({int(y) for y in years or ()})
        adm = sorted({int(y) for y in admissions or ()})
        clauses = {  # integers only: plain lists the scan prunes row groups by
            "years": f"AND school_year IN ({', '.join(map(str, wanted)) or 'NULL'})",
            "next_years": f"AND school_year IN ({', '.join(str(y + 1) for y in adm) or 'NULL'})",
            "admission_years": f"AND school_year IN ({', '.join(map(str, adm)) or 'NULL'})",
        }
    table = db.query(_CHOICE_YEARS_SQL.format(**clauses), params)
    schema = pa.schema([("kind", pa.string()), ("school_year", pa.int32()), ("value", pa.string())])
    return _choices_sorted(table.cast(schema))


def _choices_sorted(table: pa.Table) -> pa.Table:
    kinds = pc.index_in(table.column("kind"), pa.array(CHOICE_KINDS))
    keyed = table.append_column("_kind", kinds)
    order = [("_kind", "ascending"), ("school_year", "ascending"), ("value", "ascending")]
    return keyed.sort_by(order).drop_columns(["_kind"])


def choices_updated(
    db: Snapshot,
    kept: pa.Table,
    *,
    enrolment_years: Collection[int],
    admission_years: Collection[int],
    forms: tuple[str, ...] = UPPER_SECONDARY_FORMS,
) -> pa.Table:
    """``choices_of_years(db)`` from ``kept`` (another version's), where the two versions'
    enrolments differ only in ``enrolment_years`` and their admissions in
    ``admission_years``: those years (and the admission years before changed enrolment
    years) are asked again, every other row is kept."""
    enrolled = {int(y) for y in enrolment_years}
    admitted = {int(y) for y in admission_years} | {y - 1 for y in enrolled}
    kinds = kept.column("kind")
    years = kept.column("school_year")
    stale = pc.or_(
        pc.and_(pc.not_equal(kinds, "admission"), pc.is_in(years, pa.array(sorted(enrolled),
                                                                           years.type))),
        pc.and_(pc.equal(kinds, "admission"), pc.is_in(years, pa.array(sorted(admitted),
                                                                       years.type))),
    )  # fmt: skip
    fresh = choices_of_years(db, forms=forms, years=enrolled, admissions=admitted)
    return _choices_sorted(pa.concat_tables([kept.filter(pc.invert(stale)), fresh]))


def choices(table: pa.Table) -> tuple[list[int], list[int], list[str]]:
    """Enrolment years, admission years and programme codes (each sorted, once) of
    ``choices_of_years``'s table."""
    kinds = table.column("kind").to_pylist()
    years = table.column("school_year").to_pylist()
    values = table.column("value").to_pylist()
    rows = list(zip(kinds, years, values, strict=True))
    return (
        sorted({int(y) for k, y, _ in rows if k == "year"}),
        sorted({int(y) for k, y, _ in rows if k == "admission"}),
        sorted({str(v) for k, _, v in rows if k == "programme"}),
    )
