"""A pupil answers a survey round in the browser: class code, smileys, read-aloud; axe on each."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from likvard.surveys.models import RoundAnswer
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.app.surveys.test_answering import make_round
from tests.browser.conftest import AxePage


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    """Import every app's URLs before the first page load (slow on a busy machine)."""
    assert get_resolver().url_patterns


def test_a_pupil_answers_with_a_class_code(live_server, world: World, page: AxePage):  # noqa: F811
    code = make_round(world).classes.get().code
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/svara/")
    page.get_by_label("Klasskod").fill(code)
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
