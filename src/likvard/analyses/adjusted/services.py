"""Adjusted results (SALSA-style) for year 9 and upper secondary: reports for the pages and API.

The models are fitted on every school in the current data version (region or nation, whatever
is loaded) and cached per data version; the rows of the units a page shows are released
through ``likvard.access.release.release`` (full and audited for the owner, suppressed for
everyone else). The fit diagnostics describe the model over all schools, not any student
group, and are shown to every viewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.analyses.adjusted import charts
from likvard.analyses.equity.services import region_school_units
from likvard.analyses.results_cache import result_cached
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.adjusted.model import (
    UPPER_SECONDARY_OUTCOMES,
    YEAR9_OUTCOMES,
    FitDiagnostics,
    Outcome,
)
from likvard_core.analytics.adjusted.salsa import salsa_by_school
from likvard_core.analytics.adjusted.upper_secondary import (
    ProgrammeType,
    upper_secondary_by_school,
)
from likvard_core.disclosure.aggregate import Aggregate


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
    chart: dict[str, object]


def _fit(stage: Stage, outcome: str, weighted: bool, units: Sequence[str]) -> tuple[
    Aggregate, tuple[FitDiagnostics, ...]
]:  # fmt: skip
    version = data_version_get()

    def compute() -> tuple[Aggregate, tuple[FitDiagnostics, ...]]:
        with version.open() as db:
            if stage is Stage.YEAR9:
                year9 = salsa_by_school(
                    db, outcome=outcome, weighted=weighted, school_units=list(units)
                )
                return year9.aggregate, year9.diagnostics
            upper = upper_secondary_by_school(
                db, outcome=outcome, weighted=weighted, school_units=list(units)
            )
            return upper.aggregate, upper.diagnostics

    return result_cached(
        name="adjusted.fit",
        version=version,
        params={
            "stage": stage.value,
            "outcome": outcome,
            "weighted": weighted,
            "units": sorted(units),
        },
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
        )
        for d in fits
    ]


def adjusted_report(
    *,
    viewer: Viewer,
    title: str,
    names: dict[str, str],
    stage: Stage,
    outcome: str | None = None,
    weighted: bool = False,
    purpose: str,
) -> AdjustedReport:
    """Adjusted results of the school units in ``names`` (code -> name) for ``viewer``.

    ``outcome`` defaults to the stage's first (merit value; diploma within 3 years); an outcome
    of the other stage raises ``ValueError``.
    """
    chosen = outcome or OUTCOMES[stage][0]
    if chosen not in OUTCOMES[stage]:
        raise ValueError(f"{chosen} is not an outcome of {stage}")
    aggregate, fits = _fit(stage, chosen, weighted, sorted(names))
    released = release(aggregate, viewer=viewer, purpose=f"{purpose}.{stage.value}")
    return AdjustedReport(
        title=title,
        stage=stage,
        outcome=chosen,
        weighted=weighted,
        results=released,
        diagnostics=_diagnostics(fits),
        names=names,
        chart=charts.residual_chart(released.rows(), names, outcome=Outcome(chosen)),
    )


def adjusted_region_report(
    *, viewer: Viewer, region: Region, stage: Stage, outcome: str | None = None,
    weighted: bool = False,
) -> AdjustedReport:  # fmt: skip
    """Adjusted results of every school unit in the region's municipalities."""
    return adjusted_report(
        viewer=viewer, title=region.name, names=region_school_units(region=region), stage=stage,
        outcome=outcome, weighted=weighted, purpose="adjusted.region",
    )  # fmt: skip


def adjusted_organizer_report(
    *, viewer: Viewer, organizer: Organizer, stage: Stage, outcome: str | None = None,
    weighted: bool = False,
) -> AdjustedReport:  # fmt: skip
    """Adjusted results of an organizer's school units, side by side."""
    units = organisations.organizer_school_units(organizer=organizer)
    return adjusted_report(
        viewer=viewer, title=organizer.name, names={u.code: u.name for u in units}, stage=stage,
        outcome=outcome, weighted=weighted, purpose="adjusted.organizer",
    )  # fmt: skip
