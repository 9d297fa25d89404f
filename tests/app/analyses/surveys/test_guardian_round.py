"""Guardians answer a round in Likvärd: one code per school unit, a page that speaks to
guardians, nothing identifying kept, their child's year group when they give it, response
rates per school unit for the organizer, and the answers in the results after closing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from likvard.analyses.surveys import rounds, transfer
from likvard.analyses.surveys.models import RoundAnswer, RoundClass, SurveyRound
from likvard_core.analytics.surveys.definition import Respondents
from tests.app.conftest import World

GUARDIANS = 12


def _guardian_round(world: World) -> SurveyRound:
    analyst = Client()
    analyst.force_login(world.users["organizer_analyst"])
    form = {
        "organizer": world.own.pk,
        "version": "gr-vh/2025",
        "title": "Vårdnadshavarenkäten 2025",
        "opens_on": "2025-03-01",
        "closes_on": "2099-03-31",
        "school_units": [world.own_unit.pk],
        "year_groups": ["2", "5", "8"],
    }
    response = analyst.post(reverse("surveys:round-list"), form, follow=True)
    assert response.status_code == 200
    assert "en kod per skolenhet" in response.content.decode()
    return SurveyRound.objects.get()


def test_a_guardians_round_has_one_code_per_school_unit(world: World, import_dirs):
    the_round = _guardian_round(world)
    [entry] = RoundClass.objects.filter(round=the_round)
    assert (entry.school_unit, entry.label, entry.year_group) == (
        world.own_unit,
        "Vårdnadshavare",
        None,
    )
    code = world.own_unit.code
    [spec] = rounds.class_specs(
        units=[world.own_unit], year_groups=[2, 5, 8], enrolled={(code, 5): 7, (code, 8): 3},
        respondents=Respondents.GUARDIANS,
    )  # fmt: skip
    assert spec.invited == 20  # 10 pupils' guardians, two per pupil: a rate never over 100 %
    analyst = Client()
    analyst.force_login(world.users["organizer_analyst"])
    page = analyst.get(reverse("surveys:round-detail", kwargs={"pk": the_round.pk}))
    text = page.content.decode()
    assert "vårdnadshavarna svarar med skolenhetens kod" in text
    assert "inbjudna vårdnadshavare, räknat som två per elev" in text  # the rate's definition
    assert "Lägg till en klass" not in text  # guardians answer per unit, not per class
    codes = analyst.get(reverse("surveys:round-codes", kwargs={"pk": the_round.pk}))
    assert "Till vårdnadshavare till elever på Björkris skola" in codes.content.decode()


def test_a_guardian_answers_anonymously_and_reaches_the_results(world: World, import_dirs):
    the_round = _guardian_round(world)
    entry = RoundClass.objects.get(round=the_round)
    entry.invited = 40
    entry.save()
    start = Client().get(reverse("surveys:answer-start")).content.decode()
    assert "vårdnadshavare får den av skolan" in start
    for number in range(GUARDIANS):
        guardian = Client()
        begun = guardian.post(reverse("surveys:answer-start"), {"code": entry.code})
        assert begun.status_code == 302
        form = guardian.get(begun["Location"]).content.decode()
        assert "Du svarar som vårdnadshavare till en elev på Björkris skola" in form
        assert "Vilken årskurs går ditt barn i?" in form
        assert "Mitt barn känner sig tryggt i skolan." in form
        child = "5" if number % 2 else ""
        done = guardian.post(begun["Location"], {"child_year_group": child, "V1": "4", "V6": "3"})
        assert done.status_code == 200
    answers = RoundAnswer.objects.order_by("pk")
    assert [a.year_group for a in answers[:2]] == [None, 5]
    assert answers[0].answers == {"V1": 4, "V6": 3}
    stored = {f.name for f in RoundAnswer._meta.get_fields()}
    assert stored == {"id", "round_class", "answered_on", "answers", "year_group"}
    refused = Client().post(
        reverse("surveys:answer-form", kwargs={"code": entry.code}),
        {"child_year_group": "7", "V1": "4"},
    )
    assert refused.status_code == 400  # the survey asks for year groups 2, 5 and 8
    analyst = Client()
    analyst.force_login(world.users["organizer_analyst"])
    rates = analyst.get(reverse("surveys:round-detail", kwargs={"pk": the_round.pk}))
    assert "30 %" in rates.content.decode()  # 12 of 40, per school unit, while open
    by = world.users["organizer_analyst"]
    outcome = transfer.round_close(round_id=the_round.pk, by=by)
    assert (outcome.respondents, outcome.already_transferred) == (GUARDIANS, False)
    version = transfer.definition_get("gr-vh/2025")
    assert version is not None
    text, _ = transfer.round_file_text(the_round, version)
    rows = text.splitlines()[1:]
    assert [r.split(";")[4] for r in rows[:2]] == ["", "5"]  # the year group they gave
