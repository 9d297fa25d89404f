"""Every table a viewer can obtain for a region, gathered through the pages' own services.

For each analysis the gatherer calls the service the page and the API call (with their
default filters), takes every ``Released`` table of the report, and describes it by the
auditor's catalogue. The cells of the same students share a family, so a figure shown on one
page and hidden on another is one cell. Chart JSON and exports are made from these same
released tables by the services, so they add no figure the tables do not hold.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pyarrow as pa
from django.core.exceptions import PermissionDenied

from likvard.access.audit import reads_for
from likvard.access.policy import ANONYMOUS, Viewer
from likvard.access.release import Released, thresholds_for
from likvard.analyses.adjusted.services import Stage, adjusted_region_report
from likvard.analyses.completion.services import (
    completion_region_report,
    evaluation_report,
    warning_counts_report,
    year9_report,
)
from likvard.analyses.equity.services import (
    organizer_equity_report,
    region_equity_report,
    region_school_units,
    school_equity_report,
)
from likvard.analyses.incidents.services import incident_region_report
from likvard.analyses.komvux.audit import komvux_audit_tables
from likvard.analyses.komvux.services import komvux_region_report
from likvard.analyses.movement.services.admissions import admissions_report
from likvard.analyses.movement.services.municipality import municipality_report
from likvard.analyses.movement.services.region import Filters, region_report
from likvard.analyses.planning.services.report import planning_report
from likvard.analyses.surveys.progress import round_progress, survey_rounds_of
from likvard.analyses.surveys.services import (
    survey_get,
    survey_list,
    survey_region_report,
    survey_thresholds,
)
from likvard.audit.catalogue import levels_table, released_table, trend_table
from likvard.opendata.services.entities import region_members
from likvard.opendata.services.kpis import kpi_list
from likvard.opendata.services.released import released_rows
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.quality.services.basis import (
    AnalysisBasis,
    basis_years,
    fallback_year,
    organizer_basis,
    region_basis,
    region_levels,
    school_unit_basis,
)
from likvard.quality.services.basis_context import TREND_YEARS
from likvard.quality.services.basis_levels import basis_kept
from likvard.warehouse.reports import organizer_enrolment_report
from likvard_core.analytics.surveys.definition import SurveyVersion
from likvard_core.audit.model import Grouping, Hierarchy, ReleasedTable
from likvard_core.disclosure.suppress import Thresholds

GRADE_YEARS: tuple[int, ...] = (9, 6, 10)
BREAKDOWNS: tuple[str, ...] = ("gender", "background")
_YEAR_COLUMNS = ("school_year", "year")
PURPOSE = "audit.disclosure"
"""The purpose the audit's reads are logged under (not the pages' own)."""
CHANNEL = "cli"


@dataclass(slots=True)
class Gathered:
    """The tables gathered for one viewer and region, and the hierarchy of their units."""

    tables: list[ReleasedTable] = field(default_factory=list)
    hierarchy: Hierarchy = field(default_factory=Hierarchy)
    skipped: list[str] = field(default_factory=list)
    """Services that refused the viewer or failed, as ``analysis: reason``."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Seconds spent gathering each analysis (its services and the gate's decisions)."""


@dataclass(frozen=True, slots=True)
class _Context:
    viewer: Viewer
    region: Region
    year: int | None
    units: dict[str, str]
    organizers: list[Organizer]
    complete_reference: bool
    thresholds: Thresholds


