"""Komvux measures per start, course, provider type, provision, size, municipality and year.

No authority publishes definitions of these measures (shared reference on adult education,
section 2); Likvärd's **working definitions** are in ``DEFINITIONS`` and shown beside every
figure. Each measure keeps its numerator and denominator as counts, so the release gate can
treat the counts as cells of its cube and hide small groups; the parts of each count add up
to it exactly:

- ``applications``: applicants (count), admitted and not admitted (parts; a start that
  reports no admitted count has all applicants not admitted); söktryck = applicants / places.
- ``first_hand`` and ``eligible``: first-hand and eligible applicants; söktryck over places.
- ``enrolment``: enrolled at the check date (count) in four parts: completed, interrupted and
  continuing (the enrolled of the starts that report results, ``enrolled_ended``) and
  ``not_reported`` (the enrolled of starts still running). The results (``OUTCOMES``) are
  *not applicable* (null, not 0) where no start of the row has ended: a running start has
  no completed, so they are no figure and no cell, for the gate (a null part is not a cell
  of its cube) and for the auditor alike. Which rows they are is a fact of the course
  calendar, not of any student (``unended_rows``), so the pages show those outcomes empty
  even in a hidden row, and the auditor is told (issue #15: it pinned 84 of them to 0 on the
  demo while they were sent to it as hidden cells). ``not_reported`` is 0 where every start
  has ended: in a year whose total shows 0 not reported, the gate releases those zeros rather
  than protecting them (ADR 0003), and the auditor counts them as zeros of a total;
  fill rate = enrolled / places; completion = completed / enrolled, over the starts that
  report their results (``enrolled_ended``: a start still running reports none);
  interruption = interrupted / (completed + interrupted), Skolverket's share of those who
  ended a course.
- ``outcomes``: completers followed up (count) in three parts: in work, in studies and
  neither; outcome =
  (in work + in studies) / followed up; work = in work / followed up.

Shares carry Wilson 95 % intervals. A start reports a measure only where its count is given
(an empty count is missing, not zero): each measure sums the places of the starts that report
it, so fill rate is never diluted by starts without an enrolled count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.stats.intervals import wilson_interval
from likvard_core.warehouse.schema import KOMVUX_FOLLOWUP, KOMVUX_STARTS
from likvard_core.warehouse.snapshot import Snapshot

LARGE_FROM = 20
"""Working definition: a start with at least this many offered places is *large*."""
FOLLOWUP_MONTHS = 6
"""The follow-up GR reports: six months after completing."""
BREAKDOWNS: tuple[str, ...] = (
    "municipality_code",
    "course_code",
    "start_key",
    "provider_type",
    "provision",
    "size",
)
"""The columns a measure is broken down by (each with the year, and the year's total)."""

OUTCOMES: tuple[str, ...] = ("completed", "interrupted", "continuing")
"""The enrolment parts that exist only for starts that have ended: not applicable (null) in
a row none of whose starts has ended."""


@dataclass(frozen=True, slots=True)
class Measure:
    """One family of figures: its count column, the parts of it and the figures derived."""

    name: str
    count: str
    parts: tuple[str, ...]
    values: tuple[str, ...]


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "applications",
            "applicants",
            ("admitted", "not_admitted"),
            ("places", "admitted", "not_admitted", "soktryck"),
        ),
        Measure("first_hand", "first_hand", (), ("places", "soktryck")),
        Measure("eligible", "eligible", (), ("places", "soktryck")),
        Measure(
            "enrolment",
            "enrolled",
            ("completed", "interrupted", "continuing", "not_reported"),
            (
                "places",
                "completed",
                "interrupted",
                "continuing",
                "not_reported",
                "enrolled_ended",
                "fill_rate",
                "completion_rate",
                "completion_low",
                "completion_high",
                "interruption_rate",
                "interruption_low",
                "interruption_high",
            ),
        ),
        Measure(
            "outcomes",
            "followed_up",
            ("in_work", "in_studies", "neither"),
            (
                "places",
                "in_work",
                "in_studies",
                "neither",
                "outcome_rate",
                "outcome_low",
                "outcome_high",
                "work_rate",
            ),
        ),
    )
}

