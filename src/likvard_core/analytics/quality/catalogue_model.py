"""Value types of the quality-system catalogue: goals, indicators, success factors.

The catalogue is a versioned data file (``data/catalogue.json``, format documented in
``docs/quality-catalogue-format.md``). Each entry says whether it is *verified* from a source
or a *candidate*, with source tags (``S1`` ...) resolved in the file's ``sources`` table.
Indicators are revisable: one code may appear several times with non-overlapping
``valid_from``/``valid_to`` school years, so history keeps the definition that applied then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from likvard_core.ingest.issues import Issue

DEFAULT_PATH = Path(__file__).with_name("data") / "catalogue.json"
"""The catalogue shipped with Likvärd."""

FORMAT = "likvard-quality-catalogue/1"
"""The value of the file's ``format`` key this module reads."""


class Status(StrEnum):
    """How well an entry is backed: verified from a source, or a candidate."""

    VERIFIED = "verified"
    CANDIDATE = "candidate"


class Unit(StrEnum):
    """The unit of an indicator's value."""

    PERCENT = "percent"  # 0-100
    POINTS = "points"  # merit value, grade points
    RATIO = "ratio"  # e.g. students per teacher


class Direction(StrEnum):
    """Which direction of an indicator is better."""

    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    NONE = "none"


class DataSource(StrEnum):
    """Where an indicator's values come from."""

    WAREHOUSE = "warehouse"  # computed from student-level facts
    PUBLIC_STATS = "public_stats"  # read from imported published statistics
    NONE = "none"  # no data source yet


class IndicatorKind(StrEnum):
    """What an indicator measures: results, conditions, or students' perceptions."""

    RESULT = "result"
    CONDITION = "condition"
    PERCEPTION = "perception"


SCHOOL_FORMS: tuple[str, ...] = (
    "forskola",
    "forskoleklass",
    "grundskola",
    "anpassad_grundskola",
    "specialskola",
    "sameskola",
    "gymnasieskola",
    "anpassad_gymnasieskola",
    "komvux",
    "fritidshem",
)
"""School-form codes the catalogue accepts (``likvard_core.terms.SchoolForm`` values plus the
forms the quality system names that the warehouse does not hold)."""


@dataclass(frozen=True, slots=True)
class SubGoal:
    """A sub-goal (delmål) of a national goal, with the codes of the indicators that follow it."""

    code: str
    title: str
    status: Status
    sources: tuple[str, ...]
    indicators: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Goal:
    """The national goal (nationell målsättning) of one school form."""

    code: str
    school_form: str
    title: str
    status: Status
    sources: tuple[str, ...]
    sub_goals: tuple[SubGoal, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class PublicMeasure:
    """Where a public-statistics indicator is found: ``public_stats.source`` and ``.measure``."""

    source: str
    measure: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """One revision of an indicator, valid for school years ``valid_from``..``valid_to``.

    ``valid_to`` is ``None`` while the revision is current. ``kolada_kpi`` is the Kolada key
    figure with the same definition at municipality (school-municipality) level, if any;
    ``kolada_related`` lists variants (home municipality, municipal or independent schools).
    """

    code: str
    name: str
    definition: str
    unit: Unit
    direction: Direction
    population: str
    data_source: DataSource
    school_forms: tuple[str, ...]
    kind: IndicatorKind
    kolada_kpi: str | None
    kolada_related: tuple[str, ...]
    status: Status
    sources: tuple[str, ...]
    valid_from: int
    valid_to: int | None
    note: str = ""
    public_measures: tuple[PublicMeasure, ...] = ()
    local: bool = False

    def applies_in(self, year: int) -> bool:
        """True when this revision applies in school year ``year``."""
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True, slots=True)
class SuccessFactor:
    """A factor for successful school development (framgångsfaktor)."""

    code: str
    title: str
    status: Status
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Conditions:
    """The block of the organizer's conditions (verksamhetens förutsättningar)."""

    title: str
    status: Status
    sources: tuple[str, ...]
    indicators: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A whole catalogue version. ``indicators`` holds every revision, grouped by code in file
    order, oldest revision first; ``sources`` maps source tags to titles."""

    version: str
    goals: tuple[Goal, ...]
    indicators: tuple[Indicator, ...]
    success_factors: tuple[SuccessFactor, ...]
    conditions: Conditions
    sources: Mapping[str, str]

    def goal_for(self, school_form: str) -> Goal | None:
        """The goal of ``school_form``, or ``None``."""
        return next((g for g in self.goals if g.school_form == school_form), None)

    def indicator_codes(self) -> tuple[str, ...]:
        """Every distinct indicator code, in file order."""
        return tuple(dict.fromkeys(i.code for i in self.indicators))

    def indicators_for_goal(self, goal: Goal, year: int) -> tuple[Indicator, ...]:
        """The revisions valid in ``year`` that follow ``goal``: its sub-goals' indicators, plus
        every result or perception indicator of the goal's school form (conditions excluded)."""
        named = {code for sub in goal.sub_goals for code in sub.indicators}
        return tuple(
            i
            for i in self.indicators
            if i.applies_in(year)
            and (
                i.code in named
                or (goal.school_form in i.school_forms and i.kind is not IndicatorKind.CONDITION)
            )
        )

    def condition_indicators(self, year: int) -> tuple[Indicator, ...]:
        """The revisions of the conditions block's indicators valid in ``year``."""
        wanted = set(self.conditions.indicators)
        return tuple(i for i in self.indicators if i.code in wanted and i.applies_in(year))


class CatalogueError(ValueError):
    """A catalogue file failed validation; ``issues`` says where and what was expected."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(issue.format_cli() for issue in issues[:5]))


def indicator_revision(catalogue: Catalogue, code: str, year: int) -> Indicator | None:
    """The revision of indicator ``code`` that applies in school year ``year``, or ``None``."""
    return next((i for i in catalogue.indicators if i.code == code and i.applies_in(year)), None)


def indicator_history(catalogue: Catalogue, code: str) -> tuple[Indicator, ...]:
    """Every revision of indicator ``code``, oldest first."""
    return tuple(i for i in catalogue.indicators if i.code == code)