def gather(
    *, viewer: Viewer, region: Region, year: int | None = None, only: set[str] | None = None
) -> Gathered:
    """Every released table ``viewer`` can obtain about ``region``'s populations.

    ``year`` keeps only the rows of that school year (and every multi-year pattern); ``only``
    keeps the named analyses (``analyses()``).
    """
    units = region_school_units(region=region)
    organizers = sorted(
        {
            u.organizer
            for u in SchoolUnit.objects.filter(code__in=units).select_related("organizer")
        },
        key=lambda o: o.organisation_number,
    )
    every_unit = set(SchoolUnit.objects.values_list("code", flat=True))
    thresholds = thresholds_for(organizers=frozenset(o.organisation_number for o in organizers))
    context = _Context(
        viewer, region, year, units, organizers, set(units) >= every_unit, thresholds
    )
    gathered = Gathered(hierarchy=_hierarchy(region))
    # the region's released levels cubes are read and indexed once, not once per basis page
    with reads_for(PURPOSE, CHANNEL), basis_kept():
        for analysis, gatherer in GATHERERS.items():
            if only is not None and analysis not in only:
                continue
            started = time.perf_counter()
            try:
                gathered.tables += [_of_year(t, year) for t in gatherer(context)]
            except PermissionError as error:  # pragma: no cover (every page is browsable)
                gathered.skipped.append(f"{analysis}: {error}")
            _spent(gathered, analysis, started)
        for source in SOURCES:
            if only is not None and source.analysis not in only:
                continue
            started = time.perf_counter()
            try:
                gathered.tables += [_of_year(t, year) for t in _source_tables(source, context)]
            except PermissionError as error:  # pragma: no cover
                gathered.skipped.append(f"{source.analysis}: {error}")
            _spent(gathered, source.analysis, started)
    return gathered


def _spent(gathered: Gathered, analysis: str, started: float) -> None:
    seconds = time.perf_counter() - started
    gathered.seconds[analysis] = gathered.seconds.get(analysis, 0.0) + seconds


def _hierarchy(region: Region) -> Hierarchy:
    units = SchoolUnit.objects.values_list(
        "code", "organizer__organisation_number", "municipality__code"
    )
    return Hierarchy(
        unit_organizer={code: org for code, org, _m in units},
        unit_municipality={code: m for code, _org, m in units},
        municipality_region={
            m.code: region.code for m in organisations.region_municipalities(region=region)
        },
    )


def _of_year(table: ReleasedTable, year: int | None) -> ReleasedTable:
    if year is None or not any(c in table.dims for c in _YEAR_COLUMNS):
        return table
    column = next(c for c in _YEAR_COLUMNS if c in table.dims)
    rows = [r for r in table.rows if r.get(column) == year]
    return dataclasses.replace(table, rows=rows)


def _equity(c: _Context) -> Iterator[ReleasedTable]:
    for grade_year in GRADE_YEARS:
        family = f"equity.{grade_year}"
        report = region_equity_report(viewer=c.viewer, region=c.region, grade_year=grade_year)
        yield _table(
            c,
            report.yearly,
            "equity",
            f"region/{grade_year}/yearly",
            "equity.yearly",
            family,
            complete_reference=c.complete_reference,
        )
        # A page of a unit with no row in the region's table is empty: the same kept slice.
        present = {str(r["school_unit_code"]) for r in report.yearly.rows()}
        units = SchoolUnit.objects.filter(code__in=present).select_related("organizer")
        organizers = {u.organizer.organisation_number for u in units}
        for breakdown in BREAKDOWNS:
            for organizer in (o for o in c.organizers if o.organisation_number in organizers):
                page = organizer_equity_report(
                    viewer=c.viewer, organizer=organizer, grade_year=grade_year, breakdown=breakdown
                )
                yield from _student_tables(
                    page.yearly,
                    page.patterns,
                    c,
                    f"organizer:{organizer.organisation_number}",
                    grade_year=grade_year,
                    breakdown=breakdown,
                )
            for unit in units:
                page = school_equity_report(
                    viewer=c.viewer, school=unit, grade_year=grade_year, breakdown=breakdown
                )
                yield from _student_tables(
                    page.yearly,
                    page.patterns,
                    c,
                    f"school:{unit.code}",
                    grade_year=grade_year,
                    breakdown=breakdown,
                )


