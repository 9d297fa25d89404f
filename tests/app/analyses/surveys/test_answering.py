"""A round answered in Likvärd: anonymous answers behind a class code, rates for the organizer."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import rounds
from likvard.analyses.surveys.models import RoundAnswer
from tests.app.conftest import World


def make_round(world: World) -> rounds.SurveyRound:
    """A round of gr-elev/2025 for the own organizer's unit: one class of 20 pupils."""
    return rounds.round_create(
        viewer=viewer_for(world.users["organizer_analyst"]),
        organizer=world.own,
        version_key="gr-elev/2025",
        title="Elevenkät våren 2025",
        classes=[rounds.ClassSpec(world.own_unit, "5A", 5, 20)],
    )


def test_a_pupil_answers_anonymously_and_the_organizer_sees_the_rate(world: World):
    the_round = make_round(world)
    code = the_round.classes.get().code
    pupil = Client()
    start = pupil.post(reverse("surveys:answer-start"), {"code": code.lower()})
    assert start.status_code == 302
    form = pupil.get(start["Location"]).content.decode()
    assert "smiley-neutral" in form  # F4 is a three-point smiley question in 2025
    assert "K1" in form  # Kungsbacka's add-on question
    done = pupil.post(start["Location"], {"F1": "4", "F4": "3", "K1": "9"})
    assert done.status_code == 200
    [answer] = RoundAnswer.objects.all()
    assert answer.answers == {"F1": 4, "F4": 3, "K1": 9}
    stored = {f.name for f in RoundAnswer._meta.get_fields()}
    assert stored == {"id", "round_class", "answered_on", "answers", "year_group"}  # no identity
    analyst = Client()
    analyst.force_login(world.users["organizer_analyst"])
    rates = analyst.get(reverse("surveys:round-detail", kwargs={"pk": the_round.pk}))
    assert "5 %" in rates.content.decode()  # 1 of 20
    other = Client()
    other.force_login(world.users["other_analyst"])
    page = reverse("surveys:round-detail", kwargs={"pk": the_round.pk})
    assert other.get(page).status_code == 403


def test_an_answer_off_the_scale_is_refused(world: World):
    code = make_round(world).classes.get().code
    response = Client().post(reverse("surveys:answer-form", kwargs={"code": code}), {"F4": "4"})
    assert response.status_code == 400
    assert not RoundAnswer.objects.exists()
