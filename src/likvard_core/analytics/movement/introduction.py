"""Students on introduction programmes (IMA, IMS, IMV, IMY) followed to the next school year."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from enum import StrEnum

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.movement.scope import (
    INTRODUCTION_PREFIX,
    Lookups,
    Scope,
    base_sql,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot


class Outcome(StrEnum):
    """Where an introduction-programme student is on 15 October the next school year."""

    NATIONAL = "national"
    INTRODUCTION = "introduction"
    LEFT = "left"


_FOLLOW_SQL = f"""
, nxt AS (
    SELECT school_year - 1 AS school_year, student_key,
           min(coalesce(programme_code, '')) AS programme_code
    FROM {ENROLMENTS.name}
    WHERE school_form IN (SELECT unnest($forms)) {{next_years}}
      AND school_year - 1 IN (SELECT DISTINCT school_year FROM base)
    GROUP BY ALL
),
followed AS (
    SELECT b.school_year, b.home_municipality_code, b.programme_code, b.organizer_code,
           CASE WHEN n.student_key IS NULL THEN '{Outcome.LEFT.value}'
                WHEN starts_with(n.programme_code, '{INTRODUCTION_PREFIX}')
                    THEN '{Outcome.INTRODUCTION.value}'
                ELSE '{Outcome.NATIONAL.value}' END AS outcome
    FROM base AS b
    LEFT JOIN nxt AS n ON n.school_year = b.school_year AND n.student_key = b.student_key
    WHERE starts_with(b.programme_code, '{INTRODUCTION_PREFIX}')
      AND b.school_year < $last_year
)
"""

_CELLS_SQL = """
SELECT school_year, home_municipality_code, programme_code, organizer_code, outcome,
       count(*)::BIGINT AS n
FROM followed
GROUP BY ALL
ORDER BY ALL
"""

_LAST_YEAR_SQL = f"SELECT max(school_year) AS last FROM {ENROLMENTS.name}"
DIMS = ("school_year", "home_municipality_code", "programme_code", "outcome")
MARGINS = ("home_municipality_code", "programme_code", "outcome")
_CELL_SCHEMA = pa.schema(
    [
        pa.field("school_year", pa.int64()),
        pa.field("home_municipality_code", pa.string()),
        pa.field("programme_code", pa.string()),
        pa.field("organizer_code", pa.string()),
        pa.field("outcome", pa.string()),
        pa.field("n", pa.int64()),
    ]
)


def introduction_cells(
    db: Snapshot, lookups: Lookups, scope: Scope, *, last: int | None = None
) -> pa.Table:
    """The finest cells of the follow-up: introduction students per school year, home
    municipality, programme, organizer and next-year ``outcome`` (column ``n``), no margins.

    One pass over the enrolments; callers keep it per data version and slice it with
    ``introduction_from_cells`` (the whole country takes about as long as one municipality).
    With ``scope.years``, only those years (before the newest) and the years after them are
    read: the next year's enrolments are filtered by year in the scan, not after reading
    every year (issue #18: an update follows one or two years, not the nation's ten).
    ``last``: the version's newest school year when ``db`` holds only some of its rows (the
    newest year has no follow-up); by default the newest year in ``db``.
    """
    if last is None:
        last = newest_year(db)
    next_years = ""
    if scope.years is not None:
        followed = tuple(y for y in scope.years if y < last)  # the newest year has no row
        if not followed:
            return _CELL_SCHEMA.empty_table()
        scope = dataclasses.replace(scope, years=followed)
        next_years = "AND school_year IN (SELECT unnest($next_years))"
    sql, params = base_sql(scope, lookups, region_by="home")
    params["last_year"] = last
    if scope.years is not None:
        params["next_years"] = [y + 1 for y in scope.years]
    table = db.query(sql + _FOLLOW_SQL.format(next_years=next_years) + _CELLS_SQL, params)
    columns = {
        f.name: table.column(f.name).cast(f.type).fill_null("")
        if f.name in ("home_municipality_code", "organizer_code")
        else table.column(f.name).cast(f.type)
        for f in _CELL_SCHEMA
    }
    return pa.table(columns, schema=_CELL_SCHEMA)


def newest_year(db: Snapshot) -> int:
    """The newest school year with enrolments (any school form), 0 when there is none."""
    last = db.query(_LAST_YEAR_SQL).column("last")[0].as_py()
    return int(last) if last is not None else 0


def _with_margins(cells: pa.Table) -> pa.Table:
    """Sum the cells over every subset of the margin columns (a cube); a null in a margin
    column marks the total over it (ADR 0003)."""
    parts = []
    for kept in itertools.product((True, False), repeat=len(MARGINS)):
        keys = ["school_year"] + [m for m, keep in zip(MARGINS, kept, strict=True) if keep]
        grouped = cells.group_by(keys).aggregate([("n", "sum")]).rename_columns([*keys, "n"])
        columns = {
            dim: grouped.column(dim) if dim in keys else pa.nulls(grouped.num_rows, pa.string())
            for dim in DIMS
        }
        parts.append(pa.table({**columns, "n": grouped.column("n")}))
    return pa.concat_tables(parts).sort_by([(d, "ascending") for d in DIMS])  # nulls last


def introduction_from_cells(
    cells: pa.Table,
    *,
    data_version: str,
    label: str,
    municipalities: Iterable[str] | None = None,
) -> Aggregate:
    """The follow-up ``Aggregate`` of the residents of ``municipalities`` (``None``: every
    home municipality in ``cells``), with null margins, from ``introduction_cells``."""
    if municipalities is not None:
        wanted = pa.array(sorted(set(municipalities)), pa.string())
        cells = cells.filter(pc.is_in(cells.column("home_municipality_code"), wanted))
    organizers = frozenset(pc.unique(cells.column("organizer_code")).to_pylist())
    return Aggregate(
        table=_with_margins(cells.select([*DIMS, "n"])),
        dims=DIMS,
        count="n",
        values=(),
        population=Population(
            scope=f"movement.introduction/{label}",
            organizers=frozenset(str(o) for o in organizers),
            level=Level.MUNICIPALITY,
        ),
        data_version=data_version,
        margins=MARGINS,
    )


def introduction_followup(db: Snapshot, lookups: Lookups, scope: Scope) -> Aggregate:
    """Introduction-programme students of each school year (living in the region) by where they
    are the next year: a national programme, still an introduction programme, or ``left``
    (no upper-secondary enrolment). The last year with data has no next year and is left out.

    Dims ``school_year, home_municipality_code, programme_code, outcome``, each but the year
    a margin column whose null marks the total (``outcome`` null counts the year's
    introduction students).
    """
    cells = introduction_cells(db, lookups, scope)
    return introduction_from_cells(cells, data_version=db.version, label=scope.label())
