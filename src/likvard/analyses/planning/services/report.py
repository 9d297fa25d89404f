"""The planning report of a region: forecast, expected students, supply against demand, scenario.

Opens the current data version, calls ``likvard_core.analytics.planning`` and releases every table
through ``likvard.access.release.release``: the cohort forecast is public statistics (SCB
population); expected students and demand rest on student-level enrolments and applications,
so small cells are suppressed for anyone without the right to all the organizers counted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyarrow as pa

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.analyses.planning import charts, selectors
from likvard.analyses.planning.models import PlanningBasisValue, ScenarioChange
from likvard.analyses.planning.services.basis import ComparisonRow, comparison_rows
from likvard.analyses.planning.services.summary import ProgrammeSummary, programme_summary
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.planning.cohorts import HORIZON, cohort_forecast, latest_population_year
from likvard_core.analytics.planning.demand import first_choice_shares, programme_demand
from likvard_core.analytics.planning.patterns import (
    expected_students,
    movement_pattern,
    transition_rate,
)
from likvard_core.analytics.planning.supply import (
    NO_SURVEY,
    SURVEY_SCHEMA,
    Change,
    Coverage,
    first_year_enrolment,
    latest_enrolment_year,
    supply_vs_demand,
    with_scenario,
)
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.warehouse.snapshot import Snapshot

BASE_YEARS = 5
"""Past years the transition, movement and application patterns are pooled over."""


@dataclass(frozen=True, slots=True)
class YearTotal:
    """The region's forecast 16-year-olds in one year (sum of the released municipal rows)."""

    year: int
    cohort: float


@dataclass(frozen=True, slots=True)
class PlanningReport:
    """Everything the planning page, API, CLI and exports show for a region."""

    region: Region
    from_year: int | None
    transition_rate: float
    forecast: Released | None
    expected: Released | None
    supply_demand: Released | None
    totals: list[YearTotal]
    names: dict[str, str]
    changes: list[ScenarioChange]
    survey: selectors.SurveySupply
    basis: list[PlanningBasisValue]
    forecast_chart: dict[str, object]
    gap_chart: dict[str, object]
    comparison: list[ComparisonRow] = field(default_factory=list)
    """The released supply-and-demand rows with Skolverket's planning basis beside them."""

    @property
    def years(self) -> list[int]:
        """The forecast years after the base year."""
        return [t.year for t in self.totals if self.from_year is None or t.year > self.from_year]

    @property
    def summary(self) -> list[ProgrammeSummary]:
        """One line per programme: the first forecast year, and the smallest gap with the
        scenario over the forecast years (the page's overview; the full table is on demand)."""
        return programme_summary(self.comparison, year=self.years[0]) if self.years else []


def planning_report(
    *,
    viewer: Viewer,
    region: Region,
    from_year: int | None = None,
    horizon: int = HORIZON,
    channel: str = "web",
    chart_width: object = "container",
) -> PlanningReport:
    """The region's planning report from population year ``from_year`` (default: the latest).

    Computed once per data version and viewer rights class (``planning_report_keyed``)."""
    return planning_report_keyed(
        viewer=viewer, region=region, from_year=from_year, horizon=horizon, channel=channel,
        chart_width=chart_width,
    )[0]  # fmt: skip


def planning_report_keyed(
    *,
    viewer: Viewer,
    region: Region,
    from_year: int | None = None,
    horizon: int = HORIZON,
    channel: str = "web",
    chart_width: object = "container",
) -> tuple[PlanningReport, str]:
    """``planning_report`` and the cache key naming exactly its figures.

    Computed once per data version, viewer rights class, choices and the region's scenario,
    survey and planning basis as saved (``warehouse.fragments.figures_cached_keyed``, issue
    #18); a viewer reading audited figures from the cache is audited as if computed."""
    changes = selectors.scenario_changes(region=region)
    survey = selectors.survey_supply(region=region)
    _basis, basis_values = selectors.planning_basis_latest(region=region)
    inputs = repr(
        (
            [_fields(change) for change in changes],
            _fields(survey.survey) if survey.survey is not None else None,
            survey.rows, sorted(survey.covered_units), survey.submitted, survey.municipalities,
            [_fields(value) for value in basis_values],
        )
    )  # fmt: skip
    choices = {
        "region": region.code,
        "from_year": str(from_year),
        "horizon": str(horizon),
        "channel": channel,
        "chart_width": repr(chart_width),
        "inputs": hashlib.sha256(inputs.encode()).hexdigest(),
    }
    return figures_cached_keyed(
        name="planning.region",
        viewer=viewer,
        choices=choices,
        compute=lambda: _planning_report(
            viewer=viewer,
            region=region,
            from_year=from_year,
            horizon=horizon,
            channel=channel,
            chart_width=chart_width,
            changes=changes,
            survey=survey,
            basis_values=basis_values,
        ),
    )


