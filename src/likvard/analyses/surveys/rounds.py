"""Survey rounds in Likvärd: create a round with class codes, take answers, response rates.

Answers are anonymous (no name, personnummer or IP address is stored) and validated against the
version's definition; the organizer sees response rates per class and school while it is open.
A pupils' survey has a code per class; a guardians' survey one code per school unit, shared by
the guardians of its pupils in the round's year groups (Skolinspektionen's Skolenkäten gives
guardians a login per school unit too), who may say which year group their child is in.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from likvard.access.policy import Action, Viewer, allowed, require
from likvard.analyses.surveys.models import RoundAnswer, RoundClass, SurveyRound
from likvard.analyses.surveys.tasks import round_closing_schedule
from likvard.organisations.models import Organizer, SchoolUnit
from likvard_core.analytics.surveys.definition import Question, Respondents, SurveyVersion
from likvard_core.analytics.surveys.registry import builtin_definitions, definition_get
from likvard_core.analytics.surveys.results import GUARDIANS_PER_PUPIL

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in class
CODE_LENGTH = 8
GUARDIANS_LABEL = "Vårdnadshavare"
"""The label of a school unit's guardians in a guardians' round (stored, like ``Åk 5``)."""


class AnswerError(ValueError):
    """An answer that does not fit the questionnaire (a value off the scale)."""


@dataclass(frozen=True, slots=True)
class ClassSpec:
    """A class to invite: its school unit, label, year group and number of pupils."""

    school_unit: SchoolUnit
    label: str
    year_group: int | None
    invited: int


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def round_create(
    *,
    viewer: Viewer,
    organizer: Organizer,
    version_key: str,
    title: str,
    classes: list[ClassSpec],
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
) -> SurveyRound:
    """A new open round of ``version_key`` for ``organizer``'s classes (its analyst only),
    answered from ``opens_on`` to ``closes_on`` (either end open when None)."""
    require(viewer, Action.IMPORT_STUDENT_DATA, organizer=organizer.organisation_number)
    if definition_get(version_key) is None:
        raise AnswerError(version_key)
    the_round = SurveyRound(
        version_key=version_key,
        organizer=organizer,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    the_round.full_clean()
    the_round.save()
    for spec in classes:
        _class_create(the_round, spec)
    if closes_on is not None:  # the worker's check closes it after its last day
        transaction.on_commit(round_closing_schedule)
    return the_round


def _class_create(the_round: SurveyRound, spec: ClassSpec) -> RoundClass:
    entry = RoundClass(
        round=the_round,
        school_unit=spec.school_unit,
        label=spec.label,
        year_group=spec.year_group,
        invited=spec.invited,
        code=_code(),
    )
    entry.full_clean()
    entry.save()
    return entry


def class_specs(
    *,
    units: Iterable[SchoolUnit],
    year_groups: Iterable[int],
    enrolled: dict[tuple[str, int], int],
    respondents: Respondents = Respondents.PUPILS,
) -> list[ClassSpec]:
    """One class per unit and year group it teaches (``Åk 5``), its pupils from ``enrolled``
    (unit code, year group); a unit whose register lists its year groups gets only those.

    For guardians, one entry per unit (``Vårdnadshavare``, no year group) inviting the
    guardians of the pupils of the year groups it teaches, two per pupil (``invited_per_pupil``:
    each guardian may answer, so one per pupil let the rate pass 100 %).
    """
    specs = []
    for unit in units:
        taught = {int(g) for g in unit.grade_years or [] if str(g).isdigit()}
        groups = [g for g in sorted(year_groups) if not taught or g in taught]
        if respondents is Respondents.GUARDIANS:
            if groups:
                count = sum(enrolled.get((unit.code, g), 0) for g in groups)
                specs.append(ClassSpec(unit, GUARDIANS_LABEL, None, GUARDIANS_PER_PUPIL * count))
            continue
        specs.extend(ClassSpec(unit, f"Åk {g}", g, enrolled.get((unit.code, g), 0)) for g in groups)
    return specs


def class_add(*, viewer: Viewer, round_id: int, spec: ClassSpec) -> RoundClass:
    """A further class with its own code in an open round (its organizer's analyst only)."""
    the_round = SurveyRound.objects.select_related("organizer").get(pk=round_id)
    require(viewer, Action.IMPORT_STUDENT_DATA, organizer=the_round.organizer.organisation_number)
    if not the_round.is_open or spec.school_unit.organizer_id != the_round.organizer_id:
        raise AnswerError("round")
    return _class_create(the_round, spec)


def round_options(*, viewer: Viewer) -> tuple[list[Organizer], list[SchoolUnit]]:
    """The organizers whose rounds the viewer may run, and their school units in service
    that teach a year group some survey asks."""
    organizers = list(
        Organizer.objects.filter(organisation_number__in=viewer.organizers).order_by("name")
    )
    groups = {g for v in builtin_definitions().values() for g in v.year_groups}
    year = timezone.localdate().year
    units = [
        u
        for u in SchoolUnit.objects.filter(organizer__in=organizers).order_by("name")
        if (u.active_to is None or u.active_to >= year - 1)
        and (
            {int(g) for g in u.grade_years or [] if str(g).isdigit()} & groups
            or (not u.grade_years and "grundskola" in (u.school_forms or []))
        )
    ]
    return organizers, units


def round_list(*, viewer: Viewer) -> tuple[list[SurveyRound], list[SurveyRound]]:
    """The rounds the viewer runs (their organizers'), and the other rounds of the viewer's
    regions, whose progress per school unit they may follow; newest first."""
    rounds = SurveyRound.objects.select_related("organizer").order_by("-created", "-pk")
    own = list(rounds.filter(organizer__organisation_number__in=viewer.organizers))
    others = list(
        rounds.filter(organizer__municipality__regions__code__in=viewer.regions)
        .exclude(organizer__organisation_number__in=viewer.organizers)
        .distinct()
    )
    return own, others


def round_get(*, viewer: Viewer, round_id: int) -> tuple[SurveyRound, bool]:
    """The round and whether the viewer runs it; ``PermissionDenied`` unless they run it or
    it belongs to one of their regions. ``SurveyRound.DoesNotExist`` when there is none."""
    the_round = SurveyRound.objects.select_related("organizer").get(pk=round_id)
    runs = allowed(
        viewer, Action.IMPORT_STUDENT_DATA, organizer=the_round.organizer.organisation_number
    )
    if not runs and the_round not in round_list(viewer=viewer)[1]:
        raise PermissionDenied("surveys.round")
    return the_round, runs


def round_class_for_code(*, code: str) -> tuple[RoundClass, SurveyVersion] | None:
    """The open round's class with ``code`` (any case) and its questionnaire, or None."""
    today = timezone.localdate()
    found = (
        RoundClass.objects.select_related("round", "school_unit__municipality")
        .filter(code=code.strip().upper(), round__is_open=True)
        .exclude(round__opens_on__gt=today)
        .exclude(round__closes_on__lt=today)
        .first()
    )
    if found is None:
        return None
    version = definition_get(found.round.version_key)
    return None if version is None else (found, version)


def questions_for(version: SurveyVersion, round_class: RoundClass) -> list[Question]:
    """The questions a pupil of ``round_class`` gets: every question, add-on questions only
    in their municipalities."""
    municipality = round_class.school_unit.municipality.code
    return [
        q for q in version.questions if not q.municipalities or municipality in q.municipalities
    ]


def by_guardians(version: SurveyVersion) -> bool:
    """Whether guardians answer ``version`` (a code per school unit, not per class)."""
    return version.respondents is Respondents.GUARDIANS


def child_year_groups(version: SurveyVersion, round_class: RoundClass) -> tuple[int, ...]:
    """The year groups a guardian may give for their child (none for pupils: their class's)."""
    if not by_guardians(version) or round_class.year_group is not None:
        return ()
    return version.year_groups


@transaction.atomic
def answer_submit(
    *, code: str, answers: dict[str, str], year_group: str | None = None
) -> RoundAnswer:
    """Store one anonymous questionnaire for the class with ``code`` (a guardian's with the
    ``year_group`` they gave, or none); ``AnswerError`` when a value is off its question's
    scale, the year group is not one the survey asks, or the code is unknown."""
    found = round_class_for_code(code=code)
    if found is None:
        raise AnswerError("code")
    round_class, version = found
    group_text = (year_group or "").strip()
    child_group = None
    if group_text:
        allowed_groups = child_year_groups(version, round_class)
        if not group_text.isdigit() or int(group_text) not in allowed_groups:
            raise AnswerError("year_group")
        child_group = int(group_text)
    # a round being closed takes no more answers: its answers are read after it is closed
    still_open = SurveyRound.objects.select_for_update().filter(
        pk=round_class.round_id, is_open=True
    )
    if not still_open.exists():
        raise AnswerError("code")
    kept: dict[str, int] = {}
    for question in questions_for(version, round_class):
        text = (answers.get(question.code) or "").strip()
        if not text:
            continue
        scale = version.scales[question.scale]
        if not text.isdigit() or int(text) not in scale.values:
            raise AnswerError(question.code)
        kept[question.code] = int(text)
    answer = RoundAnswer(round_class=round_class, answers=kept, year_group=child_group)
    answer.full_clean()
    answer.save()
    return answer
