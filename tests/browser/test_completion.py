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
