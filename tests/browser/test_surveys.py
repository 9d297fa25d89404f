"""A pupil and a guardian answer survey rounds in the browser: codes, smileys, read-aloud;
axe on each page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import rounds
from likvard.analyses.surveys.models import RoundAnswer
from tests.app.analyses.surveys.conftest import import_dirs  # noqa: F401  (fixture)
from tests.app.analyses.surveys.test_answering import make_round
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage
from tests.browser.test_equity import sign_in


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    """Import every app's URLs before the first page load (slow on a busy machine)."""
    assert get_resolver().url_patterns


def test_a_pupil_answers_with_a_class_code(live_server, world: World, page: AxePage):  # noqa: F811
    code = make_round(world).classes.get().code
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/svara/")
    page.get_by_label("Din kod").fill(code)
    page.get_by_role("button", name="Börja").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("GR:s elevenkät")
    page.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.get_by_role("group", name="1. Jag känner mig trygg i skolan.")
    expect(first.get_by_role("button", name="Läs upp")).to_be_visible()
    first.get_by_role("button", name="Läs upp").click()
    first.get_by_label("Stämmer helt och hållet").check()
    smiley = page.get_by_role("group", name="4. Är det lugnt på lektionerna?")
    smiley.get_by_label("Ja").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tack för dina svar")
    page.check()
    assert RoundAnswer.objects.get().answers == {"F1": 4, "F4": 3}


def test_a_guardian_answers_with_the_school_units_code(
    live_server,
    world: World,  # noqa: F811
    page: AxePage,
):
    the_round = rounds.round_create(
        viewer=viewer_for(world.users["organizer_analyst"]),
        organizer=world.own,
        version_key="gr-vh/2025",
        title="Vårdnadshavarenkät 2025",
        classes=[rounds.ClassSpec(world.own_unit, rounds.GUARDIANS_LABEL, None, 30)],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/svara/")
    page.get_by_label("Din kod").fill(the_round.classes.get().code)
    page.get_by_role("button", name="Börja").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("vårdnadshavarenkät")
    expect(page.get_by_text("Du svarar som vårdnadshavare")).to_be_visible()
    page.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    child = page.get_by_role("group", name="Vilken årskurs går ditt barn i?")
    child.get_by_label("Åk 8").check()
    first = page.get_by_role("group", name="1. Mitt barn känner sig tryggt i skolan.")
    first.get_by_label("Stämmer ganska bra").check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tack för dina svar")
    page.check()
    answer = RoundAnswer.objects.get()
    assert (answer.answers, answer.year_group) == ({"V1": 3}, 8)


def test_an_analyst_runs_a_round_from_its_pages(
    live_server,
    world: World,  # noqa: F811
    import_dirs: Path,  # noqa: F811
    page: AxePage,
):
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/enkater/omgangar/")
    page.get_by_label("Omgångens namn").fill("Elevenkäten våren 2025")
    page.get_by_label("Öppnar").fill("2025-03-01")
    page.get_by_label("Stänger (sista dagen att svara)").fill("2099-03-31")
    page.get_by_label("Enkätversion").select_option(label="GR:s elevenkät 2025")
    page.get_by_label("Åk 2").uncheck()  # the guardians' survey's year group
    page.get_by_label("Björkris skola").check()
    page.click_and_check("text=Skapa omgången")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elevenkäten våren 2025")
    page.get_by_text("Lägg till en klass").click()
    page.get_by_label("Klass", exact=True).fill("5B")
    page.get_by_label("Elever i klassen").fill("24")
    page.get_by_role("button", name="Lägg till klassen").click()
    expect(page.locator("#class-progress")).to_contain_text("5B")  # HTMX: no reload
    page.check()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click_and_check("text=Skriv ut klasskoderna")
    expect(page.locator(".code-slip")).to_have_count(3)  # Åk 5, Åk 8, 5B
    page.go_back()
    page.click_and_check("text=Stäng omgången och för över svaren")
    expect(page.get_by_role("status")).to_contain_text("inga svar att föra över")
