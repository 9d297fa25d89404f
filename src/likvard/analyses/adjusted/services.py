"""Adjusted results (SALSA-style) for year 9 and upper secondary: reports for the pages and API.

The models are fitted on every school in the current data version (region or nation, whatever
is loaded) and cached per data version and model; the rows of the units a page shows are
narrowed from that one fit and released through ``likvard.access.release.release`` (full and
audited for the owner, suppressed for everyone else). The fit diagnostics describe the model
over all schools, not any student group, and are shown to every viewer.

A page opens with an overview of one school year (which schools stand out, with the residual
and its interval) and a table of the released rows that is filtered and paged here, after the
release, so paging never changes what is hidden.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.analyses.adjusted import charts
from likvard.analyses.adjusted.rows import ResultRow, result_rows
from likvard.analyses.results_cache import result_cached
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.organisations.selectors import SchoolUnitName as UnitName
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.adjusted.model import (
    UPPER_SECONDARY_OUTCOMES,
    YEAR9_OUTCOMES,
    FitDiagnostics,
    Outcome,
)
from likvard_core.analytics.adjusted.salsa import salsa_by_school
from likvard_core.analytics.adjusted.table import ModelFit
from likvard_core.analytics.adjusted.upper_secondary import (
    ProgrammeType,
    upper_secondary_by_school,
)

PAGE_SIZE = 25
ALL_YEARS = "all"


class Stage(StrEnum):
    """Which school results are adjusted."""

    YEAR9 = "year9"
    UPPER_SECONDARY = "upper_secondary"


OUTCOMES: dict[Stage, tuple[str, ...]] = {
    Stage.YEAR9: tuple(o.value for o in YEAR9_OUTCOMES),
    Stage.UPPER_SECONDARY: tuple(o.value for o in UPPER_SECONDARY_OUTCOMES),
}
PROGRAMME_TYPES: tuple[str, ...] = tuple(t.value for t in ProgrammeType)


@dataclass(frozen=True, slots=True)
class DiagnosticsRow:
    """One fitted model, flattened for a table: stratum, fit and each coefficient."""

    school_year: int
    stratum: str
    schools: int
    r_squared: float
    adj_r_squared: float
    residual_std_error: float
    f_p_value: float
    coefficients: tuple[tuple[str, float, float, float], ...]
    """``(name, estimate, standard error, p-value)`` per term, the constant first."""
    model: str = "linear"


@dataclass(frozen=True, slots=True)
class TableQuery:
    """Which released rows the detail table shows: a year (``None``: the latest; ``"all"``),
    a municipality, a school unit and an assessment (empty: any), and which page."""

    year: int | str | None = None
    municipality: str = ""
    school: str = ""
    assessment: str = ""
    page: int = 1


@dataclass(frozen=True, slots=True)
class TablePage:
    """One page of the filtered rows: ``rows``, its number, how many pages and rows in all;
    ``matching`` holds every filtered row (for the PDF, which prints them all)."""

    rows: list[ResultRow]
    page: int
    pages: int
    total: int
    matching: list[ResultRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Overview:
    """One school year at a glance: the count per assessment and the schools that stand out."""

    year: int | None
    counts: dict[str, int]
    standouts: list[ResultRow]
    chart: dict[str, object]


@dataclass(frozen=True, slots=True)
class AdjustedReport:
    """Actual result, model value and residual per school unit, with the models' diagnostics."""

    title: str
    stage: Stage
    outcome: str
    weighted: bool
    results: Released
    diagnostics: list[DiagnosticsRow]
    names: dict[str, str]
    rows: list[ResultRow]
    years: list[int]
    overview: Overview
    table: TablePage
    municipalities: list[tuple[str, str]] = field(default_factory=list)
    schools: list[tuple[str, str]] = field(default_factory=list)
    """The school units with rows, ``(code, name)`` by name, for choosing one."""

    @property
    def chart(self) -> dict[str, object]:
        """The overview chart (one sorted chart of the year's residuals)."""
        return self.overview.chart


@dataclass(frozen=True, slots=True)
class SchoolReport:
    """One school unit's adjusted results over the years, with its chart and the models."""

    unit: SchoolUnit
    stage: Stage
    outcome: str
    weighted: bool
    results: Released
    rows: list[ResultRow]
    chart: dict[str, object]
    diagnostics: list[DiagnosticsRow]


