"""Output schemas of the quality API: the catalogue, the analysis basis, self-evaluations.

A released figure is a value *or* a mark with its reason: a hidden figure has ``value: null``,
so a suppressed cell never reaches an API answer as a number.
"""

from __future__ import annotations

from ninja import Field, Schema

from likvard_core.analytics.quality.basis import AnalysisBasis, Figure, IndicatorBlock


class FigureOut(Schema):
    """A released number: ``value`` is null unless shown; ``mark``/``reason`` say why not."""

    value: float | None
    status: str
    mark: str
    reason: str
    n: int | None
    ci_low: float | None
    ci_high: float | None
    source: str
    data_version: str

    @classmethod
    def of(cls, figure: Figure) -> FigureOut:
        """The schema of one figure; hidden figures carry no number, group size or interval."""
        shown = figure.shown
        return cls(
            value=figure.value if shown else None,
            status=figure.status,
            mark=figure.mark,
            reason=figure.reason_sv,
            n=figure.n if shown else None,
            ci_low=figure.low if shown else None,
            ci_high=figure.high if shown else None,
            source=figure.source,
            data_version=figure.data_version,
        )


class ComparisonOut(Schema):
    """A comparison value (nation, region, similar municipalities, the municipality)."""

    kind: str
    label: str
    figure: FigureOut


class FlagOut(Schema):
    """Why an indicator stands out, in Swedish."""

    kind: str
    higher: bool
    better: bool | None
    explanation: str


class TrendPointOut(Schema):
    """The subject's own value in one school year."""

    school_year: int
    figure: FigureOut


class IndicatorBlockOut(Schema):
    """One indicator of the basis with its value, groups, trend, comparisons and flags."""

    code: str
    name: str
    definition: str
    unit: str
    direction: str
    candidate: bool
    kolada_kpi: str | None
    value: FigureOut
    girls: FigureOut | None
    boys: FigureOut | None
    trend: list[TrendPointOut]
    trend_of: str = Field(
        "", description="Whose values the trend holds when not the subject's own (Swedish)."
    )
    comparisons: list[ComparisonOut]
    members: list[ComparisonOut] = Field(
        default_factory=list,
        description="A region's member municipalities side by side (empty for other subjects).",
    )
    note: str = ""
    expected: FigureOut | None
    gap: float | None
    flags: list[FlagOut]

    @classmethod
    def of(cls, block: IndicatorBlock) -> IndicatorBlockOut:
        """The schema of one indicator block."""
        indicator = block.indicator
        girls, boys = block.by_group.get("girls"), block.by_group.get("boys")
        expectation = block.expectation
        return cls(
            code=indicator.code,
            name=indicator.name,
            definition=indicator.definition,
            unit=indicator.unit.value,
            direction=indicator.direction.value,
            candidate=indicator.status.value == "candidate",
            kolada_kpi=indicator.kolada_kpi,
            value=FigureOut.of(block.value),
            girls=FigureOut.of(girls) if girls else None,
            boys=FigureOut.of(boys) if boys else None,
            trend=[
                TrendPointOut(school_year=p.school_year, figure=FigureOut.of(p.figure))
                for p in block.trend
            ],
            trend_of=block.trend_of_sv,
            comparisons=[
                ComparisonOut(kind=c.kind, label=c.label_sv, figure=FigureOut.of(c.figure))
                for c in block.comparisons
            ],
            members=[
                ComparisonOut(kind=m.kind, label=m.label_sv, figure=FigureOut.of(m.figure))
                for m in block.members
            ],
            note=block.note_sv,
            expected=FigureOut.of(expectation.expected) if expectation else None,
            gap=expectation.gap if expectation else None,
            flags=[
                FlagOut(
                    kind=f.kind.value, higher=f.higher, better=f.better, explanation=f.sentence_sv
                )
                for f in block.flags
            ],
        )


class GoalOut(Schema):
    """A national goal with its indicators and the organizer's analysis of it."""

    code: str
    school_form: str
    title: str
    indicators: list[IndicatorBlockOut]
    own_analysis: str


class OwnAnalysisOut(Schema):
    """The organizer's own analysis of the whole basis."""

    strengths: str
    development_areas: str
    actions: str


class BasisOut(Schema):
    """The analysis basis of one organizer, school unit or region and school year."""

    subject_kind: str
    subject_code: str
    subject_name: str
    school_year: int
    catalogue_version: str
    data_version: str
    comparison_group: list[str]
    comparison_group_explanation: str
    goals: list[GoalOut]
    conditions: list[IndicatorBlockOut]
    own_analysis: OwnAnalysisOut
    notes: list[str]

    @classmethod
    def of(cls, basis: AnalysisBasis) -> BasisOut:
        """The schema of a whole basis."""
        group = basis.comparison_group
        own = basis.own_analysis
        return cls(
            subject_kind=basis.subject_kind.value,
            subject_code=basis.subject_code,
            subject_name=basis.subject_name,
            school_year=basis.school_year,
            catalogue_version=basis.catalogue_version,
            data_version=basis.data_version,
            comparison_group=list(group.codes) if group else [],
            comparison_group_explanation=group.explanation_sv() if group else "",
            goals=[
                GoalOut(
                    code=s.goal.code,
                    school_form=s.goal.school_form,
                    title=s.goal.title,
                    indicators=[IndicatorBlockOut.of(b) for b in s.indicators],
                    own_analysis=s.own_analysis,
                )
                for s in basis.goals
            ],
            conditions=[IndicatorBlockOut.of(b) for b in basis.conditions],
            own_analysis=OwnAnalysisOut(
                strengths=own.strengths,
                development_areas=own.development_areas,
                actions=own.actions,
            ),
            notes=list(basis.notes_sv),
        )


class RevisionOut(Schema):
    """An indicator's definition in force in the year asked for."""

    code: str
    name: str
    definition: str
    unit: str
    direction: str
    population: str
    data_source: str
    school_forms: list[str]
    kolada_kpi: str
    status: str
    sources: list[str]
    valid_from: int
    valid_to: int | None
    local: bool


class SelfEvaluationOut(Schema):
    """One answer: who (``school_unit_code`` null for the organizer), factor, rating, texts."""

    school_unit_code: str | None
    school_unit_name: str | None
    success_factor: str
    school_year: int
    rating: int
    rating_label: str
    evidence: str
    next_steps: str
