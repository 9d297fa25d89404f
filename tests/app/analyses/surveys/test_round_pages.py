"""The coordinator's round pages: create a round with class codes, follow its answers (per
class only for those who run it), print the codes, close it into the results."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from likvard.analyses.surveys.models import RoundClass, SurveyRound
from tests.app.analyses.surveys.test_round_results import _answer_on_the_page, _trygghet
from tests.app.conftest import World


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _create(world: World) -> SurveyRound:
    analyst = _client(world, "organizer_analyst")
    form = {
        "organizer": world.own.pk,
        "version": "gr-elev/2025",
        "title": "Elevenkäten 2025",
        "opens_on": "2025-03-01",
        "closes_on": "2099-03-31",
        "school_units": [world.own_unit.pk],
        "year_groups": ["5", "8"],
    }
    response = analyst.post(reverse("surveys:round-list"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return SurveyRound.objects.get()


def test_a_round_is_created_followed_printed_and_closed_on_its_pages(world: World, import_dirs):
    the_round = _create(world)
    classes = RoundClass.objects.filter(round=the_round).order_by("year_group")
    assert [(c.label, c.year_group) for c in classes] == [("Åk 5", 5), ("Åk 8", 8)]
    analyst = _client(world, "organizer_analyst")
    page = reverse("surveys:round-detail", kwargs={"pk": the_round.pk})
    add = analyst.post(
        reverse("surveys:round-class-add", kwargs={"pk": the_round.pk}),
        {"school_unit": world.own_unit.pk, "label": "5B", "year_group": "5", "invited": "12"},
        HTTP_HX_REQUEST="true",
    )
    assert add.status_code == 200
    assert "5B" in add.content.decode()
    code = RoundClass.objects.get(label="5B").code
    _answer_on_the_page(code, 11)
    own = analyst.get(page).content.decode()
    assert code in own
    assert "92 %" in own
    sheet = analyst.get(reverse("surveys:round-codes", kwargs={"pk": the_round.pk}))
    assert code in sheet.content.decode()
    assert "/svara/" in sheet.content.decode()
    closed = analyst.post(reverse("surveys:round-close", kwargs={"pk": the_round.pk}), follow=True)
    assert "11 svar finns nu i resultaten" in closed.content.decode()
    assert _trygghet(world)["n"] == 11


def test_others_see_units_from_the_threshold_and_no_class(world: World):
    the_round = _create(world)
    code = RoundClass.objects.filter(round=the_round).first().code
    _answer_on_the_page(code, 3)
    page = reverse("surveys:round-detail", kwargs={"pk": the_round.pk})
    coordinator = _client(world, "regional_coordinator").get(page)
    assert coordinator.status_code == 200
    shown = coordinator.content.decode()
    assert code not in shown
    assert "class-progress" not in shown
    assert "För få svarande" in shown  # 3 answers: under the survey's 10
    assert _client(world, "other_analyst").get(page).status_code == 403
    sheet = reverse("surveys:round-codes", kwargs={"pk": the_round.pk})
    assert _client(world, "regional_coordinator").get(sheet).status_code == 403
    close = reverse("surveys:round-close", kwargs={"pk": the_round.pk})
    assert _client(world, "regional_coordinator").post(close).status_code == 403


def test_a_round_that_closes_before_it_opens_is_refused(world: World):
    analyst = _client(world, "organizer_analyst")
    form = {"organizer": world.own.pk, "version": "gr-elev/2025", "title": "x",
            "opens_on": "2025-03-31", "closes_on": "2025-03-01",
            "school_units": [world.own_unit.pk], "year_groups": ["5"]}  # fmt: skip
    response = analyst.post(reverse("surveys:round-list"), form)
    assert response.status_code == 400
    assert "kan inte stänga innan den öppnar" in response.content.decode()
    assert not SurveyRound.objects.exists()
