"""The demo's survey round (issue #20): an open round of the organizer's own schools, with
answers that went through the pupils' own path, made once."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from likvard.analyses.surveys import services
from likvard.analyses.surveys.demo import ROUND_TITLE, survey_round_demo_ensure
from likvard.analyses.surveys.models import RoundAnswer, RoundClass, SurveyRound
from tests.app.conftest import World


def test_the_demo_round_is_open_answered_and_made_once(world: World, import_dirs, monkeypatch):
    enrolled = {(world.own_unit.code, 5): 24, (world.own_unit.code, 8): 19}
    monkeypatch.setattr(services, "enrolled_for_round", lambda *, version: enrolled)
    runner = world.users["organizer_analyst"]
    made = survey_round_demo_ensure(runner=runner.username)
    the_round = SurveyRound.objects.get(title=ROUND_TITLE)
    assert the_round.organizer == world.own
    assert the_round.is_open
    classes = list(RoundClass.objects.filter(round=the_round))
    assert classes
    assert {c.school_unit.organizer_id for c in classes} == {world.own.pk}
    assert {(c.year_group, c.invited) for c in classes} <= {(5, 24), (8, 19)}
    answers = RoundAnswer.objects.filter(round_class__round=the_round)
    assert made == answers.count() > 0
    for round_class in classes:  # never more answers than pupils invited
        assert round_class.answers.count() <= round_class.invited
    assert survey_round_demo_ensure(runner=runner.username) == 0
    assert RoundAnswer.objects.filter(round_class__round=the_round).count() == made
    client = Client()
    client.force_login(runner)
    page = client.get(reverse("surveys:round-detail", kwargs={"pk": the_round.pk}))
    assert page.status_code == 200
    assert ROUND_TITLE in page.content.decode()