DEFINITIONS: dict[str, str] = {
    "soktryck": "applicants per offered place (working definition)",
    "soktryck_first_hand": "first-hand applicants per offered place (working definition)",
    "soktryck_eligible": "eligible applicants per offered place, GR's 'behöriga sökande per "
    "plats' (working definition)",
    "fill_rate": "enrolled at the check date / offered places, % (working definition)",
    "completion_rate": "completed / enrolled at the check date, % (working definition)",
    "interruption_rate": "interrupted / (completed + interrupted), %: Skolverket's share among "
    "those who ended or interrupted",
    "outcome_rate": "in work or studies / completers followed up, N months after completing "
    "(GR: six months; working definition of method)",
    "size": f"large: {LARGE_FROM} offered places or more; small: fewer (working definition)",
}
"""The working definition of each measure, in English (the pages translate them)."""

_CELLS_SQL = f"""
SELECT year(s.start_date)::INTEGER AS year, s.municipality_code,
       s.municipality_code || '/' || s.start_id AS start_key, s.start_id, s.start_date,
       s.course_code, s.course_name, s.study_type, s.provider, s.provider_type, s.provision,
       CASE WHEN s.places >= $large THEN 'large' ELSE 'small' END AS size,
       s.places, s.applicants, s.first_hand, s.eligible, s.admitted, s.check_date, s.enrolled,
       s.completed, s.interrupted, f.followed_up, f.in_work, f.in_studies
FROM {KOMVUX_STARTS.name} AS s
LEFT JOIN {KOMVUX_FOLLOWUP.name} AS f
  ON f.municipality_code = s.municipality_code AND f.start_id = s.start_id
 AND f.months = $months
WHERE s.municipality_code IN (SELECT unnest($municipalities))
ORDER BY year, start_key
"""


def start_cells(
    db: Snapshot,
    *,
    municipalities: list[str],
    large_from: int = LARGE_FROM,
    months: int = FOLLOWUP_MONTHS,
) -> pa.Table:
    """One row per komvux start organized by ``municipalities``: its year (of the start date),
    descriptions, size class, counts, and the follow-up ``months`` after completing (null when
    not followed up)."""
    params = {"large": large_from, "months": months, "municipalities": sorted(municipalities)}
    return db.query(_CELLS_SQL, params)


def _share(hits: np.ndarray, total: np.ndarray) -> np.ndarray:
    return np.where(total > 0, hits / np.maximum(total, 1.0), np.nan)


def _column(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.float64(), from_pandas=True)


def _figures(measure: Measure, sums: Mapping[str, np.ndarray]) -> dict[str, pa.Array]:
    """The derived figures of ``measure`` from its summed counts."""
    places = sums["places"]
    if measure.name in {"applications", "first_hand", "eligible"}:
        return {"soktryck": _column(_share(sums[measure.count], places))}
    if measure.name == "enrolment":
        enrolled, completed, interrupted = sums["enrolled"], sums["completed"], sums["interrupted"]
        reported = sums["enrolled_ended"]
        ended = completed + interrupted
        c_low, c_high = wilson_interval(completed, reported)
        i_low, i_high = wilson_interval(interrupted, ended)
        return {
            "fill_rate": _column(_share(enrolled, places)),
            "completion_rate": _column(_share(completed, reported)),
            "completion_low": _column(c_low),
            "completion_high": _column(c_high),
            "interruption_rate": _column(_share(interrupted, ended)),
            "interruption_low": _column(i_low),
            "interruption_high": _column(i_high),
        }
    followed, work, studies = sums["followed_up"], sums["in_work"], sums["in_studies"]
    low, high = wilson_interval(work + studies, followed)
    return {
        "outcome_rate": _column(_share(work + studies, followed)),
        "outcome_low": _column(low),
        "outcome_high": _column(high),
        "work_rate": _column(_share(work, followed)),
    }


def _summed(
    cells: pa.Table, keys: list[str], columns: list[str], *, sparse: tuple[str, ...] = ()
) -> pa.Table:
    """``columns`` summed per ``keys``; a ``sparse`` column stays null where every start of
    the group has it null (no start of the group has that part), others count a null as 0."""
    if not cells.num_rows:
        return pa.table(
            {**{k: pa.array([], cells.schema.field(k).type) for k in keys},
             **{c: pa.array([], pa.int64()) for c in columns}}
        )  # fmt: skip
    filled = cells.select(keys)
    for c in columns:
        column = cells.column(c) if c in sparse else pc.fill_null(cells.column(c), 0)
        filled = filled.append_column(c, column.cast(pa.int64()))
    grouped = filled.group_by(keys).aggregate([(c, "sum") for c in columns])
    return pa.table(
        {**{k: grouped.column(k) for k in keys}, **{c: grouped.column(f"{c}_sum") for c in columns}}
    )


