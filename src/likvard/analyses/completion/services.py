"""Completion and early-warning reports: the only code of these pages touching Django and core.

Every aggregate leaves through ``likvard.access.release.release_cube``; the student-level
warning list leaves only to the school's own principal (``Action.READ_WARNING_LIST``), and each
read of it is audited.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from likvard.access.audit import audit_student_read
from likvard.access.policy import ANONYMOUS, Action, Viewer, require
from likvard.access.release import (
    Released,
    release,
    release_cube,
    release_cube_decide,
    release_cube_ready,
    released_not_applicable,
    released_union,
)
from likvard.analyses.completion import charts
from likvard.analyses.completion.models import WarningRuleSetting
from likvard.analyses.completion.rows import with_national
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.warehouse.fragments import figures_cached_keyed, render_version
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.completion.cohort import (
    PATH_COLUMNS,
    completion_breakdowns,
    completion_totals,
    last_year,
    paths_observable,
    starter_cells,
)
from likvard_core.analytics.completion.evaluation import (
    evaluation_aggregate,
    warning_evaluation_table,
)
from likvard_core.analytics.completion.warning import (
    SERIOUS,
    VERY_SERIOUS,
    WarningRule,
    warning_counts,
    warning_list_rows,
)
from likvard_core.analytics.completion.year9 import year9_followup
from likvard_core.disclosure.aggregate import Aggregate

DEFAULT_RULE = WarningRule()
"""The reference's rule: 10 % in a term or over two terms, +5 points, 3 % invalid absence."""
KEY_LENGTH = 12
NOT_YET_OBSERVABLE = "not_yet_observable"
"""The reason a path of a start year is not applicable: the data do not reach the school year
after the start, so no path can have been seen (``cohort.paths_observable``)."""
"""Characters of the pseudonymised key shown in the list (enough to tell students apart)."""


def warning_rule_get(*, organizer: Organizer | None) -> WarningRule:
    """The organizer's early-warning rule, or the reference's when it has set none."""
    setting = WarningRuleSetting.objects.filter(organizer=organizer).first() if organizer else None
    if setting is None:
        return DEFAULT_RULE
    return WarningRule(
        level=setting.level,
        window_level=setting.window_level,
        rise=setting.rise,
        invalid_level=setting.invalid_level,
    )


@transaction.atomic
def warning_rule_set(*, viewer: Viewer, organizer: Organizer, rule: WarningRule) -> WarningRule:
    """Store ``organizer``'s rule (its own analyst only); returns the stored rule."""
    require(viewer, Action.SET_WARNING_RULE, organizer=organizer.organisation_number)
    setting, _ = WarningRuleSetting.objects.get_or_create(organizer=organizer)
    setting.level = rule.level
    setting.window_level = rule.window_level
    setting.rise = rule.rise
    setting.invalid_level = rule.invalid_level
    setting.full_clean()
    setting.save()
    return warning_rule_get(organizer=organizer)


def own_units_and_organizers(*, viewer: Viewer) -> tuple[list[SchoolUnit], list[Organizer]]:
    """The school units the viewer heads or serves in the student health team, and the
    organizers the viewer analyses."""
    codes = sorted(viewer.school_units | viewer.health_units)
    units = [organisations.school_unit_get(code=c) for c in codes]
    organizers = [
        organisations.organizer_get(organisation_number=n) for n in sorted(viewer.organizers)
    ]
    return units, organizers


_AGGREGATES: OrderedDict[tuple[str, ...], Aggregate] = OrderedDict()
_AGGREGATES_KEPT = 32


