"""Reading the quality work: self-evaluations side by side, dialogues and open follow-up actions.

Every selector that shows an organizer's work takes the ``viewer`` and returns only what the
policy lets them read. School units are always ordered by name: no league tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from likvard.access.policy import QualityAction, Viewer, quality_allowed
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.quality.models import (
    ActionStatus,
    CatalogueVersion,
    FollowUpAction,
    Goal,
    Indicator,
    IndicatorRevision,
    LocalIndicatorValue,
    QualityDialogue,
    SelfEvaluation,
    SubGoal,
    SuccessFactor,
)

AUTUMN_TERM_STARTS = 7
"""From July on, the current school year is the next spring's."""


def default_school_year() -> int:
    """The current school year as its spring year (2025 means 2024/25)."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= AUTUMN_TERM_STARTS else today.year


def organizer_regions(*, organizer: Organizer) -> frozenset[str]:
    """Codes of the regions an organizer belongs to: its municipality's and its units'."""
    query = Q(municipalities__organizers=organizer) | Q(
        municipalities__school_units__organizer=organizer
    )
    return frozenset(Region.objects.filter(query).values_list("code", flat=True).distinct())


def success_factor_list() -> list[SuccessFactor]:
    """Every success factor of the catalogue, in catalogue order."""
    return list(SuccessFactor.objects.all())


def success_factor_get(*, code: str) -> SuccessFactor | None:
    """The success factor with ``code``, or None."""
    return SuccessFactor.objects.filter(code=code).first()


@dataclass(frozen=True, slots=True)
class UnitAnswer:
    """One school unit's answer on a success factor (``answer`` None: not answered yet)."""

    school_unit: SchoolUnit
    answer: SelfEvaluation | None


@dataclass(frozen=True, slots=True)
class FactorAnswers:
    """A success factor with the organizer's own answer and its units' answers side by side."""

    factor: SuccessFactor
    own: SelfEvaluation | None
    units: tuple[UnitAnswer, ...]


@dataclass(frozen=True, slots=True)
class SelfEvaluationOverview:
    """An organizer's self-evaluation in one year, as far as the viewer may read it.

    ``units`` are the school units whose answers the viewer sees (by name); ``years`` the
    school years with any answers (plus the one shown); ``may_write_own`` whether the viewer
    writes the organizer's summary; ``writable_units`` the units whose answers they write.
    """

    organizer: Organizer
    school_year: int
    years: tuple[int, ...]
    units: tuple[SchoolUnit, ...]
    factors: tuple[FactorAnswers, ...]
    may_read_own: bool
    may_write_own: bool
    writable_units: frozenset[str]


def _readable_units(viewer: Viewer, organizer: Organizer) -> list[SchoolUnit]:
    units = SchoolUnit.objects.filter(organizer=organizer).order_by("name", "code")
    number = organizer.organisation_number
    return [
        unit
        for unit in units
        if quality_allowed(
            viewer,
            QualityAction.READ_SELF_EVALUATION,
            organizer=number,
            school_unit=unit.code,
        )
    ]


def self_evaluation_overview(
    *,
    viewer: Viewer,
    organizer: Organizer,
    school_year: int | None,
    newest_data_year: int | None = None,
) -> SelfEvaluationOverview:
    """The organizer's and its units' answers per success factor in ``school_year``.

    Without a ``school_year`` it opens on the newest year with answers the viewer may read,
    else on ``newest_data_year`` (the newest school year in the warehouse), else on the
    current school year; the current school year is always offered, to start a new one.
    """
    number = organizer.organisation_number
    regions = organizer_regions(organizer=organizer)
    may_read_own = quality_allowed(
        viewer, QualityAction.READ_SELF_EVALUATION, organizer=number, regions=regions
    )
    units = _readable_units(viewer, organizer)
    visible = Q(school_unit__in=units)
    if may_read_own:
        visible |= Q(school_unit__isnull=True)
    rows = SelfEvaluation.objects.filter(visible, organizer=organizer)
    answered = set(rows.values_list("school_year", flat=True))
    if school_year is None:
        school_year = max(answered, default=newest_data_year or default_school_year())
    years = answered | {school_year, default_school_year()}
    answers = {
        (row.success_factor_id, row.school_unit_id): row
        for row in rows.filter(school_year=school_year)
    }
    factors = tuple(
        FactorAnswers(
            factor=factor,
            own=answers.get((factor.pk, None)) if may_read_own else None,
            units=tuple(UnitAnswer(unit, answers.get((factor.pk, unit.pk))) for unit in units),
        )
        for factor in success_factor_list()
    )
    return SelfEvaluationOverview(
        organizer=organizer,
        school_year=school_year,
        years=tuple(sorted(years, reverse=True)),
        units=tuple(units),
        factors=factors,
        may_read_own=may_read_own,
        may_write_own=quality_allowed(
            viewer, QualityAction.WRITE_SELF_EVALUATION, organizer=number, regions=regions
        ),
        writable_units=frozenset(
            unit.code
            for unit in units
            if quality_allowed(
                viewer,
                QualityAction.WRITE_SELF_EVALUATION,
                organizer=number,
                school_unit=unit.code,
            )
        ),
    )