def _fields(instance: object) -> tuple[tuple[str, object], ...]:
    """A saved row's own fields (what the report depends on), for the cache key."""
    return tuple(sorted((k, v) for k, v in vars(instance).items() if not k.startswith("_")))


def _planning_report(
    *,
    viewer: Viewer,
    region: Region,
    from_year: int | None,
    horizon: int,
    channel: str,
    chart_width: object,
    changes: list[ScenarioChange],
    survey: selectors.SurveySupply,
    basis_values: list[PlanningBasisValue],
) -> PlanningReport:
    municipalities = organisations.region_municipalities(region=region)
    names = {m.code: m.name for m in municipalities}
    programmes = {p.code: p.name for p in organisations.programme_list()}
    codes = sorted(names)
    with data_version_get().open() as db:
        year = from_year or latest_population_year(db, municipalities=codes)
        if year is None:
            return _empty(region, names, changes, survey, basis_values)
        forecast, expected, supply, rate = _aggregates(
            db, region=region, codes=codes, year=year, horizon=horizon, survey=survey,
            changes=changes,
        )  # fmt: skip
    purpose = "planning.region"
    forecast_released = release(forecast, viewer=viewer, purpose=purpose, channel=channel)
    supply_released = release(supply, viewer=viewer, purpose=purpose, channel=channel)
    forecast_rows = forecast_released.rows()
    return PlanningReport(
        region=region,
        from_year=year,
        transition_rate=rate,
        forecast=forecast_released,
        expected=release(expected, viewer=viewer, purpose=purpose, channel=channel),
        supply_demand=supply_released,
        totals=_totals(forecast_released.table),
        names=names,
        changes=changes,
        survey=survey,
        basis=basis_values,
        forecast_chart=charts.forecast_chart(forecast_rows, names, width=chart_width),
        gap_chart=charts.gap_chart(supply_released.rows(), width=chart_width, names=programmes),
        comparison=comparison_rows(supply_released.rows(), basis_values, programmes),
    )


def _aggregates(
    db: Snapshot,
    *,
    region: Region,
    codes: list[str],
    year: int,
    horizon: int,
    survey: selectors.SurveySupply,
    changes: list[ScenarioChange],
) -> tuple[Aggregate, Aggregate, Aggregate, float]:
    base = range(year - BASE_YEARS + 1, year + 1)
    forecast = cohort_forecast(db, municipalities=codes, from_year=year, horizon=horizon)
    rate = transition_rate(db, municipalities=codes, years=base)
    units = selectors.region_school_units(region=region)
    pattern = movement_pattern(db, municipalities=codes, years=base, school_municipality=units)
    scope = f"region:{region.code}/planning:{year}"
    expected = expected_students(forecast, rate, pattern, scope=scope)
    shares = first_choice_shares(db, municipalities=codes, years=base)
    demand = programme_demand(forecast, shares, scope=scope, organizers=pattern.organizers)
    own_units = sorted(code for code, municipality in units.items() if municipality in codes)
    latest = latest_enrolment_year(db, school_units=own_units)
    enrolment = first_year_enrolment(db, school_units=own_units, school_year=latest or 0)
    coverage = NO_SURVEY
    if survey.survey is not None and survey.covered_units:
        coverage = Coverage(survey.covered_units, survey.survey.first_year, survey.survey.last_year)
    supply = supply_vs_demand(
        demand,
        years=list(range(year + 1, year + horizon + 1)),
        survey=_survey_table(survey.rows),
        coverage=coverage,
        enrolment=enrolment,
    )
    scenario = [
        Change(c.school_unit.code, str(c.programme_id), int(c.from_year), int(c.places))
        for c in changes
    ]
    return forecast, expected, with_scenario(supply, scenario), rate.rate


def _survey_table(rows: list[tuple[str, str, int, int]]) -> pa.Table:
    columns: list[list[object]] = [[row[i] for row in rows] for i in range(4)]
    return pa.table(dict(zip(SURVEY_SCHEMA.names, columns, strict=True)), schema=SURVEY_SCHEMA)


def _totals(table: pa.Table) -> list[YearTotal]:
    grouped = table.group_by("year").aggregate([("cohort", "sum")]).sort_by("year")
    return [YearTotal(int(r["year"]), float(r["cohort_sum"] or 0.0)) for r in grouped.to_pylist()]


def _empty(
    region: Region,
    names: dict[str, str],
    changes: list[ScenarioChange],
    survey: selectors.SurveySupply,
    basis: list[PlanningBasisValue],
) -> PlanningReport:
    return PlanningReport(
        region, None, 0.0, None, None, None, [], names, changes, survey, basis,
        charts.forecast_chart([], names, width="container"),
        charts.gap_chart([], width="container"),
    )  # fmt: skip
