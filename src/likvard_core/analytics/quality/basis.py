"""The analysis basis (analysunderlag): per goal its indicators with trend, comparisons,
expected value and flags, the conditions, and fields for the organizer's own analysis.

Pure data. Every number is a ``Figure`` that carries its release status, source and data
version, so a renderer shows a suppressed cell as a mark with its reason and never a number.
``build_basis`` (in ``basis_build``) fills it from a snapshot through the caller's release
function; ``AnalysisBasis`` is what the page and the XLSX, PDF and PPTX exporters read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from likvard_core.analytics.quality.assess import Flag, TrendSummary
from likvard_core.analytics.quality.catalogue_model import Goal, Indicator, SuccessFactor
from likvard_core.analytics.quality.comparison import ComparisonGroup
from likvard_core.terms import ValueStatus

MARKS: dict[str, tuple[str, str]] = {
    ValueStatus.MISSING.value: (".", "uppgift saknas"),
    ValueStatus.TOO_FEW.value: ("..", "färre elever än minsta redovisade grupp"),
    ValueStatus.SUPPRESSED_COMPLEMENTARY.value: (
        "..",
        "dold för att skydda en annan liten grupp",
    ),
    ValueStatus.WITHDRAWN.value: ("..", "redovisningsnivån är tillbakadragen"),
    ValueStatus.NOT_APPLICABLE.value: ("-", "ej tillämpligt"),
}
"""Mark and Swedish reason for each non-shown status (Skolverket's '.' and '..')."""


class SubjectKind(StrEnum):
    """Whom the analysis basis is about."""

    ORGANIZER = "organizer"
    SCHOOL_UNIT = "school_unit"
    REGION = "region"


@dataclass(frozen=True, slots=True)
class Figure:
    """One released number: value (``None`` unless shown), status, group size, interval.

    ``status`` is a ``terms.ValueStatus`` value; only ``exists`` (and ``rounded``) show a value.
    """

    value: float | None
    status: str
    source: str
    data_version: str
    n: int | None = None
    low: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        """True when the value may be shown as a number."""
        return (
            self.status in (ValueStatus.EXISTS.value, ValueStatus.ROUNDED.value)
            and self.value is not None
            and not math.isnan(self.value)
        )

    @property
    def mark(self) -> str:
        """The table mark of a hidden figure ('.', '..', '-'), '' when shown."""
        if self.shown:
            return ""
        return MARKS.get(self.status, (".", ""))[0]

    @property
    def reason_sv(self) -> str:
        """Why a figure is not shown, in Swedish ('' when shown)."""
        if self.shown:
            return ""
        return MARKS.get(self.status, (".", "uppgift saknas"))[1]

    @classmethod
    def missing(cls, source: str, data_version: str) -> Figure:
        """A figure with no data ('.')."""
        return cls(None, ValueStatus.MISSING.value, source, data_version)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The unit's own value in one school year."""

    school_year: int
    figure: Figure


@dataclass(frozen=True, slots=True)
class Comparison:
    """A comparison value: nation, region, similar municipalities or the home municipality."""

    kind: str  # FlagKind value, or "municipality"
    label_sv: str
    figure: Figure


@dataclass(frozen=True, slots=True)
class Expectation:
    """The value expected from the students' background, with the gap and its interval."""

    expected: Figure  # value = expected value; low/high = 95 % prediction interval
    gap: float | None  # actual minus expected; None when hidden


@dataclass(frozen=True, slots=True)
class IndicatorBlock:
    """One indicator in the basis: the catalogue revision of the year and everything about it."""

    indicator: Indicator
    value: Figure
    by_group: dict[str, Figure]  # "girls", "boys"
    trend: tuple[TrendPoint, ...]
    trend_summary: TrendSummary | None
    comparisons: tuple[Comparison, ...]
    expectation: Expectation | None
    flags: tuple[Flag, ...]
    note_sv: str = ""
    members: tuple[Comparison, ...] = ()
    """A region's member municipalities, side by side (empty for other subjects)."""
    trend_of_sv: str = ""
    """Whose values the trend holds when not the subject's own (e.g. the municipality's)."""


@dataclass(frozen=True, slots=True)
class GoalSection:
    """A national goal with its indicators and the organizer's own analysis of it."""

    goal: Goal
    indicators: tuple[IndicatorBlock, ...]
    own_analysis: str = ""


@dataclass(frozen=True, slots=True)
class OwnAnalysis:
    """Fields the organizer fills in (empty when the basis is generated)."""

    strengths: str = ""
    development_areas: str = ""
    actions: str = ""


@dataclass(frozen=True, slots=True)
class AnalysisBasis:
    """The analysis basis for one subject (organizer, school unit or region) and school year."""

    subject_kind: SubjectKind
    subject_code: str
    subject_name: str
    school_year: int
    catalogue_version: str
    data_version: str
    goals: tuple[GoalSection, ...]
    conditions: tuple[IndicatorBlock, ...]
    success_factors: tuple[SuccessFactor, ...]
    comparison_group: ComparisonGroup | None
    municipality_basis: str
    own_analysis: OwnAnalysis = field(default_factory=OwnAnalysis)
    notes_sv: tuple[str, ...] = ()
    members: tuple[tuple[str, str], ...] = ()
    """(code, name) of a region's member municipalities, in the order of ``members``."""
    comparison_names: tuple[tuple[str, str], ...] = ()
    """(code, name) of the comparison group's municipalities, most similar first."""

    def comparison_group_sv(self) -> str:
        """The comparison group by name with the code after it: ``Härryda (1401), ...``."""
        return ", ".join(f"{name} ({code})" for code, name in self.comparison_names)

    @property
    def year_label(self) -> str:
        """The school year as Swedish write it: ``2024/25``."""
        return f"{self.school_year - 1}/{str(self.school_year)[2:]}"

    def all_blocks(self) -> tuple[IndicatorBlock, ...]:
        """Every indicator block, goals first, then conditions."""
        return (*(b for g in self.goals for b in g.indicators), *self.conditions)

    def flagged(self) -> tuple[IndicatorBlock, ...]:
        """The indicator blocks with at least one flag."""
        return tuple(b for b in self.all_blocks() if b.flags)