def _student_tables(
    yearly: Released,
    patterns: Released,
    c: _Context,
    page: str,
    *,
    grade_year: int,
    breakdown: str,
) -> Iterator[ReleasedTable]:
    family = f"equity.{grade_year}"
    name = f"{page}/{grade_year}/{breakdown}"
    yield _table(
        c,
        yearly,
        "equity",
        f"{name}/yearly",
        "equity.yearly",
        family,
        complete_reference=c.complete_reference,
    )
    yield _table(c, patterns, "equity", f"{name}/patterns", "equity.patterns", family)


def _movement(c: _Context) -> Iterator[ReleasedTable]:
    report = region_report(viewer=c.viewer, region=c.region, filters=Filters())
    yield _table(c, report.share, "movement", "region/share", "movement.share", "movement.share")
    yield _table(
        c, report.balance, "movement", "region/balance", "movement.balance", "movement.balance"
    )
    yield _table(c, report.matrix, "movement", "region/matrix", "movement.flows", "movement.matrix")
    for i, links in enumerate(report.links):
        yield _table(
            c, links, "movement", f"region/flows{i + 1}", "movement.flows", "movement.flows"
        )
    for municipality in organisations.region_municipalities(region=c.region):
        page = municipality_report(viewer=c.viewer, municipality=municipality, filters=Filters())
        name = f"municipality:{municipality.code}"
        # The organizer and origin tables count the students living or studying in this
        # municipality only: another population than the region's flows (own family).
        scoped = f"@{municipality.code}"
        yield _table(
            c, page.balance, "movement", f"{name}/balance", "movement.balance", "movement.balance"
        )
        yield _table(
            c,
            page.organizers,
            "movement",
            f"{name}/organizers",
            "movement.flows",
            f"movement.flows{scoped}",
        )
        yield _table(
            c,
            page.origins,
            "movement",
            f"{name}/origins",
            "movement.flows",
            f"movement.matrix{scoped}",
        )
        # The follow-up counts this municipality's residents: its total over home
        # municipalities (a null) is this municipality's figure, not the region's.
        yield _table(
            c,
            page.introduction,
            "movement",
            f"{name}/introduction",
            "movement.introduction",
            "movement.introduction",
            constants={"home_municipality_code": municipality.code},
        )


def _admissions(c: _Context) -> Iterator[ReleasedTable]:
    report = admissions_report(viewer=c.viewer, region=c.region, year=None)
    for year in report.years:
        page = admissions_report(viewer=c.viewer, region=c.region, year=year)
        yield _table(
            c, page.cells, "admissions", f"region/{year}/cells", "movement.admissions", "admissions"
        )
        yield _table(
            c,
            page.summary,
            "admissions",
            f"region/{year}/summary",
            "movement.admissions.summary",
            "admissions.summary",
        )


def _planning(c: _Context) -> Iterator[ReleasedTable]:
    report = planning_report(viewer=c.viewer, region=c.region)
    for name in ("forecast", "expected", "supply_demand"):
        released = getattr(report, name)
        if released is not None:
            yield _table(
                c, released, "planning", f"region/{name}", f"planning.{name}", f"planning.{name}"
            )


def _adjusted(c: _Context) -> Iterator[ReleasedTable]:
    for stage in Stage:
        report = adjusted_region_report(viewer=c.viewer, region=c.region, stage=stage)
        yield _table(
            c,
            report.results,
            "adjusted",
            f"region/{stage.value}",
            "adjusted.results",
            f"adjusted.{stage.value}",
        )


def _enrolment(c: _Context) -> Iterator[ReleasedTable]:
    for organizer in c.organizers:
        report = organizer_enrolment_report(viewer=c.viewer, organizer=organizer)
        yield _table(
            c,
            report.released,
            "enrolment",
            f"organizer:{organizer.organisation_number}",
            "enrolment.overview",
            "enrolment",
        )


