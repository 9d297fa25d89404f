"""The demo's survey round: Kungsbacka runs GR's pupil survey in years 5 and 8, open now, with
about two thirds of the pupils' answers in, so the round pages, the class codes, the answer page
and the response rates can be tried (issue #20). Idempotent: the round is found again by title.

The answers go through ``rounds.answer_submit`` like a pupil's, drawn from a seeded generator
(each question a value of its scale, a few left blank), so a fresh demo has the same round.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import rounds, services
from likvard.analyses.surveys.models import SurveyRound
from likvard_core.analytics.surveys.registry import definition_get

ROUND_TITLE = "Elevenkät hösten 2026, årskurs 5 och 8"
VERSION_KEY = "gr-elev/2025"
RUNNER = "analytiker"
"""The demo's Kungsbacka analyst runs the round for Kungsbacka's own schools."""
YEAR_GROUPS = (5, 8)
SEED = 2026
BLANK = 0.05
"""The share of questions a pupil leaves unanswered."""


def survey_round_demo_ensure(*, runner: str = RUNNER) -> int:
    """Create the demo round with its answers unless it is there, run by the user ``runner``
    for their organizer's own schools; the number of answers made."""
    if SurveyRound.objects.filter(title=ROUND_TITLE).exists():
        return 0
    user = get_user_model().objects.filter(username=runner).first()
    version = definition_get(VERSION_KEY)
    if user is None or version is None:
        return 0
    viewer = viewer_for(user)
    organizers, units = rounds.round_options(viewer=viewer)
    if not organizers:
        return 0
    organizer = organizers[0]
    own_units = [u for u in units if u.organizer_id == organizer.pk]
    specs = rounds.class_specs(
        units=own_units,
        year_groups=YEAR_GROUPS,
        enrolled=services.enrolled_for_round(version=version),
        respondents=version.respondents,
    )
    specs = [s for s in specs if s.invited > 0]
    if not specs:
        return 0
    today = timezone.localdate()
    the_round = rounds.round_create(
        viewer=viewer,
        organizer=organizer,
        version_key=VERSION_KEY,
        title=ROUND_TITLE,
        classes=specs,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
    )
    rng = random.Random(SEED)  # noqa: S311 (demo answers, not secrets)
    made = 0
    for round_class in the_round.classes.select_related("school_unit__municipality"):
        share = rng.uniform(0.45, 0.9)
        questions = rounds.questions_for(version, round_class)
        for _pupil in range(round(round_class.invited * share)):
            answers = {
                q.code: str(rng.choice(sorted(version.scales[q.scale].values)))
                for q in questions
                if rng.random() >= BLANK
            }
            rounds.answer_submit(code=round_class.code, answers=answers)
            made += 1
    return made