def _kept(key: tuple[str, ...], compute: Callable[[], Aggregate]) -> Aggregate:
    """``compute()``, kept in this process and in Django's cache per ``key`` (which names the
    data version): an aggregate is a pure function of the version and its parameters (no
    viewer, nothing released), and the year-9 follow-up and the warning counts each scanned
    the warehouse again on every request (0.6 s and 1.1 s of a warm GR page), then on the
    first page of every web process (the warm-up's process kept them for itself only)."""
    found = _AGGREGATES.get(key)
    if found is None:
        text = json.dumps([*key, render_version()])
        shared = "completion-aggregate:" + hashlib.sha256(text.encode()).hexdigest()
        cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
        kept = cache.get(shared)
        found = kept if isinstance(kept, Aggregate) else compute()
        if kept is None:
            cache.set(shared, found, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
        _AGGREGATES[key] = found
        while len(_AGGREGATES) > _AGGREGATES_KEPT:
            _AGGREGATES.popitem(last=False)
    return found


def _unit_municipalities() -> dict[str, str]:
    return {
        unit.code: unit.municipality_code
        for region in organisations.region_list()
        for unit in organisations.school_unit_names(region=region)
    }


def _cells(version: VersionRef) -> pa.Table:
    def compute() -> pa.Table:
        with version.open() as db:
            return starter_cells(db, unit_municipalities=_unit_municipalities())

    return version.derived("completion_starters", {"v": 1}, compute)


def _last_year(version: VersionRef) -> int:
    """The last school year with enrolments in ``version`` (0 when none), kept on disk."""

    def compute() -> pa.Table:
        with version.open() as db:
            return pa.table({"last_year": pa.array([last_year(db)], pa.int64())})

    found = version.derived("completion_last_year", {"v": 1}, compute)
    return int(found.column("last_year")[0].as_py())


def _paths_marked(released: Released, *, start: int, last: int) -> Released:
    """``released`` (one start year's table) with the paths marked not yet observable when
    the data do not reach the school year after ``start``: never shown as 0 (issue #16)."""
    years = [] if paths_observable(start, last) else [start]
    return released_not_applicable(
        released, columns=PATH_COLUMNS, where={"start_year": years}, reason=NOT_YET_OBSERVABLE
    )


@dataclass(frozen=True, slots=True)
class CompletionReport:
    """A region's cohort follow-up, released: one table per breakdown (``BREAKDOWNS``), with
    the names of the codes, the overview rows and chart, and the data version."""

    region: Region
    totals: Released
    tables: dict[str, Released]
    names: dict[str, dict[str, str]]
    overview: list[dict[str, object]]
    chart: dict[str, object]
    start_years: list[int]
    observed_years: list[int]
    year: int | None
    data_version: str
    last_year: int = 0
    """The last school year in the data: paths are observable for start years up to the one
    before it (``cohort.last_path_start``)."""


def _region_units(region: Region) -> list[SchoolUnit]:
    return organisations.region_school_units(region=region)


class CompletionNotReady(Exception):  # noqa: N818 (a state, not an error)
    """The joint decisions of some start years are not in the cache yet (``decide=False``):
    ``ready`` of ``total`` start years are."""

    def __init__(self, ready: int, total: int) -> None:
        super().__init__(f"{ready} of {total} start years decided")
        self.ready = ready
        self.total = total


def completion_region_report(
    *,
    viewer: Viewer,
    region: Region,
    year: int | None = None,
    channel: str = "web",
    decide: bool = True,
) -> CompletionReport:
    """Starters living in ``region``: the trend of diploma within 3/4/5 years (all years) and
    every breakdown of one start ``year`` (default: the latest whose four years are over).

    A start year's starters are one population: its totals and every breakdown of it are
    released as one cube (``year_cube_aggregates``), and the trend shows each year's totals as
    that cube released them, so the trend and a year's breakdowns never disagree about a cell
    (issue #15). Start years share no students, so the years' cubes are decided apart.

    A year's joint decision can take minutes (issue #18): with ``decide=False`` none is taken
    here, and ``CompletionNotReady`` is raised unless every year's is in the cache (a web
    request's rule; ``completion_region_decide`` takes them in the background).

    The report is kept in Django's cache per data version, rights class, region, year asked
    and channel (``figures_cached_keyed``), with the audited reads made releasing it, which
    every reader served from there is audited for. A viewer who knows no cell of the region's
    cubes (owns none of its organizers and heads none of its units) is released them as a
    viewer who owns nothing, audited for nothing, so they share that class's report. The
    warm-up keeps both, so an owner's first page in a web process releases nothing (13 cubes,
    0.8-1.5 s of CPU on the demo before, issue #16).
    """
    kind = viewer if _knows_cells(viewer, region) else ANONYMOUS
    report, _key = figures_cached_keyed(
        name="completion.region",
        viewer=kind,
        choices={"region": region.code, "year": str(year), "channel": channel},
        compute=lambda: _region_report(
            viewer=kind, region=region, year=year, channel=channel, decide=decide
        ),
    )
    return report


def _region_report(
    *, viewer: Viewer, region: Region, year: int | None, channel: str, decide: bool
) -> CompletionReport:
    """``completion_region_report``, computed (``CompletionNotReady``: nothing kept)."""
    version = data_version_get()
    scope, aggregates = _region_cubes(version, region)
    starts = sorted(aggregates)
    if not decide:
        ready = sum(release_cube_ready(a, viewer=viewer) for a in aggregates.values())
        if ready < len(starts):
            raise CompletionNotReady(ready, len(starts))
    last = _last_year(version)
    cubes = {
        start: {
            name: _paths_marked(table, start=start, last=last)
            for name, table in release_cube(
                a, viewer=viewer, purpose="completion.region", channel=channel
            ).items()
        }
        for start, a in aggregates.items()
    }
    totals = (
        released_union([cubes[start]["totals"] for start in starts])
        if starts
        else release(
            completion_totals(_region_cells(version, region)[0], data_version=version.label,
                              scope=scope),
            viewer=viewer, purpose="completion.region", channel=channel,
        )
    )  # fmt: skip
    overview = with_national(totals.rows(), by=None)
    years = sorted({int(str(r["start_year"])) for r in overview})
    observed = sorted(
        {
            int(str(r["start_year"]))
            for r in overview
            if r["programme_group"] == "all" and int(str(r.get("observed_4") or 0)) > 0
        }
    )
    chosen = year if year in years else (observed[-1] if observed else None)
    tables: dict[str, Released] = {}
    if chosen is not None:
        tables = {k: v for k, v in cubes[chosen].items() if k != "totals"}
    return CompletionReport(
        region=region,
        totals=totals,
        tables=tables,
        names=_names(region),
        overview=overview,
        chart=charts.completion_trend(overview),
        start_years=years,
        observed_years=observed,
        year=chosen,
        data_version=version.label,
        last_year=last,
    )


def completion_region_decide(
    *, viewer: Viewer, region: Region, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Take every start year's joint decision of ``region``'s report for ``viewer``'s class
    and keep it in the cache, releasing (and auditing) nothing; returns (years newly
    decided, years). The background task of a page that found them missing; ``progress`` is
    told (years decided so far, years) after each year."""
    _scope, cubes = _region_cubes(data_version_get(), region)
    starts = sorted(cubes)
    done = 0
    for index, start in enumerate(starts, start=1):
        aggregates = cubes[start]
        if not release_cube_ready(aggregates, viewer=viewer):
            release_cube_decide(aggregates, viewer=viewer)
            done += 1
        if progress is not None:
            progress(index, len(starts))
    return done, len(starts)


_REGION_CUBES: OrderedDict[tuple[str, ...], tuple[str, dict[int, dict[str, Aggregate]]]] = (
    OrderedDict()
)
_REGION_CUBES_KEPT = 4


def _region_cubes(
    version: VersionRef, region: Region
) -> tuple[str, dict[int, dict[str, Aggregate]]]:
    """The report's scope and every start year's cube of ``region`` (``year_cube_aggregates``),
    kept in this process per data version and the region's municipalities: a page that is
    not ready yet asks whether each year's decision is taken on every request, and building
    the ten years' tables took 0.44 s of its 0.58 s (issue #16)."""
    homes = sorted(m.code for m in organisations.region_municipalities(region=region))
    key = (version.key, region.code, *homes)
    found = _REGION_CUBES.get(key)
    if found is None:
        cells, scope, starts = _region_cells(version, region)
        cubes = {s: year_cube_aggregates(cells, s, scope=scope, version=version) for s in starts}
        found = (scope, cubes)
        _REGION_CUBES[key] = found
        while len(_REGION_CUBES) > _REGION_CUBES_KEPT:
            _REGION_CUBES.popitem(last=False)
    _REGION_CUBES.move_to_end(key)
    return found


def _knows_cells(viewer: Viewer, region: Region) -> bool:
    """Whether ``viewer`` knows a cell of ``region``'s cubes: owns an organizer or heads a
    school unit with starters living there (what the gate treats as known, ``_known``)."""
    if not viewer.organizers and not viewer.school_units:
        return False
    organizers, units = _owners_present(region)
    return bool(viewer.organizers & organizers or viewer.school_units & units)


def _owners_present(region: Region) -> tuple[frozenset[str], frozenset[str]]:
    """The organizers and school units with starters living in ``region`` (codes only, no
    figure), kept in Django's cache per data version: a web process's first page of a
    region it keeps the report of need not read the region's cells to find the report."""
    version = data_version_get()
    homes = sorted(m.code for m in organisations.region_municipalities(region=region))
    text = json.dumps([version.key, region.code, homes, render_version()])
    key = "completion-owners:" + hashlib.sha256(text.encode()).hexdigest()
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    kept = cache.get(key)
    if isinstance(kept, tuple) and len(kept) == 2:  # noqa: PLR2004 (organizers, units)
        return kept
    cells = _region_cells(version, region)[0]
    organizers, units = (
        frozenset(str(c) for c in pc.unique(cells.column(column)).to_pylist() if c is not None)
        for column in ("organizer_code", "school_unit_code")
    )
    cache.set(key, (organizers, units), timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return organizers, units


def _region_cells(version: VersionRef, region: Region) -> tuple[pa.Table, str, list[int]]:
    """The starters living in ``region``, the report's scope and its start years."""
    cells = _cells(version)
    homes = pa.array(sorted(m.code for m in organisations.region_municipalities(region=region)))
    cells = cells.filter(pc.is_in(cells.column("home_municipality_code"), homes))
    starts = sorted({int(y) for y in pc.unique(cells.column("start_year")).to_pylist()})
    return cells, f"region:{region.code}", starts


def year_cube_aggregates(
    cells: pa.Table, start: int, *, scope: str, version: VersionRef
) -> dict[str, Aggregate]:
    """One start year's totals (``totals``) and every breakdown: the tables of one cube.

    Each table's outcome counts are cells of the cube (``completion_by``'s parts), tied to
    the starters and across groups and breakdowns like them.
    """
    of_year = cells.filter(pc.equal(cells.column("start_year"), start))
    where = f"{scope}/start:{start}"
    return {
        "totals": completion_totals(of_year, data_version=version.label, scope=where),
        **completion_breakdowns(of_year, data_version=version.label, scope=where),
    }


def _names(region: Region) -> dict[str, dict[str, str]]:
    units = organisations.school_unit_names(region=region)
    organizers = {
        o.organisation_number: o.name
        for m in organisations.region_municipalities(region=region)
        for o in organisations.organizers_in_municipality(municipality=m)
    }
    return {
        "home_municipality_code": {
            m.code: m.name for m in organisations.region_municipalities(region=region)
        },
        "school_unit_code": {u.code: u.name for u in units},
        "organizer_code": organizers,
        "programme_code": {p.code: p.name for p in organisations.programme_list()},
    }


def year9_report(*, viewer: Viewer, region: Region, channel: str = "web") -> Released:
    """Year-9 cohorts living in ``region``: started upper secondary the next autumn, diploma
    within 3, 4 and 5 years, per year and home municipality (null: the region)."""
    version = data_version_get()
    homes = [m.code for m in organisations.region_municipalities(region=region)]

    def compute() -> Aggregate:
        with version.open() as db:
            return year9_followup(db, municipalities=homes, scope=f"region:{region.code}")

    aggregate = _kept(("year9", version.key, region.code, *homes), compute)
    return release(aggregate, viewer=viewer, purpose="completion.region", channel=channel)


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """The warning evaluated on history: released rows per kind and threshold, the chart."""

    released: Released
    rule: WarningRule
    chart: dict[str, object]


def _organizers_of(region: Region) -> frozenset[str]:
    units = _region_units(region)
    numbers = Organizer.objects.filter(school_units__in=units).values_list(
        "organisation_number", flat=True
    )
    return frozenset(str(n) for n in numbers)


def evaluation_report(
    *, viewer: Viewer, region: Region | None = None, organizer: Organizer | None = None
) -> EvaluationReport:
    """Precision, recall and lead time per threshold on the starters of ``organizer`` (with its
    rule) or of every organizer with a unit in ``region`` (with the reference's rule)."""
    if organizer is not None:
        organizers = frozenset({organizer.organisation_number})
        scope = f"organizer:{organizer.organisation_number}"
    elif region is not None:
        organizers = _organizers_of(region)
        scope = f"region:{region.code}"
    else:
        raise ValueError("a region or an organizer")
    rule = warning_rule_get(organizer=organizer)
    version = data_version_get()

    def compute() -> pa.Table:
        with version.open() as db:
            return warning_evaluation_table(
                db, rule, unit_municipalities=_unit_municipalities(), organizers=organizers
            )

    params = {"organizers": sorted(organizers), "rule": list(rule.params().values()), "v": 1}
    table = version.derived("completion_evaluation", params, compute)
    aggregate = evaluation_aggregate(
        table, organizers=organizers, scope=scope, data_version=version.label
    )
    purpose = "completion.organizer" if organizer else "completion.region"
    released = release(aggregate, viewer=viewer, purpose=purpose)
    return EvaluationReport(released=released, rule=rule, chart=charts.evaluation(released))


@dataclass(frozen=True, slots=True)
class WarningCounts:
    """Students flagged per organizer and school unit in one term, released through the gate."""

    released: Released
    school_year: int | None
    term: str


def warning_counts_report(*, viewer: Viewer, region: Region) -> WarningCounts:
    """The latest school year's flagged students per unit and organizer of ``region``'s units
    (the reference's rule, so that units are comparable)."""
    version = data_version_get()
    organizers = _organizers_of(region)

    def compute() -> Aggregate:
        with version.open() as db:
            last = db.query("SELECT max(school_year) AS y FROM absence").column("y")[0].as_py()
            year = int(last) if last is not None else 0
            return warning_counts(
                db,
                DEFAULT_RULE,
                years=(year, year),
                organizers=organizers,
                scope=f"region:{region.code}/year:{year}",
            )

    aggregate = _kept(("counts", version.key, region.code, *sorted(organizers)), compute)
    years = aggregate.table.column("school_year").to_pylist()
    year = int(years[0]) if years else 0
    released = release(aggregate, viewer=viewer, purpose="completion.region")
    return WarningCounts(released=released, school_year=year or None, term="VT")


@dataclass(frozen=True, slots=True)
class WarningListRow:
    """One flagged student of the school's own list (pseudonymised key, rates in percent)."""

    key: str
    school_year: int
    term: str
    programme_code: str
    grade_year: int | None
    rate: float
    invalid_rate: float
    previous_rate: float | None
    window_rate: float | None
    reasons: tuple[str, ...]
    severity: str

    @property
    def rate_percent(self) -> float:
        """Total absence in percent of scheduled time."""
        return self.rate * 100

    @property
    def invalid_percent(self) -> float:
        """Invalid absence in percent of scheduled time."""
        return self.invalid_rate * 100

    @property
    def previous_percent(self) -> float | None:
        """The term before, in percent (None when no absence was recorded then)."""
        return None if self.previous_rate is None else self.previous_rate * 100


@dataclass(frozen=True, slots=True)
class WarningList:
    """The early-warning list of one school unit for its principal."""

    school: SchoolUnit
    rule: WarningRule
    rows: list[WarningListRow]
    data_version: str


def _severity(rate: float) -> str:
    if rate >= VERY_SERIOUS:
        return "very_serious"
    if rate >= SERIOUS:
        return "serious"
    return "warning"


def warning_list(*, viewer: Viewer, school: SchoolUnit, channel: str = "web") -> WarningList:
    """The students the organizer's rule flags in the latest term at ``school``: for the
    school's own principal only (``PermissionDenied`` otherwise); every read is audited.

    The rows are kept in Django's cache per data version, school unit, rule, channel and the
    viewer's rights class (``figures_cached_keyed``), with the audited read made computing
    them, which every reader served from there is audited for as well: the list was computed
    on every visit (0.2-0.3 s of CPU, a warehouse query; 660-824 ms at load 8-10, issue #16).
    """
    require(viewer, Action.READ_WARNING_LIST, school_unit=school.code)
    rule = warning_rule_get(organizer=school.organizer)
    (rows, label), _key = figures_cached_keyed(
        name="completion.warning_list",
        viewer=viewer,
        choices={
            "school_unit": school.code,
            "rule": repr(sorted(rule.params().items())),
            "channel": channel,
        },
        compute=lambda: _warning_rows(viewer=viewer, school=school, rule=rule, channel=channel),
    )
    return WarningList(school=school, rule=rule, rows=rows, data_version=label)


def _warning_rows(
    *, viewer: Viewer, school: SchoolUnit, rule: WarningRule, channel: str
) -> tuple[list[WarningListRow], str]:
    """``warning_list``'s rows and data version, computed (the read audited)."""
    version = data_version_get()
    with version.open() as db:
        table = warning_list_rows(db, rule, school_unit=school.code)
    audit_student_read(
        viewer=viewer,
        action="export" if channel == "export" else "read",
        scope=f"completion.warning_list/school_unit:{school.code}",
        purpose="completion.warning_list",
        data_version=version.label,
        channel=channel,
    )
    rows = [
        WarningListRow(
            key=str(r["student_key"])[:KEY_LENGTH],
            school_year=int(r["school_year"]),
            term=str(r["term"]),
            programme_code=str(r["programme_code"] or ""),
            grade_year=r["grade_year"],
            rate=float(r["rate"]),
            invalid_rate=float(r["invalid_rate"] or 0.0),
            previous_rate=r["previous_rate"],
            window_rate=r["window_rate"],
            reasons=tuple(
                part for part in ("level", "window", "rise", "invalid") if r[f"by_{part}"]
            ),
            severity=_severity(float(r["rate"])),
        )
        for r in table.to_pylist()
    ]
    return rows, version.label
