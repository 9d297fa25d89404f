"""The adjusted-results pages in a browser: an organizer's overview and a school; axe on each."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from tests.app.analyses.conftest import modelled  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage
from tests.browser.test_equity import sign_in


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    """Import every app's URLs before the first page load (slow on a busy machine)."""
    assert get_resolver().url_patterns


CHOSEN_FITS = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const text = context.measureText(select.options[select.selectedIndex].text).width;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [text, room];
}"""
"""The width of a select's chosen option's text, and the room its box gives it."""


def test_adjusted_upper_secondary_page(live_server, modelled: World, page: AxePage):  # noqa: F811
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/justerade-resultat/gymnasieskola/huvudman/2120001256/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("gymnasieskolan")
    text, room = page.locator("#id_outcome").evaluate(CHOSEN_FITS)  # not "Andel med exa" (#16)
    assert text <= room, (text, room)
    expect(page.locator("#results-table")).to_contain_text("Björkris skola")
    expect(page.locator("#model-table")).to_contain_text("Föräldrarnas utbildningsnivå")
    expect(page.locator("[data-vega-spec=residual-chart][data-rendered=true] svg")).to_be_visible()
    page.screenshot_as("adjusted-upper-secondary")
    page.check()
    page.locator("#id_outcome").select_option("grade_point_average")
    page.click_and_check("form.adjusted-filters button[type=submit]")
    expect(page.locator("#results-table caption")).to_contain_text("betygspoäng")
    page.check()
    page.locator("#results-table a", has_text="Björkris skola").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Björkris skola")
    expect(page.locator("[data-vega-spec=school-chart][data-rendered=true] svg")).to_be_visible()
    page.check()


SMALLEST_TEXT = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  return Math.min(...[...svg.querySelectorAll("text")].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
}"""
"""The smallest text of a chart as drawn on the screen, in CSS pixels (its scaling included)."""


def test_adjusted_year9_page_fits_a_phone(live_server, modelled: World, page: AxePage):  # noqa: F811
    sign_in(page, live_server.url, "analytiker")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/justerade-resultat/arskurs-9/huvudman/2120001256/")
    chart_svg = page.locator("[data-vega-spec=residual-chart][data-rendered=true] svg")
    expect(chart_svg).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    chart = page.locator("[data-vega-spec=residual-chart] svg").bounding_box()
    assert chart is not None
    assert chart["width"] <= 390
    # Labels and legend readable beside the page's text, on a phone and at 1280 px (#16).
    assert chart_svg.evaluate(SMALLEST_TEXT) >= 12.5
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(chart_svg).to_be_visible()
    assert chart_svg.evaluate(SMALLEST_TEXT) >= 12.5
