"""Planning in the browser: the coordinator opens the region's page, adds a scenario change,
sees its effect in the table and downloads the PPTX summary; axe-core checks every page."""

from __future__ import annotations

import io

from django.urls import get_resolver
from playwright.sync_api import expect
from pptx import Presentation

from tests.app.analyses.planning.conftest import PlanningWorld, planning_world  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage
from tests.factories.access import PASSWORD


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.click_and_check("button[type=submit]")


def test_coordinator_adds_a_scenario_and_downloads_the_slides(
    live_server,
    planning_world: PlanningWorld,  # noqa: F811
    page: AxePage,
):
    assert get_resolver().url_patterns  # import every app's views here, not within a page's timeout
    sign_in(page, live_server.url, "samordnare")
    page.goto(f"{live_server.url}/planering/")
    page.click_and_check("text=Göteborgsregionen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Göteborgsregionen")
    expect(page.locator("[data-vega-spec=forecast-chart][data-rendered=true] svg")).to_be_visible()
    expect(page.locator("[data-vega-spec=gap-chart][data-rendered=true] svg")).to_be_visible()
    expect(page.locator("#forecast-table")).to_contain_text("2030")
    page.check()
    unit = planning_world.other_upper
    page.select_option("#id_scenario-school_unit", value=str(unit.pk))
    page.select_option("#id_scenario-programme", value="EE")
    page.fill("#id_scenario-from_year", "2027")
    page.fill("#id_scenario-places", "30")
    page.click_and_check("#scenario-form button[type=submit]")
    expect(page.locator("#scenario")).to_be_visible()
    expect(page.get_by_text("Krokslättsgymnasiet: 30")).to_be_visible()
    summary = page.locator("#summary-table tbody tr", has_text="El- och energiprogrammet")
    expect(summary).to_have_count(1)  # one line per programme; every year is folded away
    expect(page.locator("#supply-table")).to_be_hidden()
    page.locator("[data-vega-spec=gap-chart] + figcaption a").click()  # "the same as a table"
    row = page.locator("#supply-table tbody tr", has_text="2027").filter(has_text="EE")
    expect(row).to_be_visible()
    expect(row).to_contain_text("30")
    page.screenshot_as("planning-region")
    with page.expect_download() as download:
        page.click("#download-pptx")
    deck = Presentation(io.BytesIO(download.value.path().read_bytes()))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Planering och dimensionering – Göteborgsregionen" in titles
