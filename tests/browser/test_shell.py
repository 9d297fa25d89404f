"""The web shell as a person uses it: sign in, start page per role, navigation, Swedish text."""

from __future__ import annotations

import re

import polib
import pytest
from playwright.sync_api import Browser, expect

from likvard.access.demo import DEMO_PASSWORD, demo_users_ensure
from likvard.organisations.services import reference_load
from tests.browser.conftest import AxePage, axe_context
from tests.conftest import REPO

PO = REPO / "src/likvard/locale/sv/LC_MESSAGES/django.po"


@pytest.fixture
def demo_world(transactional_db):
    reference_load()
    demo_users_ensure()


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.click_and_check("button[type=submit]")


def english_ui_strings() -> list[str]:
    """English msgids whose Swedish text differs: none may show on a Swedish page."""
    catalogue = polib.pofile(str(PO))
    return [
        e.msgid
        for e in catalogue
        if e.msgstr and e.msgstr != e.msgid and len(e.msgid) > 6 and "%(" not in e.msgid
    ]


def assert_swedish(page: AxePage) -> None:
    assert page.locator("html").get_attribute("lang") == "sv"
    text = page.locator("body").inner_text()
    leaks = [s for s in english_ui_strings() if s in text]
    assert not leaks, f"English UI text on {page.url}: {leaks}"


def test_login_page_is_swedish_and_accessible(live_server, demo_world, page: AxePage):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Logga in i Likvärd")).to_be_visible()
    assert_swedish(page)
    page.screenshot_as("login")


def test_statements_are_reachable_without_signing_in(live_server, demo_world, page: AxePage):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_role("link", name="Tillgänglighet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    expect(page.locator("main")).to_contain_text("WCAG 2.1")
    assert_swedish(page)
    page.get_by_role("link", name="Personuppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personuppgifter i Likvärd")
    expect(page.locator("main")).to_contain_text("färre än 10 elever")
    assert_swedish(page)


def test_bad_login_shows_swedish_error(live_server, demo_world, page: AxePage):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.click_and_check("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")


def test_coordinator_sees_gr_municipalities(live_server, demo_world, page: AxePage):
    sign_in(page, live_server.url, "samordnare")
    expect(page.get_by_role("heading", name="Din region")).to_be_visible()
    assert_swedish(page)
    page.screenshot_as("home-coordinator")
    page.click_and_check("text=Göteborgsregionen")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(13)
    for name in ["Göteborg", "Kungsbacka", "Öckerö", "Lilla Edet", "Mölndal"]:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_swedish(page)
    page.screenshot_as("region-gr")
    page.click_and_check("text=Kungsbacka")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kungsbacka")
    page.click_and_check("text=Kungsbacka kommun")
    expect(page.locator("table tbody tr").first).to_be_visible()


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("analytiker", "Din huvudman"),
        ("rektor", "Dina skolenheter"),
        ("admin", "Administration"),
        ("medlem", "Din region"),
    ],
)
def test_start_page_per_role(live_server, demo_world, page: AxePage, username, heading):
    sign_in(page, live_server.url, username)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_swedish(page)


def test_keyboard_skip_link_reaches_main(live_server, demo_world, page: AxePage):
    sign_in(page, live_server.url, "samordnare")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert re.search("Hoppa till innehållet", focused)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_error_pages_are_swedish(live_server, demo_world, page: AxePage):
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/skolenheter/99999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    assert_swedish(page)


def test_a_municipality_s_organizers_fit_a_phone(live_server, demo_world, browser: Browser):
    """Kungsbacka's organizer table at 390 px was three columns of long names that scrolled
    inside its box, the school units' figures out of sight: on a phone the type now goes under
    the name, and the figures show."""
    context = axe_context(browser, width=390)
    page = AxePage(context.new_page())
    sign_in(page, live_server.url, "samordnare")
    page.goto(f"{live_server.url}/kommuner/1384/")
    table = page.locator("#organizer-table")
    box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    row = table.locator("tbody tr", has_text="Kungsbacka kommun")
    figure = row.locator("td.num").evaluate("td => td.getBoundingClientRect().right")
    expect(row.locator("td").first.get_by_text("Kommunal")).to_be_visible()  # under the name
    context.close()
    assert box[0] <= box[1], box  # the table's box does not scroll
    assert figure <= 390


def test_an_organizer_s_school_units_fit_a_phone(live_server, demo_world, browser: Browser):
    """Kungsbacka kommun's school units at 390 px (unit, school forms, municipality) scrolled
    inside their box, the municipality out of sight: on a phone it goes under the unit's name."""
    context = axe_context(browser, width=390)
    page = AxePage(context.new_page())
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/huvudman/2120001256/")
    table = page.locator("#unit-table")
    box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    first = table.locator("tbody tr").first.locator("td").first
    expect(first.get_by_text("Kungsbacka")).to_be_visible()  # under the name
    context.close()
    assert box[0] <= box[1], box  # the table's box does not scroll
