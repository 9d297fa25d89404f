"""Cohort follow-up of upper-secondary starters: diploma within 3, 4 and 5 years, and paths.

Who counts (Skolverket's measures, reference section 1): a *starter* is a student whose first
upper-secondary enrolment (15 October, gymnasieskola) is in årskurs 1; the start year is that
school year. "Diploma within k years" is a diploma (högskoleförberedande examen or yrkesexamen)
issued in a school year ≤ start + k − 1. Skolverket's 3-year measure counts starters on
national programmes; the 4-year measure counts all starters, introduction programmes included.
A cohort is shown for horizon k only when the data reach its school year start + k − 1.

Skolverket also excludes students without a Swedish personnummer at the start; the warehouse
holds pseudonymised keys and cannot tell a samordningsnummer apart, so no one is excluded here
(named on the page).

At each horizon every starter is in exactly one outcome, the first that applies: ``diploma``;
``certificate`` (a studiebevis by then, no diploma); ``studying`` (still enrolled in the
horizon's last year); ``interrupted`` (none of these: left without a certificate).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Partitions, Population
from likvard_core.stats.intervals import wilson_interval
from likvard_core.terms import Certificate, SchoolForm
from likvard_core.warehouse.schema import DIPLOMAS, ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot

HORIZONS: tuple[int, ...] = (3, 4, 5)
OUTCOMES: tuple[str, ...] = ("diploma", "studying", "certificate", "interrupted")
PREPARATORY_PROGRAMMES: tuple[str, ...] = ("EK", "ES", "HU", "NA", "SA", "TE", "IB")
"""Högskoleförberedande programmes (IB counted with them); other national ones are vocational."""
GROUP = "programme_group"
ALL = "all"
GROUPS = Partitions(
    column=GROUP,
    total=ALL,
    parts=(("preparatory", "vocational", "introduction"),),
    complete=True,
)
"""``all`` starters split into the three programme types (every starter is in one: complete).
National programmes (preparatory and
vocational together) are not a row of their own: one column split two ways would overlap in the
release cube, so the pages add the two released rows up (``national_rows``)."""
BREAKDOWNS: tuple[str, ...] = (
    "home_municipality_code",
    "organizer_code",
    "school_unit_code",
    "programme_code",
    "background",
)
PATHS: tuple[str, ...] = ("moved_programme", "moved_organizer", "moved_municipality")
PATH_COUNTS: tuple[str, ...] = (*PATHS, "im_to_national")
"""Paths counted so far within five years of the start: each is a change between two school
years, so it can be seen at the earliest in the school year after the start."""
PATH_COLUMNS: tuple[str, ...] = (*PATH_COUNTS, *(f"{p}_share" for p in PATH_COUNTS))
"""The paths' counts and shares: not applicable (not yet observable) for a start year whose
next school year is not in the data (``paths_observable``), never a 0."""
PATH_YEARS = 5
"""The years a path is followed (start year included)."""
COUNTS: tuple[str, ...] = (
    *(f"diploma_{k}" for k in HORIZONS),
    *(f"{o}_4" for o in OUTCOMES[1:]),
    *PATHS,
    "im_to_national",
)

_FORM = SchoolForm.UPPER_SECONDARY.value

_STARTERS_SQL = f"""
WITH units AS (
    SELECT unnest($unit_codes) AS school_unit_code, unnest($unit_munis) AS municipality_code
),
gy AS (
    SELECT e.school_year, e.student_key, e.school_unit_code, e.organizer_code,
           coalesce(e.programme_code, '') AS programme_code, e.home_municipality_code,
           e.grade_year, e.born_abroad, coalesce(u.municipality_code, '') AS school_municipality
    FROM {ENROLMENTS.name} AS e LEFT JOIN units AS u USING (school_unit_code)
    WHERE e.school_form = '{_FORM}'
),
students AS (
    SELECT student_key, min(school_year) AS start_year,
           count(*) = bit_count(bit_or(1::UBIGINT << (school_year % 64)::UTINYINT)) AS single
    FROM gy GROUP BY student_key
),
spans AS (
    SELECT g.*, s.start_year, s.single FROM gy AS g JOIN students AS s USING (student_key)
    WHERE g.school_year <= s.start_year + 4
),
kept AS (
    SELECT * EXCLUDE (single) FROM spans WHERE single
    UNION ALL
    SELECT school_year, student_key, min(school_unit_code),
           arg_min(organizer_code, school_unit_code), arg_min(programme_code, school_unit_code),
           arg_min(home_municipality_code, school_unit_code),
           arg_min(grade_year, school_unit_code), arg_min(born_abroad, school_unit_code),
           arg_min(school_municipality, school_unit_code), any_value(start_year)
    FROM spans WHERE NOT single
    GROUP BY school_year, student_key
),
paths AS (
    SELECT student_key, any_value(start_year) AS school_year,
           first(school_unit_code) FILTER (WHERE school_year = start_year) AS school_unit_code,
           first(organizer_code) FILTER (WHERE school_year = start_year) AS organizer_code,
           first(programme_code) FILTER (WHERE school_year = start_year) AS programme_code,
           first(home_municipality_code) FILTER (WHERE school_year = start_year)
               AS home_municipality_code,
           first(grade_year) FILTER (WHERE school_year = start_year) AS grade_year,
           first(born_abroad) FILTER (WHERE school_year = start_year) AS born_abroad,
           max(school_year) FILTER (WHERE school_year <= start_year + 2) AS last_3,
           max(school_year) FILTER (WHERE school_year <= start_year + 3) AS last_4,
           max(school_year) AS last_5,
           min(programme_code) <> max(programme_code) AS moved_programme,
           min(organizer_code) <> max(organizer_code) AS moved_organizer,
           min(school_municipality) <> max(school_municipality) AS moved_municipality,
           bool_or(NOT starts_with(programme_code, 'IM')) AS any_national
    FROM kept GROUP BY student_key
),
certs AS (
    SELECT student_key,
           min(school_year) FILTER (WHERE list_contains($diplomas, certificate)) AS diploma_year,
           min(school_year) FILTER (WHERE certificate = $study) AS certificate_year
    FROM {DIPLOMAS.name} GROUP BY student_key
),
each AS (
    SELECT p.student_key, p.last_3, p.school_year AS start_year, p.programme_code,
           p.organizer_code, p.school_unit_code, p.home_municipality_code,
           CASE WHEN p.born_abroad IS NULL THEN 'unknown'
                WHEN p.born_abroad THEN 'born_abroad' ELSE 'born_in_sweden' END AS background,
           CASE WHEN starts_with(p.programme_code, 'IM') THEN 'introduction'
                WHEN list_contains($preparatory, p.programme_code) THEN 'preparatory'
                ELSE 'vocational' END AS programme_group,
           {{outcomes}},
           p.moved_programme, p.moved_organizer, p.moved_municipality,
           starts_with(p.programme_code, 'IM') AND p.any_national AS im_to_national
    FROM paths AS p
    LEFT JOIN certs AS c ON c.student_key = p.student_key
    WHERE p.grade_year = 1
)
"""
"""One row per starter. Each student's upper-secondary rows of the five school years from
their first are read once: a student enrolled at two units in one year (rare) keeps the row of
the smaller unit code, found only for students whose row count exceeds their distinct years;
the start year's row gives the groups; a path moved when two of its rows differ (every row
is compared with the start row's value, which is one of them)."""

