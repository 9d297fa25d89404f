"""The equity pages in a browser: published comparison, a school, a region; axe on each."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage
from tests.factories.access import PASSWORD


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    """Import every app's URLs before the first page load: on a busy machine that import alone
    can take longer than Playwright's 30 s navigation timeout."""
    assert get_resolver().url_patterns


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.click_and_check("button[type=submit]")


def test_published_pages_show_chart_and_table(live_server, warehouse: World, page: AxePage):  # noqa: F811
    sign_in(page, live_server.url, "samordnare")
    page.goto(f"{live_server.url}/likvardig-betygssattning/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Likvärdig betygssättning")
    page.click_and_check("text=Göteborgsregionen")
    expect(page.locator("#trend-table")).to_contain_text("Mölndal")
    expect(page.locator("[data-vega-spec=gap-chart][data-rendered=true] svg")).to_be_visible()
    expect(page.get_by_text("Vad jämförelsen kan och inte kan visa")).to_be_visible()
    page.screenshot_as("equity-published-region")
    page.click_and_check("#trend-table >> text=Kungsbacka")
    expect(page.locator("#yearly-table")).to_contain_text("Engelska")
    expect(page.locator("[data-vega-spec=subjects-chart][data-rendered=true] svg")).to_be_visible()
    page.screenshot_as("equity-published-municipality")
    page.check()


def test_school_and_region_pages(live_server, warehouse: World, page: AxePage):  # noqa: F811
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/likvardig-betygssattning/skolenhet/65390344/")
    expect(page.locator("#yearly-table")).to_contain_text("högre slutbetyg än provbetyg")
    expect(page.locator("[data-vega-spec=shares-chart][data-rendered=true] svg")).to_be_visible()
    page.screenshot_as("equity-school")
    page.check()
    page.goto(f"{live_server.url}/likvardig-betygssattning/region/gr/")
    expect(page.locator("#distribution-table")).to_contain_text("MA")
    expect(
        page.locator("[data-vega-spec=distribution-chart][data-rendered=true] svg")
    ).to_be_visible()
    page.screenshot_as("equity-region")
    page.check()


def test_school_page_switches_grade_year_and_groups(
    live_server,
    warehouse: World,  # noqa: F811
    page: AxePage,
):
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/likvardig-betygssattning/skolenhet/65390344/?grade_year=6")
    expect(page.get_by_text("Visar: Årskurs 6.")).to_be_visible()
    expect(page.get_by_text("Inga slutbetyg och provresultat")).to_be_visible()
    page.check()
    page.locator("#id_grade_year").select_option("9")
    page.locator("#id_breakdown").select_option("background")
    page.click_and_check("form.filters button[type=submit]")
    expect(page.get_by_text("Bakgrundsgrupperna kommer från inskrivningarna")).to_be_visible()
    expect(page.locator("#yearly-table")).to_contain_text("Alla")
    page.screenshot_as("equity-school-background")
    page.check()
