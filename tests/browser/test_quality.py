"""The quality work in a browser: an organizer analyst opens the catalogue, fills in the
self-evaluation, opens the analysis basis and downloads it as XLSX, PDF and PPTX.

axe-core checks every page on the way (the ``page`` fixture).
"""

from __future__ import annotations

import io

import pdfplumber
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect
from pptx import Presentation

from likvard.quality.services.catalogue import catalogue_load_shipped
from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.app.quality.conftest import LOCAL_CODE, local_indicator
from tests.browser.conftest import AxePage
from tests.factories.access import PASSWORD

MERIT_NAME = "Genomsnittligt meritvärde"


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.click_and_check("button[type=submit]")


def _download(page: AxePage, label: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=label).click()
    return download.value.path().read_bytes()


def _check_year_picker_apart(page: AxePage) -> None:
    """The year's "Visa" button stands apart from the "Ladda ned" line below it (#16)."""
    show = page.get_by_role("button", name="Visa").bounding_box()
    downloads = page.locator("#downloads").bounding_box()
    assert show
    assert downloads
    assert downloads["y"] - (show["y"] + show["height"]) >= 12


def test_analyst_uses_catalogue_self_evaluation_and_basis(
    live_server,
    warehouse: World,  # noqa: F811
    page: AxePage,
):
    catalogue_load_shipped()
    reverse("quality:index")  # load the URLconf (and its imports) before the first navigation
    base = live_server.url
    sign_in(page, base, "analytiker")
    page.click_and_check("nav >> text=Kvalitet")
    page.click_and_check("text=Katalogen: målsättningar, indikatorer och framgångsfaktorer")
    page.click_and_check("text=Grundskola")
    expect(page.locator("#indicators-table")).to_contain_text(
        "kandidat – ej verifierad mot Skolverkets officiella lista"
    )
    page.screenshot_as("quality-catalogue-grundskola")

    page.goto(f"{base}/kvalitet/huvudman/2120001256/sjalvvardering/2025/")
    page.get_by_label("Etablerat").first.check()
    page.get_by_label("Vad visar det").first.fill("Rektorernas uppföljning visar det.")
    page.click_and_check("text=Spara självvärderingen")
    expect(page.locator("main")).to_contain_text("Rektorernas uppföljning visar det.")
    page.screenshot_as("quality-self-evaluation")

    # An indicator's trend chart is its detail, shown on demand (#16: overview first).
    page.goto(
        f"{base}/kvalitet/analysunderlag/huvudman/2120001256/?year=2025&indicator=gr9_merit_value"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Analysunderlag")
    chart = page.locator("[data-vega-spec='chart-gr9_merit_value'][data-rendered=true] svg")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("2024/25")  # school years on the x-axis, not 2025
    _check_year_picker_apart(page)
    page.screenshot_as("quality-basis")
    page.check()
    book = load_workbook(io.BytesIO(_download(page, "Excel (XLSX)")))
    cells = [c for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r]
    assert any(isinstance(c, str) and MERIT_NAME in c for c in cells)
    with pdfplumber.open(io.BytesIO(_download(page, "PDF (A4)"))) as pdf:
        assert MERIT_NAME in "\n".join(p.extract_text() or "" for p in pdf.pages)
    deck = Presentation(io.BytesIO(_download(page, "Presentation (PPTX)")))
    texts = [s.text_frame.text for sl in deck.slides for s in sl.shapes if s.has_text_frame]
    assert any("Kungsbacka kommun" in t for t in texts)

    # The same downloads for a school unit and for the region, and a local indicator's values.
    page.goto(f"{base}/kvalitet/analysunderlag/skolenhet/{warehouse.own_unit.code}/?year=2025")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Analysunderlag")
    page.check()
    book = load_workbook(io.BytesIO(_download(page, "Excel (XLSX)")))
    cells = [c for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r]
    assert any(isinstance(c, str) and MERIT_NAME in c for c in cells)
    page.goto(f"{base}/kvalitet/analysunderlag/region/{warehouse.region.code}/?year=2025")
    page.check()
    # A region's PDF is made by the worker (issue #18): the link opens the job's page, which
    # offers the file when it is ready (at once here: the suite runs tasks immediately).
    page.get_by_role("link", name="PDF (A4)").click()
    expect(page.locator("main")).to_contain_text("Filen är klar")
    page.check()
    with pdfplumber.open(io.BytesIO(_download(page, "Ladda ned"))) as pdf:
        assert "Göteborgsregionen" in "\n".join(p.extract_text() or "" for p in pdf.pages)
    local_indicator(warehouse)
    page.goto(f"{base}/kvalitet/katalog/indikator/{LOCAL_CODE}/varden/")
    page.locator("#id_year").fill("2025")
    page.locator("#id_value").fill("72,5")
    page.click_and_check("text=Spara värdet")
    expect(page.locator("main table")).to_contain_text("72,5")


def _chart_fills_its_column(page: AxePage) -> None:
    """The trend chart, and its caption, are as wide as the indicator's detail they sit in."""
    column = page.evaluate(
        "() => { const a = document.querySelector('.indicator-detail');"
        " const s = getComputedStyle(a);"
        " return a.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    svg = page.locator("[data-vega-spec='chart-gr9_merit_value'][data-rendered=true] svg")
    expect(svg).to_be_visible()
    chart = svg.bounding_box()
    caption = page.locator(".indicator-detail figcaption").bounding_box()
    assert chart
    assert caption
    assert chart["width"] >= 0.95 * column, (chart["width"], column)
    assert caption["width"] >= 0.95 * column, (caption["width"], column)


def test_basis_trend_chart_uses_its_column_at_1280_and_390(
    live_server,
    warehouse: World,  # noqa: F811
    page: AxePage,
):
    """At 1280 px the chart was capped at 40rem (about two thirds of its column), so it and its
    caption wrapped early beside empty space; at 390 px it must still fit the screen."""
    catalogue_load_shipped()
    reverse("quality:index")
    base = live_server.url
    sign_in(page, base, "analytiker")
    path = "/kvalitet/analysunderlag/huvudman/2120001256/?year=2025&indicator=gr9_merit_value"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base + path)
        _chart_fills_its_column(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.check()
        page.screenshot_as(f"quality-basis-chart-{width}")


def test_catalogue_table_fits_its_column_at_1280(
    live_server,
    warehouse: World,  # noqa: F811
    page: AxePage,
):
    """The school form's indicator table was wider than its 1200 px box at 1280 px (the name
    column took the room, the status column was cut at the edge); at 390 px it scrolls inside
    its own box, never the page."""
    catalogue_load_shipped()
    reverse("quality:index")
    base = live_server.url
    sign_in(page, base, "analytiker")
    widths = "t => [t.scrollWidth, t.parentElement.clientWidth]"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/kvalitet/katalog/skolform/grundskola/")
        table = page.locator("#indicators-table")
        expect(table).to_contain_text("N15504")
        inner, box = table.evaluate(widths)
        if width == 1280:
            assert inner <= box, (inner, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.check()
        page.screenshot_as(f"quality-catalogue-table-{width}")


def test_self_evaluation_names_its_year_and_sets_the_picker_apart(
    live_server,
    warehouse: World,  # noqa: F811
    page: AxePage,
):
    """The overview's heading named no school year (the picker under it did), and its "Visa"
    button touched the list of links below it."""
    catalogue_load_shipped()
    reverse("quality:index")
    base = live_server.url
    sign_in(page, base, "analytiker")
    page.goto(f"{base}/kvalitet/huvudman/2120001256/sjalvvardering/?year=2025")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Självvärdering: Kungsbacka kommun, 2024/25"
    )
    show = page.get_by_role("button", name="Visa").bounding_box()
    links = page.locator("main ul.link-list").bounding_box()
    assert show
    assert links
    assert links["y"] - (show["y"] + show["height"]) >= 12
    page.check()