def _quality(c: _Context) -> Iterator[ReleasedTable]:
    """Every level of each indicator in the basis year and each year of its trend (the basis
    of any year can be chosen), and each basis page's own figures beside the cube: the
    region's, every organizer's and every school unit's trend and girls and boys
    (``trend_table``). A year's trend figure is a cell of that year's levels cube, tied to
    the levels it is a total of; girls and boys are parts of the basis year's cell.

    The basis year is the pages' own default (the latest year with students) unless ``year``
    is given. Only organizers and units with a row in some year's levels cube have a basis
    page with figures (the others' pages show ``.`` throughout), so only theirs are read."""
    year = c.year if c.year is not None else _basis_year()
    years = [year] if c.year is not None else list(range(year - TREND_YEARS + 1, year + 1))
    organizers: set[str] = set()
    units: set[str] = set()
    for each in years:
        for levels in region_levels(viewer=c.viewer, region=c.region, year=each):
            table = levels.table
            indicator = table.column("indicator")[0].as_py() if table.num_rows else ""
            organizers.update(o for o in table.column("organizer_code").to_pylist() if o)
            units.update(u for u in table.column("school_unit_code").to_pylist() if u)
            yield levels_table(
                table, analysis="quality", name=f"region/{each}/levels/{indicator}",
                thresholds=c.thresholds,
            )  # fmt: skip
    basis = region_basis(viewer=c.viewer, region=c.region, year=year, channel=CHANNEL)
    yield _basis_table(c, basis, "region_code", c.region.code, f"region/{year}")
    for organizer in Organizer.objects.filter(organisation_number__in=organizers).order_by(
        "organisation_number"
    ):
        basis = organizer_basis(viewer=c.viewer, organizer=organizer, year=year, channel=CHANNEL)
        code = organizer.organisation_number
        yield _basis_table(c, basis, "organizer_code", code, f"organizer:{code}/{year}")
    for unit in SchoolUnit.objects.filter(code__in=units).order_by("code"):
        basis = school_unit_basis(viewer=c.viewer, school_unit=unit, year=year, channel=CHANNEL)
        yield _basis_table(c, basis, "school_unit_code", unit.code, f"school:{unit.code}/{year}")


def _basis_year() -> int:
    """The basis pages' year when none is chosen: the latest with students."""
    years = basis_years()
    return years[0] if years else fallback_year()


def _basis_table(
    c: _Context, basis: AnalysisBasis, level: str, code: str, name: str
) -> ReleasedTable:
    return trend_table(
        basis, level=level, code=code, analysis="quality", name=f"{name}/trend",
        thresholds=c.thresholds,
    )  # fmt: skip