def komvux_by(
    cells: pa.Table,
    *,
    measure: str,
    by: str,
    data_version: str,
    scope: str,
    organizers: Mapping[str, str],
    level: Level = Level.REGION,
) -> Aggregate:
    """``measure`` (one of ``MEASURES``) per year, organizer and ``by`` (one of
    ``BREAKDOWNS``), with totals as nulls (the organizer's total, the region's per ``by``
    value, the year's): summed counts, places and derived figures (shares 0-1, söktryck as
    applicants per place).

    ``organizers`` maps each municipality code to its organizer's organisation number (the
    population the gate asks about). Starts that do not report the measure's count are left out.
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    spec = MEASURES[measure]
    reporting = cells.filter(pc.is_valid(cells.column(spec.count)))
    if measure == "enrolment":  # the starts that report results: their enrolled in three parts
        ended = pc.is_valid(reporting.column("completed"))
        reported = pc.if_else(ended, reporting.column("enrolled"), 0)
        settled = pc.add(
            pc.fill_null(reporting.column("completed"), 0),
            pc.fill_null(reporting.column("interrupted"), 0),
        )
        reporting = reporting.append_column("enrolled_ended", reported)
        reporting = reporting.append_column(
            "continuing", pc.if_else(ended, pc.subtract(reported, settled), None)
        )
        reporting = reporting.append_column(
            "not_reported", pc.if_else(ended, None, reporting.column("enrolled"))
        )
    if measure == "applications":  # admitted is reported by some starts only
        admitted = reporting.column("admitted")
        rest = pc.subtract(reporting.column("applicants"), admitted)
        reporting = reporting.set_column(
            reporting.schema.get_field_index("admitted"), "admitted", pc.fill_null(admitted, 0)
        ).append_column(
            "not_admitted", pc.if_else(pc.is_valid(admitted), rest, reporting.column("applicants"))
        )
    if measure == "outcomes":
        worked = pc.add(reporting.column("in_work"), reporting.column("in_studies"))
        reporting = reporting.append_column(
            "neither", pc.subtract(reporting.column("followed_up"), worked)
        )
    extra = ["enrolled_ended"] if measure == "enrolment" else []
    counts = ["places", spec.count, *spec.parts, *extra]
    sparse = OUTCOMES if measure == "enrolment" else ()
    parts = []
    for keys in (["year", by], ["year"]):
        grouped = _summed(reporting, keys, counts, sparse=sparse)
        if by not in keys:
            grouped = grouped.append_column(by, pa.nulls(grouped.num_rows, pa.string()))
        parts.append(grouped.select(["year", by, *counts]))
    table = pa.concat_tables(parts, promote_options="permissive")
    table = table.sort_by([("year", "ascending"), (by, "ascending")])
    sums = {
        c: np.nan_to_num(table.column(c).to_numpy(zero_copy_only=False).astype(float))
        for c in counts
    }
    for name, values in _figures(spec, sums).items():
        table = table.append_column(name, values)
    municipalities = pc.unique(reporting.column("municipality_code")).to_pylist()
    involved = frozenset(organizers[m] for m in municipalities if m in organizers)
    return Aggregate(
        table=table,
        dims=("year", by),
        count=spec.count,
        values=tuple(v for v in spec.values if v != spec.count),
        population=Population(scope=f"komvux.{measure}/{scope}", organizers=involved, level=level),
        data_version=data_version,
        margins=(by,),
        parts=spec.parts,
    )


def unended_rows(aggregate: Aggregate) -> frozenset[tuple[object, ...]]:
    """The keys (values of ``aggregate.dims``) of the rows whose ``OUTCOMES`` are not
    applicable: no start of the row has ended. Empty for every measure but enrolment.

    Whether a start has ended is a fact of the course calendar (its results are due), not
    of any student, so the key set may go to every viewer beside the released table: a
    hidden row's outcomes are then empty rather than ``..``, and no cell (``OUTCOMES``).
    """
    table = aggregate.table
    if OUTCOMES[0] not in table.schema.names:
        return frozenset()
    unended = table.filter(pc.is_null(table.column(OUTCOMES[0])))
    columns = [unended.column(d).to_pylist() for d in aggregate.dims]
    return frozenset(zip(*columns, strict=True))


REGION_KEY = "region"
"""The key prefix of the region's own tables in ``komvux_cube``."""


