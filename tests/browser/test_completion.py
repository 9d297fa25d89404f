"""The completion pages in a browser: the region page and a principal's list; axe on each."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from tests.app.analyses.completion.conftest import completion_world  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage
from tests.browser.test_equity import sign_in


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    """Import every app's URLs before the first page load (slow on a busy machine)."""
    assert get_resolver().url_patterns


def test_region_and_principal_list(live_server, completion_world: World, page: AxePage):  # noqa: F811
    sign_in(page, live_server.url, "rektor")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/fullfoljda-studier/region/gr/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fullföljda studier")
    expect(page.locator("[data-vega-spec=trend-chart][data-rendered=true] svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.check()
    page.goto(f"{live_server.url}/fullfoljda-studier/skolenhet/65390344/varningslista/")
    expect(page.locator("#warning-list tbody tr")).to_have_count(6)
    page.check()


def test_breakdown_tables_fit_at_1280_and_scroll_in_their_box_at_390(
    live_server,
    completion_world: World,  # noqa: F811
    page: AxePage,
):
    # Issue #16: the programme types' table (nine columns) was 1,385 px wide in the 1,200 px
    # column at 1280 px, its last columns cut off at the box's edge.
    sign_in(page, live_server.url, completion_world.users["regional_coordinator"].username)
    url = f"{live_server.url}/fullfoljda-studier/region/gr/?year=2022"
    widths = """() => [...document.querySelectorAll('.table-box table')].map(t => [t.id,
        Math.ceil(t.getBoundingClientRect().width), t.closest('.table-box').clientWidth])"""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    tables = page.evaluate(widths)
    assert "table-groups" in [t[0] for t in tables]
    assert [t for t in tables if t[1] > t[2]] == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.check()


def test_warning_list_is_cards_at_390_and_a_table_at_1280(
    live_server,
    completion_world: World,  # noqa: F811
    page: AxePage,
):
    """At 390 px the "Varför" column made the list 560 px wide in a 358 px box: the reasons
    scrolled sideways. Each student is now a card whose reasons wrap under the key; at 1280 px
    it is a table with its column headers."""
    sign_in(page, live_server.url, "rektor")
    url = f"{live_server.url}/fullfoljda-studier/skolenhet/65390344/varningslista/"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    box = page.locator("#warning-list").evaluate(
        "t => [t.scrollWidth, t.closest('.table-box').clientWidth]"
    )
    assert box[0] <= box[1]
    first = page.locator("#warning-list tbody tr").first
    key = first.locator("th").bounding_box()
    reasons = first.locator("td.reasons").bounding_box()
    assert key is not None
    assert reasons is not None
    assert reasons["y"] > key["y"] + key["height"] - 1  # under the key, not beside it
    assert reasons["width"] > 300  # across the card
    expect(first.locator("td.reasons")).to_be_visible()
    page.check()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    headers = page.locator("#warning-list thead th")
    expect(headers.last).to_have_text("Varför")
    expect(headers.last).to_be_visible()
    assert page.locator("#warning-list").evaluate("t => getComputedStyle(t).display") == "table"
    page.check()
