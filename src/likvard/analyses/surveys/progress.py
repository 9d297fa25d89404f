"""A round's progress while it runs: answers so far per school unit, and per class.

The answers per school unit leave through the release gate like every other count about
pupils: the organizer's analyst (and a principal of every unit in the round) sees them in
full, anyone else of the region sees a unit's count and rate only from the survey's minimum of
respondents up, else ``..``. The per-class counts, small by nature, are shown only to those
who run the round; so are the class codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from django.db.models import Count
from django.utils import timezone

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.analyses.surveys.models import RoundClass, SurveyRound
from likvard.analyses.surveys.rounds import round_get
from likvard.analyses.surveys.rows import percent, progress_rows, rate_definition
from likvard.analyses.surveys.services import survey_thresholds
from likvard_core.analytics.surveys.definition import Respondents, SurveyVersion
from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.disclosure.aggregate import Aggregate, Level, Population


@dataclass(frozen=True, slots=True)
class ClassProgress:
    """One class: its unit, label, year group, code, answers and pupils."""

    pk: int
    school_unit: str
    label: str
    year_group: int | None
    code: str
    answered: int
    invited: int

    @property
    def rate(self) -> str:
        """Answers over pupils, as shown."""
        return percent(self.answered, self.invited)


@dataclass(frozen=True, slots=True)
class RoundProgress:
    """The round, whether the viewer runs it, released answers per unit, names, and the
    classes (empty unless the viewer runs the round)."""

    round: SurveyRound
    runs: bool
    units: Released
    invited: dict[str, int]
    names: dict[str, str]
    classes: list[ClassProgress]

    @property
    def unit_rows(self) -> list[dict[str, str]]:
        """The released answers per school unit, as shown."""
        version = definition_get(self.round.version_key)
        if version is None:
            return []
        return progress_rows(self.units, names=self.names, invited=self.invited, version=version)

    @property
    def version(self) -> SurveyVersion | None:
        """The round's survey version."""
        return definition_get(self.round.version_key)

    @property
    def past_last_day(self) -> bool:
        """Open, but its last day is over: codes no longer work, the worker closes it."""
        closes = self.round.closes_on
        return self.round.is_open and closes is not None and closes < timezone.localdate()

    @property
    def guardians(self) -> bool:
        """Whether guardians answer the round (one code per school unit)."""
        version = self.version
        return version is not None and version.respondents is Respondents.GUARDIANS

    @property
    def rate_definition(self) -> str:
        """What the response rates divide (guardians: two invited per pupil), as shown."""
        version = self.version
        return rate_definition(version) if version is not None else ""

    @property
    def total_rate(self) -> str:
        """All answers over all invited (those who run the round), as shown."""
        return percent(self.answered, self.invited_total)

    @property
    def answered(self) -> int:
        """All answers so far (only for those who run the round: a sum of the classes)."""
        return sum(c.answered for c in self.classes)

    @property
    def invited_total(self) -> int:
        """All invited (pupils, or guardians in a guardians' round)."""
        return sum(self.invited.values())


def _classes(the_round: SurveyRound) -> list[ClassProgress]:
    entries = (
        RoundClass.objects.filter(round=the_round)
        .select_related("school_unit")
        .annotate(answered=Count("answers"))
        .order_by("school_unit__name", "year_group", "label")
    )
    return [
        ClassProgress(
            e.pk, e.school_unit.name, e.label, e.year_group, e.code, e.answered, e.invited
        )
        for e in entries
    ]


def _aggregate(the_round: SurveyRound, classes: list[RoundClass]) -> Aggregate:
    per_unit: dict[str, list[int]] = {}
    for entry in classes:
        total = per_unit.setdefault(entry.school_unit.code, [0, 0])
        total[0] += entry.answers.count()
        total[1] += entry.invited
    codes = sorted(per_unit)
    rates = [per_unit[c][0] / per_unit[c][1] if per_unit[c][1] else None for c in codes]
    table = pa.table(
        {
            "school_unit_code": pa.array(codes, pa.string()),
            "n": pa.array([per_unit[c][0] for c in codes], pa.int64()),
            "response_rate": pa.array(rates, pa.float64()),
        }
    )
    organizer = the_round.organizer.organisation_number
    return Aggregate(
        table=table,
        dims=("school_unit_code",),
        count="n",
        values=("response_rate",),
        population=Population(
            scope=f"survey-round:{the_round.pk}",
            organizers=frozenset({organizer}),
            level=Level.SCHOOL_UNIT,
            school_units=frozenset(codes),
        ),
        data_version=f"omgång {the_round.pk}",
        source=f"Likvärd, {the_round.title}",
    )


def survey_rounds_of(*, organizers: set[str]) -> list[tuple[int, str]]:
    """Every round of ``organizers`` as (id, organisation number), oldest first: what the
    disclosure audit reads each round's progress page of (``round_progress`` decides who may
    see what)."""
    rounds = SurveyRound.objects.filter(organizer__organisation_number__in=organizers)
    return list(rounds.order_by("pk").values_list("pk", "organizer__organisation_number"))


def round_progress(*, viewer: Viewer, round_id: int) -> RoundProgress:
    """The round's progress as ``viewer`` may see it (``round_get`` decides who may)."""
    the_round, runs = round_get(viewer=viewer, round_id=round_id)
    entries = list(
        RoundClass.objects.filter(round=the_round)
        .select_related("school_unit")
        .prefetch_related("answers")
    )
    version = definition_get(the_round.version_key)
    organizer = frozenset({the_round.organizer.organisation_number})
    thresholds = survey_thresholds(version, organizer) if version is not None else None
    units = release(
        _aggregate(the_round, entries),
        viewer=viewer,
        purpose="surveys.round",
        thresholds=thresholds,
    )
    invited: dict[str, int] = {}
    names: dict[str, str] = {}
    for entry in entries:
        code = entry.school_unit.code
        invited[code] = invited.get(code, 0) + entry.invited
        names[code] = entry.school_unit.name
    return RoundProgress(
        round=the_round,
        runs=runs,
        units=units,
        invited=invited,
        names=names,
        classes=_classes(the_round) if runs else [],
    )