def komvux_cube(
    cells: pa.Table,
    *,
    measure: str,
    data_version: str,
    scope: str,
    organizers: Mapping[str, str],
) -> dict[str, Aggregate]:
    """The whole komvux release of a region's ``measure``: every table any page shows of it.

    ``region/<by>`` are the region page's tables (``komvux_by``: per year and ``by``);
    ``<organisation number>/<by>`` are each municipal organizer's page's tables, per year,
    ``municipality_code`` (its municipality) and ``by``, the organizer's total where ``by`` is
    null. The organizer's cells are the region's parts (a municipality's course is part of
    the region's course), so the gate decides all of them as one cube and every page shows a
    slice of one decision: no difference between a region figure and the organizers' figures
    reveals a cell hidden on either. ``organizers`` maps each municipality to its organizer.
    """
    cube = {
        f"{REGION_KEY}/{by}": komvux_by(
            cells, measure=measure, by=by, data_version=data_version, scope=scope,
            organizers=organizers, level=Level.REGION,
        )
        for by in BREAKDOWNS
    }  # fmt: skip
    starts = cube[f"{REGION_KEY}/start_key"]  # a start's cell is one cell on every page
    cube[f"{REGION_KEY}/start_key"] = _with_municipality(starts, cells)
    for municipality, organizer in sorted(organizers.items()):
        own = cells.filter(pc.equal(cells.column("municipality_code"), municipality))
        for by, aggregate in komvux_organizer_breakdowns(
            own, measure=measure, data_version=data_version, scope=f"organizer:{organizer}",
            municipality=municipality, organizer=organizer,
        ).items():  # fmt: skip
            cube[f"{organizer}/{by}"] = aggregate
    return cube


def komvux_organizer_breakdowns(
    cells: pa.Table,
    *,
    measure: str,
    data_version: str,
    scope: str,
    municipality: str,
    organizer: str,
) -> dict[str, Aggregate]:
    """One municipal organizer's tables of ``measure`` (its municipality's starts ``cells``):
    per year, ``municipality_code`` and ``by``, the organizer's total where ``by`` is null;
    the ``municipality_code`` table holds the organizer's totals alone."""
    tables = {}
    for by in BREAKDOWNS:
        aggregate = komvux_by(
            cells, measure=measure, by=by, data_version=data_version, scope=scope,
            organizers={municipality: organizer}, level=Level.ORGANIZER,
        )  # fmt: skip
        table = aggregate.table
        if by == "municipality_code":  # the organizer's totals: (year, its municipality)
            table = table.filter(pc.is_valid(table.column(by)))
            dims: tuple[str, ...] = ("year", by)
        elif by == "start_key":  # a start within its municipality and group (see below)
            tables[by] = _with_municipality(aggregate, cells, municipality=municipality)
            tables[by] = replace(
                tables[by],
                population=Population(
                    scope=aggregate.population.scope,
                    organizers=frozenset({organizer}),
                    level=Level.ORGANIZER,
                ),
            )
            continue
        else:
            place = pa.array([municipality] * table.num_rows, pa.string())
            table = table.add_column(1, "municipality_code", place)
            dims = ("year", "municipality_code", by)
        population = Population(
            scope=aggregate.population.scope,
            organizers=frozenset({organizer}),
            level=Level.ORGANIZER,
        )
        tables[by] = replace(
            aggregate, table=table, dims=dims, margins=dims[1:], population=population
        )
    return tables


START_GROUPS: tuple[str, ...] = ("course_code",)
"""The breakdowns a start belongs to one value of, declared on the starts table: a course's
starts add up to the course, so the gate must see each start under its course (issue #15:
the auditor pinned a hidden course from its shown starts, 431 cells in Skaraborg)."""


def _with_municipality(
    aggregate: Aggregate, cells: pa.Table, *, municipality: str | None = None
) -> Aggregate:
    """A starts table with each start's municipality and ``START_GROUPS`` as breakdown columns
    (null in the year's total), so a start's cell is the same cell on every page and the sum
    of a course's starts is that course's cell. An organizer's table names its
    ``municipality`` in every row: its total is the organizer's, not the year's."""
    table = aggregate.table
    keys = pc.cast(table.column("start_key"), pa.string())
    if municipality is not None:
        place = pa.array([municipality] * table.num_rows, pa.string())
    else:  # the region's: municipality/start, the year's total null
        place = pc.list_element(pc.split_pattern(keys, "/", max_splits=1), 0)
    table = table.add_column(1, "municipality_code", place)
    known = cells.group_by(["start_key", *START_GROUPS]).aggregate([])
    lookup = pc.index_in(keys, value_set=pc.cast(known.column("start_key"), pa.string()))
    for position, group in enumerate(START_GROUPS, start=2):
        values = pc.take(pc.cast(known.column(group), pa.string()), lookup)
        table = table.add_column(position, group, values)
    dims = ("year", "municipality_code", *START_GROUPS, "start_key")
    return replace(aggregate, table=table, dims=dims, margins=dims[1:])