def self_evaluation_answers(
    *, organizer: Organizer, school_unit: SchoolUnit | None, school_year: int
) -> dict[int, SelfEvaluation]:
    """The saved answers of one unit (or the organizer itself) in a year, by success factor id."""
    rows = SelfEvaluation.objects.filter(
        organizer=organizer, school_unit=school_unit, school_year=school_year
    )
    return {row.success_factor_id: row for row in rows}


def dialogue_list(*, viewer: Viewer, organizer: Organizer) -> list[QualityDialogue]:
    """The organizer's quality dialogues, newest first; empty unless the viewer may read them."""
    if not quality_allowed(
        viewer,
        QualityAction.READ_DIALOGUES,
        organizer=organizer.organisation_number,
        regions=organizer_regions(organizer=organizer),
    ):
        return []
    return list(
        QualityDialogue.objects.filter(organizer=organizer).annotate(
            open_actions=Count("actions", filter=~Q(actions__status=ActionStatus.DONE))
        )
    )


def dialogue_get(*, pk: int) -> QualityDialogue | None:
    """The quality dialogue ``pk`` with its actions, or None."""
    return (
        QualityDialogue.objects.select_related("organizer")
        .prefetch_related("actions", "indicators", "success_factors", "participant_users")
        .filter(pk=pk)
        .first()
    )


def open_actions(*, viewer: Viewer) -> list[FollowUpAction]:
    """Follow-up actions not yet done of the organizers the viewer works for, soonest first."""
    if not viewer.organizers:
        return []
    return list(
        FollowUpAction.objects.filter(
            dialogue__organizer__organisation_number__in=sorted(viewer.organizers)
        )
        .exclude(status=ActionStatus.DONE)
        .select_related("dialogue__organizer")
        .order_by("due_on", "id")
    )


def follow_up_action_get(*, pk: int) -> FollowUpAction | None:
    """The follow-up action ``pk`` with its dialogue and organizer, or None."""
    return FollowUpAction.objects.select_related("dialogue__organizer").filter(pk=pk).first()


@dataclass(frozen=True, slots=True)
class IndicatorView:
    """An indicator with the revision that applies in the year shown (None: not in force)."""

    indicator: Indicator
    revision: IndicatorRevision | None


@dataclass(frozen=True, slots=True)
class SubGoalView:
    """A sub-goal with its indicators in force."""

    sub_goal: SubGoal
    indicators: tuple[IndicatorView, ...]


@dataclass(frozen=True, slots=True)
class SchoolFormCatalogue:
    """One school form's part of the catalogue in one year, as shown on its page.

    ``indicators``: the form's national indicators not under a sub-goal; ``local``: the local
    indicators of the viewer's organizers and regions for this form.
    """

    school_form: str
    year: int
    goal: Goal | None
    sub_goals: tuple[SubGoalView, ...]
    indicators: tuple[IndicatorView, ...]
    conditions: tuple[IndicatorView, ...]
    local: tuple[IndicatorView, ...]
    sources: dict[str, str]


def catalogue_version_current() -> CatalogueVersion | None:
    """The catalogue version loaded last, or None before any is loaded."""
    return CatalogueVersion.objects.first()


def catalogue_sources() -> dict[str, str]:
    """Source tag → title over every loaded catalogue version (newest wins)."""
    sources: dict[str, str] = {}
    for version in CatalogueVersion.objects.order_by("loaded_at", "id"):
        sources.update(version.sources)
    return sources


def goal_list() -> list[Goal]:
    """Every national goal, one per school form, in catalogue order."""
    return list(Goal.objects.all())


def _in_force(indicators: list[Indicator], year: int) -> list[IndicatorView]:
    views = []
    for indicator in indicators:
        revision = next((r for r in indicator.revisions.all() if r.applies_in(year)), None)
        views.append(IndicatorView(indicator, revision))
    return views


def _for_form(views: list[IndicatorView], school_form: str) -> tuple[IndicatorView, ...]:
    return tuple(
        v for v in views if v.revision is not None and school_form in v.revision.school_forms
    )