def _fit(stage: Stage, outcome: str, weighted: bool) -> ModelFit:
    """The fit over every school of the current data version (cached per version and model)."""
    version = data_version_get()

    def compute() -> ModelFit:
        with version.open() as db:
            if stage is Stage.YEAR9:
                return salsa_by_school(db, outcome=outcome, weighted=weighted)
            return upper_secondary_by_school(db, outcome=outcome, weighted=weighted)

    return result_cached(
        name="adjusted.fit.all",
        version=version,
        params={"stage": stage.value, "outcome": outcome, "weighted": weighted},
        compute=compute,
    )


def _diagnostics(fits: Sequence[FitDiagnostics]) -> list[DiagnosticsRow]:
    return [
        DiagnosticsRow(
            school_year=d.school_year,
            stratum=d.stratum,
            schools=d.n,
            r_squared=d.r_squared,
            adj_r_squared=d.adj_r_squared,
            residual_std_error=d.residual_std_error,
            f_p_value=d.f_p_value,
            coefficients=tuple(
                (c.name, c.estimate, c.std_error, c.p_value) for c in d.coefficients
            ),
            model=str(d.model),
        )
        for d in fits
    ]


def _chosen(stage: Stage, outcome: str | None) -> str:
    chosen = outcome or OUTCOMES[stage][0]
    if chosen not in OUTCOMES[stage]:
        raise ValueError(f"{chosen} is not an outcome of {stage}")
    return chosen


def _table(rows: list[ResultRow], query: TableQuery, year: int | None) -> TablePage:
    wanted = [
        r
        for r in rows
        if (query.year == ALL_YEARS or query.school or r.school_year == year)
        and (not query.municipality or r.municipality_code == query.municipality)
        and (not query.school or r.code == query.school)
        and (not query.assessment or r.assessment == query.assessment)
    ]
    pages = max(1, math.ceil(len(wanted) / PAGE_SIZE))
    page = min(max(1, query.page), pages)
    start = (page - 1) * PAGE_SIZE
    return TablePage(wanted[start : start + PAGE_SIZE], page, pages, len(wanted), wanted)


def _overview(rows: list[ResultRow], year: int | None, outcome: str) -> Overview:
    of_year = [r for r in rows if r.school_year == year]
    counts = dict.fromkeys(("above", "below", "within", "outside_model", "hidden"), 0)
    for r in of_year:
        counts[r.assessment] += 1
    above = sorted((r for r in of_year if r.assessment == "above"), key=lambda r: -r.residual_or0)
    below = sorted((r for r in of_year if r.assessment == "below"), key=lambda r: r.residual_or0)
    return Overview(
        year=year,
        counts=counts,
        standouts=[*above, *below],
        chart=charts.overview_chart(of_year, outcome=Outcome(outcome)),
    )


@dataclass(frozen=True, slots=True)
class _Released:
    """What a page's figures are before its table query: released once per data version,
    viewer rights class, scope, stage, outcome, weighting and the units' names."""

    released: Released
    diagnostics: list[DiagnosticsRow]
    rows: list[ResultRow]
    years: list[int]
    municipalities: list[tuple[str, str]]
    schools: list[tuple[str, str]]


def _released(
    *, viewer: Viewer, units: Sequence[UnitName], stage: Stage, outcome: str, weighted: bool,
    purpose: str,
) -> _Released:  # fmt: skip
    fit = _fit(stage, outcome, weighted)
    aggregate = fit.for_units([u.code for u in units])
    released = release(aggregate, viewer=viewer, purpose=f"{purpose}.{stage.value}")
    rows = result_rows(released, {u.code: u for u in units}, outcome=outcome)
    municipalities = sorted(
        {(r.municipality_code, r.municipality) for r in rows if r.municipality_code},
        key=lambda m: m[1],
    )
    return _Released(
        released=released,
        diagnostics=_diagnostics(fit.diagnostics),
        rows=rows,
        years=sorted({r.school_year for r in rows}),
        municipalities=municipalities,
        schools=sorted({(r.code, r.name) for r in rows}, key=lambda s: (s[1], s[0])),
    )