_CELLS_SQL = """
SELECT start_year, programme_group, programme_code, organizer_code, school_unit_code,
       home_municipality_code, background,
       count(*)::BIGINT AS n,
       {sums}
FROM each
GROUP BY ALL
ORDER BY ALL
"""


def _outcome_sql(k: int) -> str:
    end = f"p.school_year + {k - 1}"
    return f"""CASE WHEN {end} > $last_year THEN NULL
                WHEN c.diploma_year <= {end} THEN 'diploma'
                WHEN c.certificate_year <= {end} THEN 'certificate'
                WHEN p.last_{k} >= {end} THEN 'studying'
                ELSE 'interrupted' END AS outcome_{k}"""


def _sums_sql() -> str:
    parts = [f"count(outcome_{k})::BIGINT AS observed_{k}" for k in HORIZONS]
    parts += [
        f"count(*) FILTER (WHERE outcome_{k} = 'diploma')::BIGINT AS diploma_{k}" for k in HORIZONS
    ]
    parts += [f"count(*) FILTER (WHERE outcome_4 = '{o}')::BIGINT AS {o}_4" for o in OUTCOMES[1:]]
    parts += [f"count(*) FILTER (WHERE {c})::BIGINT AS {c}" for c in (*PATHS, "im_to_national")]
    return ",\n       ".join(parts)