def _opendata(c: _Context) -> Iterator[ReleasedTable]:
    """The open data sets and the Kolada-compatible API: the all-students rows of every
    published indicator, and its girls' and boys' rows (gender ``K``/``M``, a joint release
    with the totals), as served to anyone (``released_rows`` as ``ANONYMOUS``, a cell in two
    regions' cubes served as the most hidden of them), in the basis's year: the same cells
    as the levels cube's (one family), a gender's tied to its total and across levels."""
    year = c.year if c.year is not None else _basis_year()
    for genders in (False, True):
        rows = released_rows(
            viewer=ANONYMOUS, indicators=[k.code for k in kpi_list()],
            regions=sorted(region_members()), years=[year], purpose=PURPOSE, channel="opendata",
            genders=genders,
        )  # fmt: skip
        if rows:
            name = f"opendata/{year}/genders" if genders else f"opendata/{year}"
            yield levels_table(
                pa.Table.from_pylist(rows), analysis="opendata", name=name,
                thresholds=c.thresholds,
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Source:
    """A report whose released tables the audit gathers: one registration per report.

    ``report(viewer=..., region=...)`` is the service the page and the API call; ``tables``
    maps an attribute of its result to the catalogue kind (``likvard.audit.catalogue``) that
    defines it: the attribute holds a ``Released`` or a dict of them (each key one table), and
    ``""`` is the result itself. Cells are in ``family`` (default: the analysis), so reports
    of the same students share their cells.
    """

    analysis: str
    report: Callable[..., object]
    tables: Mapping[str, str]
    family: str | None = None


def _source_tables(source: Source, c: _Context) -> Iterator[ReleasedTable]:
    result = source.report(viewer=c.viewer, region=c.region)
    for attribute, kind in source.tables.items():
        value = getattr(result, attribute) if attribute else result
        tables = value if isinstance(value, dict) else {"": value}
        for key, released in tables.items():
            if released is None:
                continue
            name = "/".join(p for p in ("region", source.report.__name__, attribute, key) if p)
            yield _table(c, released, source.analysis, name, kind, source.family or source.analysis)


SOURCES: list[Source] = [
    Source("completion", completion_region_report, {"totals": "completion.totals",
                                                    "tables": "completion.breakdown"}),
    Source("completion", year9_report, {"": "completion.year9"}, "completion.year9"),
    Source("completion", warning_counts_report, {"released": "completion.warnings"},
           "completion.warnings"),
    Source("completion", evaluation_report, {"released": "completion.evaluation"},
           "completion.evaluation"),
    Source("incidents", incident_region_report, {"tables": "incidents.followup"}),
]  # fmt: skip
"""Reports gathered by registration: a new population is one line here (and its kinds'
definitions in ``likvard.audit.catalogue``), docs/disclosure-audit.md."""


def analyses() -> list[str]:
    """The names of the analyses the audit gathers."""
    return sorted({*GATHERERS, *(s.analysis for s in SOURCES)})


def _komvux(c: _Context) -> Iterator[ReleasedTable]:
    names = komvux_region_report(viewer=c.viewer, region=c.region, channel="cli").names
    starts = {"start_key": Grouping("course_code", courses_of_starts(names))}
    for t in komvux_audit_tables(viewer=c.viewer, region=c.region):
        table = _table(
            c, t.released, "komvux", t.name, t.kind, t.family, constants=t.constants,
            not_applicable=t.unended,
        )  # fmt: skip
        if "start_key" in table.dims:
            table = dataclasses.replace(table, groupings=starts)
        yield table


def courses_of_starts(names: Mapping[str, Mapping[str, str]]) -> dict[object, object]:
    """Each komvux start's course, as the pages name them: a start is shown as "course name,
    provider (date)", so its course is the course whose name begins it (the longest such;
    a start whose course name two courses share is left out)."""
    codes: dict[str, list[str]] = {}
    for code, name in names.get("course_code", {}).items():
        codes.setdefault(name, []).append(code)
    found: dict[object, object] = {}
    for start, label in names.get("start_key", {}).items():
        named = [name for name in codes if label.startswith(f"{name}, ")]
        if named:
            course = codes[max(named, key=len)]
            if len(course) == 1:
                found[start] = course[0]
    return found


def _table(  # noqa: PLR0917 (the gatherers name a table in one line)
    c: _Context,
    released: Released,
    analysis: str,
    name: str,
    kind: str,
    family: str,
    *,
    complete_reference: bool = False,
    constants: Mapping[str, object] | None = None,
    not_applicable: frozenset[tuple[object, ...]] = frozenset(),
) -> ReleasedTable:
    return released_table(
        released,
        analysis=analysis,
        name=name,
        kind=kind,
        family=family,
        constants=constants,
        complete_reference=complete_reference,
        thresholds=c.thresholds,
        not_applicable=not_applicable,
    )


def _surveys(c: _Context) -> Iterator[ReleasedTable]:
    """Every survey version's results in the region (the page and the API of each survey and
    version, ``survey_region_report``): a table per level and the priority matrix. A version's
    tables count the same respondents (one family); the region table is the region's cell (a
    level above its municipalities). ``year`` keeps the version of that year (its school year's
    spring). The survey's minimum of respondents raises the region's minimum groups (a rule the
    pages state), so a ``too_few`` cell lies under it."""
    organizers = frozenset(o.organisation_number for o in c.organizers)
    for version in survey_list():
        if c.year is not None and version.version != str(c.year):
            continue
        report = survey_region_report(
            viewer=c.viewer,
            region=c.region,
            survey=version.survey,
            version=version.version,
            channel=CHANNEL,
        )
        thresholds = survey_thresholds(version, organizers)
        family = f"surveys.{version.key}"
        for level, released in report.tables.items():
            yield released_table(
                released,
                analysis="surveys",
                name=f"region/{version.key}/{level}",
                kind="surveys.results",
                family=family,
                constants={"region_code": c.region.code},
                thresholds=thresholds,
            )
        yield released_table(
            report.priority,
            analysis="surveys",
            name=f"region/{version.key}/priority",
            kind="surveys.priority",
            family=f"{family}.priority",
            thresholds=thresholds,
        )
        yield from _survey_trend(c, version, report.trend, report.trend_tables)
    yield from _survey_rounds(c)


def _survey_trend(
    c: _Context,
    version: SurveyVersion,
    trend: list[dict[str, object]],
    tables: Mapping[str, Released],
) -> Iterator[ReleasedTable]:
    """The trend's rows of each version, as shown: the region's cells of that version (its
    family, so a trend row and the year's tables are one cell)."""
    organizers = frozenset(o.organisation_number for o in c.organizers)
    for shown, released in tables.items():
        each = survey_get(survey=version.survey, version=shown)
        yield released_table(
            released,
            analysis="surveys",
            name=f"region/{version.key}/trend/{shown}",
            kind="surveys.results",
            family=f"surveys.{each.key}",
            constants={"region_code": c.region.code},
            thresholds=survey_thresholds(each, organizers),
            rows=[r for r in trend if r["version"] == shown],
        )


def _survey_rounds(c: _Context) -> Iterator[ReleasedTable]:
    """Each survey round's progress of the region's organizers, as its page shows it to the
    viewer (``round_progress``): the answers per school unit (the gate's release), and for
    those who run it the round's total over its units, the organizer's cell (tied to its
    units by the register). A round is its own population (family): its answers count in the
    results once it is closed, but there an index counts only the respondents with a value
    of it (at most the round's answers at a unit), no equality. Rounds the viewer may not
    follow are left out, as their pages refuse them; ``year`` keeps the rounds of that
    year's survey version."""
    own = {o.organisation_number for o in c.organizers}
    for pk, organizer in survey_rounds_of(organizers=own):
        try:
            progress = round_progress(viewer=c.viewer, round_id=pk)
        except PermissionDenied:
            continue
        version = progress.version
        if version is None or (c.year is not None and version.version != str(c.year)):
            continue
        thresholds = survey_thresholds(version, frozenset({organizer}))
        family = f"surveys.round:{pk}"
        yield released_table(
            progress.units, analysis="surveys", name=f"round:{pk}/units", kind="surveys.round",
            family=family, thresholds=thresholds,
        )  # fmt: skip
        if progress.runs:
            yield released_table(
                progress.units, analysis="surveys", name=f"round:{pk}/total",
                kind="surveys.round", family=family, constants={"organizer_code": organizer},
                thresholds=thresholds, rows=[{"n": progress.answered, "status": "exists"}],
            )  # fmt: skip


GATHERERS: dict[str, Callable[[_Context], Iterator[ReleasedTable]]] = {
    "equity": _equity,
    "movement": _movement,
    "admissions": _admissions,
    "planning": _planning,
    "adjusted": _adjusted,
    "enrolment": _enrolment,
    "quality": _quality,
    "opendata": _opendata,
    "komvux": _komvux,
    "surveys": _surveys,
}
"""The analyses audited, each gathered from the services of its pages and API."""
