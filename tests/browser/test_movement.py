"""The movement pages in a browser: map, Sankey and matrix render, follow the filters, work
with the keyboard and pass axe-core (the ``page`` fixture checks every page)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from tests.app.analyses.movement.conftest import (  # noqa: F401  (fixtures)
    MovementWorld,
    introduction_world,
    movement_warehouse,
)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage
from tests.factories.access import PASSWORD

MAP_SVG = "[data-vega-spec=movement-map-spec][data-rendered=true] svg"
CUT_CAPTIONS = """() => [...document.querySelectorAll('.table-scroll caption')].filter(c => {
  const box = c.closest('.table-scroll').getBoundingClientRect(), r = c.getBoundingClientRect();
  return box.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
}).map(c => c.textContent.trim())"""
"""Captions of tables that scroll in their box, drawn beyond the box's visible edges."""


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    """Import every app's URLs before the first page load (slow on a busy machine)."""
    assert get_resolver().url_patterns


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.click_and_check("button[type=submit]")


def test_region_map_sankey_and_matrix(
    live_server,
    movement_warehouse: MovementWorld,  # noqa: F811
    page: AxePage,
):
    sign_in(page, live_server.url, "samordnare")
    page.goto(f"{live_server.url}/elevstrommar/")
    page.click_and_check("text=Göteborgsregionen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elevströmmar")
    expect(
        page.locator("[data-vega-spec=movement-map-spec][data-rendered=true] svg")
    ).to_be_visible()
    expect(page.locator("#sankey")).to_be_visible()
    expect(page.locator("#sankey title").first).to_have_text(
        "Elever från hemkommun till huvudman, skolenhet och program"
    )
    expect(page.locator("#map-table")).to_contain_text("40,0")
    expect(page.locator("#matrix-table")).to_contain_text("Mölndal")
    page.screenshot_as("movement-region")
    # keyboard only: the map figure takes focus; choose a municipality and the net-flow colour
    page.locator("#movement-map").focus()
    expect(page.locator("#movement-map")).to_be_focused()
    page.locator("#id_measure").focus()
    page.keyboard.press("ArrowDown")  # net flow
    page.keyboard.press("Tab")  # to the municipality
    page.keyboard.press("ArrowDown")  # the first municipality (Kungsbacka)
    page.keyboard.press("Tab")
    expect(page.locator("#movement-filters button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#map-table tr.selected")).to_contain_text("Kungsbacka")
    expect(page.locator("#movement-map-caption")).to_contain_text("Nettoflöde")
    expect(
        page.locator("[data-vega-spec=movement-map-spec][data-rendered=true] svg")
    ).to_be_visible()
    page.check()
    page.screenshot_as("movement-region-net")
    # a programme filter changes the Sankey and the matrix
    page.locator("#id_programme").select_option("SA")
    page.locator("#movement-filters button[type=submit]").click()
    expect(page.locator("#map-table")).not_to_contain_text("40,0")
    expect(page.locator("#sankey-table")).to_contain_text("SA")
    expect(page.locator("#sankey-table")).not_to_contain_text("EE")
    page.check()
    page.screenshot_as("movement-region-sa")


def test_municipality_and_admissions_pages(
    live_server,
    movement_warehouse: MovementWorld,  # noqa: F811
    page: AxePage,
):
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/elevstrommar/region/gr/")
    page.click_and_check("#map-table >> text=Kungsbacka")
    expect(page.locator("#balance-table")).to_contain_text("Alla program")
    page.screenshot_as("movement-municipality")
    page.goto(f"{live_server.url}/elevstrommar/region/gr/antagning/")
    expect(page.locator("#admissions-table")).to_be_visible()
    page.screenshot_as("movement-admissions")


def test_municipality_introduction_followup(
    live_server,
    introduction_world: World,  # noqa: F811
    page: AxePage,
):
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/elevstrommar/kommun/1384/")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Introduktionsprogram")
    expect(
        page.locator("[data-vega-spec=introduction-chart-spec][data-rendered=true] svg")
    ).to_be_visible()
    expect(page.locator("#introduction-table")).to_contain_text("50,0")
    page.locator("#introduction-chart").focus()
    expect(page.locator("#introduction-chart")).to_be_focused()
    page.check()
    page.screenshot_as("movement-introduction")


def test_movement_pages_fit_a_phone_and_the_matrix_keeps_its_headers(
    live_server,
    movement_warehouse: MovementWorld,  # noqa: F811
    page: AxePage,
):
    """At 390 px no movement page scrolls sideways (#16); tables scroll inside their box, and
    the matrix's headers stay in view while it scrolls."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "samordnare")
    for path in ("region/gr/", "kommun/1384/", "region/gr/antagning/"):
        page.goto(f"{live_server.url}/elevstrommar/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide at 390"
        cut = page.evaluate(CUT_CAPTIONS)
        assert not cut, f"{path}: captions cut at the edge of their box at 390 px: {cut}"
    page.goto(f"{live_server.url}/elevstrommar/region/gr/")
    header = page.locator("#matrix-table thead th").first
    assert header.evaluate("th => getComputedStyle(th).position") == "sticky"
    expect(page.locator(MAP_SVG)).to_be_visible()
    page.screenshot_as("movement-region-390")