def starters_sql(
    unit_municipalities: Mapping[str, str], last_year: int
) -> tuple[str, dict[str, object]]:
    """The CTEs ending in ``each`` (one row per starter: key, start year, groups, outcome per
    horizon, paths, ``last_3`` = last enrolled year within 3 years) and their parameters."""
    codes = sorted(unit_municipalities)
    sql = _STARTERS_SQL.replace(
        "{outcomes}", ",\n           ".join(_outcome_sql(k) for k in HORIZONS)
    )
    params: dict[str, object] = {
        "unit_codes": codes,
        "unit_munis": [unit_municipalities[c] for c in codes],
        "diplomas": list(Certificate.diplomas()),
        "study": Certificate.STUDY_CERTIFICATE.value,
        "preparatory": list(PREPARATORY_PROGRAMMES),
        "last_year": last_year,
    }
    return sql, params


def paths_observable(start_year: int, last_year: int) -> bool:
    """True when a path of ``start_year``'s starters can have been seen: the data reach the
    school year after the start. Before that every path count is 0 by design, not because
    nobody moved: the figure does not exist yet (not applicable, not a 0)."""
    return start_year + 1 <= last_year


def last_path_start(last_year: int) -> int:
    """The newest start year whose paths can have been seen (``paths_observable``)."""
    return last_year - 1


def last_complete_path_start(last_year: int) -> int:
    """The newest start year whose paths are followed through all ``PATH_YEARS`` years."""
    return last_year - PATH_YEARS + 1


def last_year(db: Snapshot) -> int:
    """The last school year with enrolments (0 when none)."""
    value = db.query(f"SELECT max(school_year) AS y FROM {ENROLMENTS.name}").column("y")[0]
    return int(value.as_py() or 0)


def starter_cells(db: Snapshot, *, unit_municipalities: Mapping[str, str]) -> pa.Table:
    """The finest cells of the follow-up: starters per start year, programme, organizer, school
    unit, home municipality and background, with counts per outcome (no student keys).

    ``unit_municipalities`` maps school-unit codes to the municipality they lie in (the register),
    for "moved municipality". One pass over enrolments and diplomas; callers keep it per data
    version and build every breakdown from it with ``completion_by``.
    """
    sql, params = starters_sql(unit_municipalities, last_year(db))
    return db.query(sql + _CELLS_SQL.replace("{sums}", _sums_sql()), params)


def _grouped(cells: pa.Table, keys: list[str], columns: list[str]) -> pa.Table:
    if not cells.num_rows:
        return pa.table(
            {**{k: pa.array([], pa.string()) for k in keys},
             **{c: pa.array([], pa.int64()) for c in columns}}
        )  # fmt: skip
    grouped = cells.group_by(keys).aggregate([(c, "sum") for c in columns])
    return pa.table(
        {**{k: grouped.column(k) for k in keys}, **{c: grouped.column(f"{c}_sum") for c in columns}}
    )


def _with_groups(cells: pa.Table) -> pa.Table:
    """The cells once per programme type and once as ``all``: the values of the partition
    column ``programme_group``."""
    everyone = cells.set_column(
        cells.schema.get_field_index(GROUP), GROUP, pa.array([ALL] * cells.num_rows, pa.string())
    )
    return pa.concat_tables([cells, everyone])