def school_form_catalogue(*, viewer: Viewer, school_form: str, year: int) -> SchoolFormCatalogue:
    """The goal, sub-goals, indicators and conditions of ``school_form`` in force in ``year``."""
    goal = Goal.objects.filter(school_form=school_form).first()
    national = list(
        Indicator.objects.filter(organizer__isnull=True, region__isnull=True).prefetch_related(
            "revisions", "sub_goals"
        )
    )
    views = _in_force(national, year)
    sub_goals: list[SubGoalView] = []
    placed: set[int] = set()
    if goal is not None:
        for sub in goal.sub_goals.all():
            members = [v for v in views if sub in v.indicator.sub_goals.all() and v.revision]
            placed |= {v.indicator.pk for v in members}
            sub_goals.append(SubGoalView(sub, tuple(members)))
    in_form = _for_form(views, school_form)
    local = Indicator.objects.filter(
        Q(organizer__organisation_number__in=sorted(viewer.organizers))
        | Q(region__code__in=sorted(viewer.regions))
    ).prefetch_related("revisions")
    return SchoolFormCatalogue(
        school_form=school_form,
        year=year,
        goal=goal,
        sub_goals=tuple(sub_goals),
        indicators=tuple(
            v for v in in_form if v.indicator.pk not in placed and v.indicator.condition_id is None
        ),
        conditions=tuple(v for v in in_form if v.indicator.condition_id is not None),
        local=_for_form(_in_force(list(local), year), school_form),
        sources=catalogue_sources(),
    )


def indicator_get(*, code: str) -> Indicator | None:
    """The indicator ``code`` with its revisions (newest first) and owners, or None."""
    return (
        Indicator.objects.select_related("organizer", "region", "condition")
        .prefetch_related("revisions", "sub_goals__goal")
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True, slots=True)
class QualityStart:
    """What the quality start page lists for the viewer: their organizers, units and regions,
    and for a regional coordinator the region's organizers whose summaries they read."""

    organizers: tuple[Organizer, ...]
    school_units: tuple[SchoolUnit, ...]
    regions: tuple[Region, ...]
    region_organizers: tuple[Organizer, ...]


def quality_start(*, viewer: Viewer) -> QualityStart:
    """The organizers, school units and regions the viewer works with, by name."""
    regions = Region.objects.filter(code__in=sorted(viewer.regions))
    coordinated = [
        r
        for r in regions
        if quality_allowed(viewer, QualityAction.READ_DIALOGUES, regions=frozenset({r.code}))
    ]
    in_regions = Organizer.objects.filter(
        Q(municipality__regions__in=coordinated)
        | Q(school_units__municipality__regions__in=coordinated)
    ).distinct()
    return QualityStart(
        organizers=tuple(
            Organizer.objects.filter(organisation_number__in=sorted(viewer.organizers))
        ),
        school_units=tuple(
            SchoolUnit.objects.filter(code__in=sorted(viewer.school_units)).select_related(
                "organizer"
            )
        ),
        regions=tuple(regions),
        region_organizers=tuple(sorted(in_regions, key=lambda o: swedish_order(o.name))),
    )


_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
"""å, ä and ö after z, as in a Swedish list (``{|}`` follow ``z`` in code-point order)."""


def swedish_order(name: str) -> str:
    """A key that orders names as a Swedish reader expects: case ignored, å ä ö last."""
    return name.casefold().translate(_SWEDISH_LAST)


def indicators_in_force(*, viewer: Viewer, year: int) -> list[tuple[Indicator, IndicatorRevision]]:
    """National indicators and the viewer's local ones with the revision in force in ``year``."""
    query = (
        Q(organizer__isnull=True, region__isnull=True)
        | Q(organizer__organisation_number__in=sorted(viewer.organizers))
        | Q(region__code__in=sorted(viewer.regions))
    )
    rows = []
    for indicator in Indicator.objects.filter(query).prefetch_related("revisions"):
        revision = next((r for r in indicator.revisions.all() if r.applies_in(year)), None)
        if revision is not None:
            rows.append((indicator, revision))
    return rows


def local_indicator_owners(*, viewer: Viewer) -> list[tuple[str, str]]:
    """Choices of whose local indicator the viewer may add: ``organizer:<number>`` for their
    organizers, ``region:<code>`` for the regions they coordinate; with display names."""
    owners = [
        (f"organizer:{o.organisation_number}", o.name)
        for o in Organizer.objects.filter(organisation_number__in=sorted(viewer.organizers))
    ]
    owners += [
        (f"region:{r.code}", r.name)
        for r in Region.objects.filter(code__in=sorted(viewer.regions))
        if quality_allowed(viewer, QualityAction.ADD_LOCAL_INDICATOR, regions=frozenset({r.code}))
    ]
    return owners


def local_indicator_owner(*, key: str) -> tuple[Organizer | None, Region | None]:
    """The organizer or region of an owner choice made by ``local_indicator_owners``."""
    kind, _sep, code = key.partition(":")
    if kind == "organizer":
        return Organizer.objects.filter(organisation_number=code).first(), None
    return None, Region.objects.filter(code=code).first()


def local_value_list(*, indicator: Indicator) -> list[LocalIndicatorValue]:
    """The entered values of a local indicator, newest school year first."""
    return list(LocalIndicatorValue.objects.filter(indicator=indicator).order_by("-school_year"))


def indicator_name(code: str) -> str | None:
    """The newest name of indicator ``code`` (None when there is no such indicator): names
    the indicator in an audit scope (``organisations.labels.scope_namer_add``)."""
    return (
        IndicatorRevision.objects.filter(indicator__code=code)
        .order_by("-valid_from")
        .values_list("name", flat=True)
        .first()
    )