def adjusted_report_keyed(
    *,
    viewer: Viewer,
    title: str,
    units: Sequence[UnitName],
    stage: Stage,
    outcome: str | None = None,
    weighted: bool = False,
    purpose: str,
    query: TableQuery | None = None,
) -> tuple[AdjustedReport, str]:
    """Adjusted results of ``units`` for ``viewer``: overview of one year and a table page,
    and the cache key naming exactly its released figures.

    ``outcome`` defaults to the stage's first (merit value; diploma within 3 years); an outcome
    of the other stage raises ``ValueError``. ``query`` picks the year (latest by default) and
    filters and pages the table.

    The release and its rows are computed once per data version, viewer rights class, purpose,
    stage, outcome, weighting and the units with their names
    (``warehouse.fragments.figures_cached_keyed``, issue #16: 60-90 ms of CPU a request
    before); a viewer reading audited figures from the cache is audited for the same reads as
    if computed. The year, filters and page of ``query`` are applied to the kept rows.
    """
    chosen = _chosen(stage, outcome)
    query = query or TableQuery()
    named = repr(sorted((u.code, u.name, u.municipality_code, u.municipality) for u in units))
    base, key = figures_cached_keyed(
        name="adjusted.report",
        viewer=viewer,
        choices={
            "purpose": purpose,
            "stage": stage.value,
            "outcome": chosen,
            "weighted": str(weighted),
            "units": hashlib.sha256(named.encode()).hexdigest(),
        },
        compute=lambda: _released(
            viewer=viewer, units=units, stage=stage, outcome=chosen, weighted=weighted,
            purpose=purpose,
        ),
    )  # fmt: skip
    rows = base.rows
    years = base.years
    year = query.year if isinstance(query.year, int) and query.year in years else None
    year = year or (years[-1] if years else None)
    report = AdjustedReport(
        title=title,
        stage=stage,
        outcome=chosen,
        weighted=weighted,
        results=base.released,
        diagnostics=base.diagnostics,
        names={u.code: u.name for u in units},
        rows=rows,
        years=years,
        overview=_overview(rows, year, chosen),
        table=_table(rows, query, year),
        municipalities=base.municipalities,
        schools=base.schools,
    )
    return report, key


def _unit_name(unit: SchoolUnit) -> UnitName:
    return UnitName(unit.code, unit.name, unit.municipality.code, unit.municipality.name)


def adjusted_region_report(
    *, viewer: Viewer, region: Region, stage: Stage, outcome: str | None = None,
    weighted: bool = False, query: TableQuery | None = None,
) -> AdjustedReport:  # fmt: skip
    """Adjusted results of every school unit in the region's municipalities."""
    return adjusted_region_report_keyed(
        viewer=viewer, region=region, stage=stage, outcome=outcome, weighted=weighted,
        query=query,
    )[0]  # fmt: skip


def adjusted_region_report_keyed(
    *, viewer: Viewer, region: Region, stage: Stage, outcome: str | None = None,
    weighted: bool = False, query: TableQuery | None = None,
) -> tuple[AdjustedReport, str]:  # fmt: skip
    """``adjusted_region_report`` and the key naming its figures (``adjusted_report_keyed``)."""
    units = organisations.school_unit_names(region=region)
    return adjusted_report_keyed(
        viewer=viewer, title=region.name, units=units, stage=stage, outcome=outcome,
        weighted=weighted, purpose="adjusted.region", query=query,
    )  # fmt: skip


def adjusted_organizer_report(
    *, viewer: Viewer, organizer: Organizer, stage: Stage, outcome: str | None = None,
    weighted: bool = False, query: TableQuery | None = None,
) -> AdjustedReport:  # fmt: skip
    """Adjusted results of an organizer's school units, side by side."""
    return adjusted_organizer_report_keyed(
        viewer=viewer, organizer=organizer, stage=stage, outcome=outcome, weighted=weighted,
        query=query,
    )[0]  # fmt: skip


def adjusted_organizer_report_keyed(
    *, viewer: Viewer, organizer: Organizer, stage: Stage, outcome: str | None = None,
    weighted: bool = False, query: TableQuery | None = None,
) -> tuple[AdjustedReport, str]:  # fmt: skip
    """``adjusted_organizer_report`` and the key naming its figures."""
    units = organisations.school_unit_names(organizer=organizer)
    return adjusted_report_keyed(
        viewer=viewer, title=organizer.name, units=units, stage=stage, outcome=outcome,
        weighted=weighted, purpose="adjusted.organizer",
        query=query,
    )  # fmt: skip


def adjusted_school_report(
    *, viewer: Viewer, unit: SchoolUnit, stage: Stage, outcome: str | None = None,
    weighted: bool = False,
) -> SchoolReport:  # fmt: skip
    """One school unit's actual result, model value and interval in every year."""
    chosen = _chosen(stage, outcome)
    fit = _fit(stage, chosen, weighted)
    released = release(
        fit.for_units([unit.code]), viewer=viewer, purpose=f"adjusted.school.{stage.value}"
    )
    rows = result_rows(released, {unit.code: _unit_name(unit)}, outcome=chosen)
    return SchoolReport(
        unit=unit,
        stage=stage,
        outcome=chosen,
        weighted=weighted,
        results=released,
        rows=rows,
        chart=charts.school_chart(rows, outcome=Outcome(chosen)),
        diagnostics=_diagnostics(fit.diagnostics),
    )
