"""The open data page in a browser, signed out, with its year's files: axe-core checks it."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AxePage


def test_anyone_finds_the_open_data_sets(live_server, warehouse: World, page: AxePage):  # noqa: F811
    reverse("opendata:dataset-list")  # load the URLconf before the first navigation
    page.goto(f"{live_server.url}/oppna-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Öppna data")
    expect(page.get_by_role("row", name="2024/25")).to_contain_text("Parquet")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV 2024/25").click()
    header = download.value.path().read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("school_year,level,region_code")
    page.screenshot_as("opendata-list")