def _rates(table: pa.Table) -> pa.Table:
    """Shares of ``n`` for every count, with Wilson intervals for the diploma rates; a diploma
    rate is null where the horizon is not yet observed."""
    n = table.column("n").to_numpy().astype(float)
    for k in HORIZONS:
        observed = table.column(f"observed_{k}").to_numpy().astype(float)
        hits = table.column(f"diploma_{k}").to_numpy().astype(float)
        low, high = wilson_interval(hits, np.where(observed > 0, observed, 0.0))
        share = np.where(observed > 0, hits / np.maximum(observed, 1.0), np.nan)
        for name, values in ((f"diploma_{k}_share", share), (f"diploma_{k}_low", low),
                             (f"diploma_{k}_high", high)):  # fmt: skip
            table = table.append_column(name, pa.array(values, pa.float64(), from_pandas=True))
    observed_4 = table.column("observed_4").to_numpy().astype(float)
    for outcome in OUTCOMES[1:]:
        hits = table.column(f"{outcome}_4").to_numpy().astype(float)
        share = np.where(observed_4 > 0, hits / np.maximum(observed_4, 1.0), np.nan)
        table = table.append_column(f"{outcome}_4_share", pa.array(share, from_pandas=True))
    for path in (*PATHS, "im_to_national"):
        hits = table.column(path).to_numpy().astype(float)
        share = np.where(n > 0, hits / np.maximum(n, 1.0), np.nan)
        table = table.append_column(f"{path}_share", pa.array(share, from_pandas=True))
    return table


OUTCOME_PARTS: tuple[str, ...] = tuple(f"{o}_4" for o in OUTCOMES)
"""Every starter of an observed cohort is in exactly one outcome at four years: the counts
split the starters (``Aggregate.parts``); before the horizon all four are 0."""
OTHER_PARTS: tuple[tuple[str, ...], ...] = tuple((c,) for c in COUNTS if c not in OUTCOME_PARTS)
"""The other counts, each a part of the starters on its own (diploma within three years is
also within four; a student may change programme and organizer): ``Aggregate.part_sets``."""

VALUE_COLUMNS: tuple[str, ...] = (
    *(f"observed_{k}" for k in HORIZONS),
    *COUNTS,
    *(f"diploma_{k}_{s}" for k in HORIZONS for s in ("share", "low", "high")),
    *(f"{o}_4_share" for o in OUTCOMES[1:]),
    *(f"{p}_share" for p in (*PATHS, "im_to_national")),
)


_SUMMED: list[str] = ["n", *(f"observed_{k}" for k in HORIZONS), *COUNTS]
"""The counts of a cell, summed when cells are grouped."""


def completion_by(
    cells: pa.Table,
    *,
    by: str,
    data_version: str,
    scope: str,
    organizers: frozenset[str] | None = None,
    level: Level = Level.REGION,
) -> Aggregate:
    """Starters and their outcomes per start year, programme group and ``by`` (one of
    ``BREAKDOWNS``), with ``by``'s total as a null row; rates in shares 0-1.

    ``organizers`` limits the cells to those organizers' starters (None: every cell).
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    if organizers is not None:
        wanted = pa.array(sorted(organizers), pa.string())
        cells = cells.filter(pc.is_in(cells.column("organizer_code"), wanted))
    keys = list(_levels(by))
    finest = _with_groups(_grouped(cells, ["start_year", GROUP, *keys], _SUMMED))
    finest = _grouped(finest, ["start_year", GROUP, *keys], _SUMMED)
    totals = _grouped(finest, ["start_year", GROUP], _SUMMED)
    for key in keys:
        totals = totals.append_column(key, pa.nulls(totals.num_rows, pa.string()))
    parts = [t.select(["start_year", GROUP, *keys, *_SUMMED]) for t in (finest, totals)]
    table = pa.concat_tables(parts, promote_options="permissive")
    involved = frozenset(str(o) for o in pc.unique(cells.column("organizer_code")).to_pylist())
    return _by_aggregate(
        table, by=by, involved=involved, data_version=data_version, scope=scope, level=level
    )


def _levels(by: str) -> tuple[str, ...]:
    """The breakdown columns of ``by``'s table: a school unit's row names its organizer too,
    so the release cube ties an organizer's row to its units' rows (an organizer is the sum
    of its units); the total row has both null."""
    return ("organizer_code", by) if by == "school_unit_code" else (by,)


def _by_aggregate(
    table: pa.Table,
    *,
    by: str,
    involved: frozenset[str],
    data_version: str,
    scope: str,
    level: Level,
) -> Aggregate:
    """``completion_by``'s aggregate from its counted rows (any order): sorted, with rates."""
    keys = _levels(by)
    order = ["start_year", GROUP, *keys]
    table = table.sort_by([(c, "ascending") for c in order])
    return Aggregate(
        table=_rates(table),
        dims=tuple(order),
        count="n",
        values=VALUE_COLUMNS,
        population=Population(scope=f"completion.cohort/{scope}", organizers=involved, level=level),
        data_version=data_version,
        margins=keys,
        partitions=GROUPS if table.num_rows else None,  # the check needs a row to look at
        parts=OUTCOME_PARTS,
        part_sets=OTHER_PARTS,
    )  # fmt: skip


