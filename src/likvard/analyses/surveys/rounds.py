"""Survey rounds in Likvärd: create a round with class codes, take answers, response rates.

Answers are anonymous (no name, personnummer or IP address is stored) and validated against the
version's definition; the organizer sees response rates per class and school while it is open.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from likvard.access.policy import Action, Viewer, require
from likvard.analyses.surveys.models import RoundAnswer, RoundClass, SurveyRound
from likvard.organisations.models import Organizer, SchoolUnit
from likvard_core.analytics.surveys.definition import Question, SurveyVersion
from likvard_core.analytics.surveys.registry import definition_get

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in class
CODE_LENGTH = 8


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
) -> SurveyRound:
    """A new open round of ``version_key`` for ``organizer``'s classes (its analyst only)."""
    require(viewer, Action.READ_STUDENT_DATA, organizer=organizer.organisation_number)
    if definition_get(version_key) is None:
        raise AnswerError(version_key)
    the_round = SurveyRound(version_key=version_key, organizer=organizer, title=title)
    the_round.full_clean()
    the_round.save()
    for spec in classes:
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
    return the_round


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


@transaction.atomic
def answer_submit(*, code: str, answers: dict[str, str]) -> RoundAnswer:
    """Store one anonymous questionnaire for the class with ``code``; ``AnswerError`` when a
    value is off its question's scale or the code is unknown."""
    found = round_class_for_code(code=code)
    if found is None:
        raise AnswerError("code")
    round_class, version = found
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
    answer = RoundAnswer(round_class=round_class, answers=kept)
    answer.full_clean()
    answer.save()
    return answer


@dataclass(frozen=True, slots=True)
class RateRow:
    """Respondents and invited pupils of one class or school unit."""

    school_unit: str
    label: str
    code: str
    answered: int
    invited: int

    @property
    def rate(self) -> float:
        """The response rate, 0-1."""
        return self.answered / self.invited if self.invited else 0.0


def round_rates(
    *, viewer: Viewer, round_id: int
) -> tuple[SurveyRound, list[RateRow], list[RateRow]]:
    """The round, its response rate per class and per school unit (its organizer only)."""
    the_round = SurveyRound.objects.select_related("organizer").get(pk=round_id)
    require(viewer, Action.READ_STUDENT_DATA, organizer=the_round.organizer.organisation_number)
    classes = []
    schools: dict[str, list[int]] = {}
    for entry in the_round.classes.select_related("school_unit").order_by(
        "school_unit__name", "label"
    ):
        answered = entry.answers.count()
        classes.append(
            RateRow(entry.school_unit.name, entry.label, entry.code, answered, entry.invited)
        )
        total = schools.setdefault(entry.school_unit.name, [0, 0])
        total[0] += answered
        total[1] += entry.invited
    units = [RateRow(name, "", "", a, i) for name, (a, i) in sorted(schools.items())]
    return the_round, classes, units