_FOLLOWUP_SQL = """
SELECT start_year,
       CASE WHEN grouping(programme_group) = 1 THEN 'all' ELSE programme_group END
           AS programme_group,
       CASE WHEN grouping({by}) = 1 THEN NULL ELSE {by} END AS {by},
       CASE WHEN grouping({by}) = 1 THEN NULL ELSE {level} END AS level_of,
       CASE WHEN grouping(start_year) = 1 THEN organizer_code END AS involved,
       count(*)::BIGINT AS n,
       {sums}
FROM each
GROUP BY GROUPING SETS ((start_year, programme_group, {keys}), (start_year, {keys}),
                        (start_year, programme_group), (start_year), (organizer_code))
"""
"""``completion_by``'s rows counted straight from the starters (``all`` and the total as
grouping sets), and one row per organizer involved (``involved``, start year null).
``level_of`` is a school unit's organizer (``_levels``)."""


def completion_followup(
    db: Snapshot,
    *,
    by: str,
    unit_municipalities: Mapping[str, str],
    data_version: str,
    scope: str,
    level: Level = Level.REGION,
) -> Aggregate:
    """``completion_by`` of one breakdown over every starter of ``db``, counted in DuckDB
    straight from the starters: the same table as ``completion_by(starter_cells(db), by=by)``
    without the finest cells (seven dimensions, about one cell per starter) or their
    regrouping. For one table of a whole data version (the national follow-up per home
    municipality); pages that release every breakdown build the cells once instead.
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    sql, params = starters_sql(unit_municipalities, last_year(db))
    keys = _levels(by)
    level_of = keys[0] if len(keys) > 1 else "NULL"
    query = (
        _FOLLOWUP_SQL.replace("{by}", by)
        .replace("{keys}", ", ".join(keys))
        .replace("{level}", level_of)
        .replace("{sums}", _sums_sql())
    )
    counted = db.query(sql + query, params)
    if len(keys) > 1:
        counted = counted.drop_columns([keys[0]]) if keys[0] in counted.schema.names else counted
        counted = counted.rename_columns(
            [keys[0] if c == "level_of" else c for c in counted.schema.names]
        )
    whole = pc.is_null(counted.column("start_year"))
    organizers = counted.filter(whole).column("involved").to_pylist()
    table = counted.filter(pc.invert(whole)).select(["start_year", GROUP, *keys, *_SUMMED])
    strings = [
        pa.field(f.name, pa.string()) if f.name in (GROUP, *keys) else f for f in table.schema
    ]
    table = table.cast(pa.schema(strings))
    return _by_aggregate(
        table,
        by=by,
        involved=frozenset(str(o) for o in organizers),
        data_version=data_version,
        scope=scope,
        level=level,
    )


def completion_totals(cells: pa.Table, *, data_version: str, scope: str) -> Aggregate:
    """Every start year's starters and outcomes per programme group, over all of ``cells``
    (the trend), without a breakdown column."""
    by = completion_by(cells, by="background", data_version=data_version, scope=scope)
    table = by.table.filter(pc.is_null(by.table.column("background")))
    table = table.drop_columns(["background"])
    return Aggregate(
        table=table,
        dims=("start_year", GROUP),
        count="n",
        values=VALUE_COLUMNS,
        population=by.population,
        data_version=data_version,
        partitions=GROUPS if table.num_rows else None,
        parts=OUTCOME_PARTS,
        part_sets=OTHER_PARTS,
    )


def completion_breakdowns(
    cells: pa.Table,
    *,
    data_version: str,
    scope: str,
    organizers: frozenset[str] | None = None,
    year: int | None = None,
) -> dict[str, Aggregate]:
    """``completion_by`` for every breakdown (of one start ``year``, or all): the tables a page
    releases together."""
    if year is not None:
        cells = cells.filter(pc.equal(cells.column("start_year"), year))
    return {
        by: completion_by(
            cells, by=by, data_version=data_version, scope=scope, organizers=organizers
        )
        for by in BREAKDOWNS
    }
