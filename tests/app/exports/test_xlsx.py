"""Issue #16: a workbook prints as a person expects. A header wrapped over two lines gets a row
tall enough for them and no taller (LibreOffice does not grow it: it printed "Start (läsår)"
over the first data row; Excel showed an empty line under a header counted too high), notes
wrap across the table instead of running off onto pages of their own, wide sheets print in
landscape fitted to one page wide, the header repeats on every page, and a table too wide to
be read at one page wide is printed across pages with its key columns repeated. The last test
prints a workbook through LibreOffice and looks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from likvard.exports.document import Column, Document, Kind, Section, Table
from likvard.exports.files import render
from likvard.exports.xlsx import LINE_PT, MIN_SCALE
from tests.app.exports.edges import check, needs_tools

NOTE = (
    "IM till nationellt program räknas hittills, inom fem år från starten; det kan ses för "
    "starter till och med 2023/24, alla fem år till och med 2020/21."
)
NARROW = Table(
    "Trend",
    [Column("Start (läsår)"), Column("Nybörjare", Kind.COUNT),
     Column("Studerar fortfarande efter 4 år", Kind.PERCENT)],
    [[f"20{y}/{y + 1}", 2800 + y, 0.05] for y in range(10, 24)],
    notes=[NOTE],
)  # fmt: skip
MEDIUM = Table(
    "Per kommun",
    [Column("Hemkommun"), *(Column(f"Examen inom {y} år (%)", Kind.PERCENT) for y in range(3, 12))],
    [[f"Kommun {i}", *([0.7] * 9)] for i in range(80)],
)
WIDE = Table(
    "Per skolenhet",
    [Column("Skolenhet"), *(Column(f"Studerar fortfarande efter {y} år", Kind.COUNT)
                            for y in range(1, 31))],
    [[f"Skolenhet {i}", *range(30)] for i in range(20)],
    notes=[NOTE],
)  # fmt: skip
TRENDS = [
    Table(
        f"Utveckling: indikator {i}", [Column("Läsår"), Column("Värde", Kind.PERCENT)],
        [[f"20{y}/{y + 1}", 0.5 + ((y + i) % 4) / 20] for y in range(15, 25)], line_chart=True,
    )
    for i in range(6)
]  # fmt: skip
DOCUMENT = Document(
    title="Fullföljda studier",
    sections=[Section("Trend", [NARROW]), Section("Kommuner", [MEDIUM]),
              Section("Skolenheter", [WIDE]), Section("Utveckling", TRENDS)],
    sources=["Källa: Likvärd, dataversion v1"],
)  # fmt: skip


@pytest.fixture(scope="module")
def book() -> dict[str, Worksheet]:
    workbook = load_workbook(io.BytesIO(render(DOCUMENT, "xlsx").content))
    return {ws.title: ws for ws in workbook.worksheets}


def _row(ws: Worksheet, first: str) -> int:
    return next(c.row for c in ws["A"] if c.value == first)


def test_a_wrapped_header_row_is_as_high_as_its_lines(book):
    ws = book["Trend"]
    header = _row(ws, "Start (läsår)")
    assert ws.freeze_panes == f"A{header + 1}"
    assert (ws.row_dimensions[header].height or 0) >= 2 * LINE_PT
    assert ws.row_dimensions[header + 1].height is None  # a data row keeps the default


def test_a_header_row_has_no_empty_line_in_the_workbook_font():
    """The header lines were counted a digit's width a character, as DejaVu Sans draws them
    where Calibri is missing: "Start (läsår)" (71 px in bold Calibri, its column 72) got two
    lines, and Excel and LibreOffice with Carlito showed an empty line under it. They are now
    measured in Calibri (LibreOffice's drawing of such headers: the slow test below)."""
    table = Table(
        "Trend", [Column("Start (läsår)"), Column("Nybörjare", Kind.COUNT)],
        [[f"20{y}/{y + 1}", 2800 + y] for y in range(10, 24)],
    )  # fmt: skip
    content = render(Document(title="Trend", sections=[Section("Trend", [table])]), "xlsx")
    ws = load_workbook(io.BytesIO(content.content)).worksheets[0]
    header = _row(ws, "Start (läsår)")
    assert (ws.row_dimensions[header].height or LINE_PT) == LINE_PT


def test_a_header_is_measured_and_wrapped_as_drawn():
    """Bold is wider than regular, a word too long for its column breaks anywhere, a line may
    break after a hyphen, a new line starts one; the widths are Calibri's (Carlito's)."""
    from likvard.exports import calibri

    assert calibri.text_px("0") == pytest.approx(7.0)  # a digit, as Excel draws it at 96 dpi
    assert calibri.text_px("Skolenheter", bold=True) > calibri.text_px("Skolenheter")
    assert calibri.lines("Skolenheter", 12, bold=True) == 1
    assert calibri.lines("Skolenheter", 6, bold=True) == 2  # broken inside the word
    assert calibri.lines("Nöjdhet (100-66-33-0)", 16) == 2  # "Nöjdhet (100-66-" fits 107 px
    assert calibri.lines("Två\nrader", 20) == 2


def test_a_note_wraps_across_the_table_on_the_page(book):
    ws = book["Trend"]
    note = _row(ws, NOTE)
    merged = next(r for r in ws.merged_cells.ranges if r.min_row == note)
    assert merged.min_col == 1
    assert merged.max_col > 1
    assert ws.cell(note, 1).alignment.wrap_text
    assert (ws.row_dimensions[note].height or 0) >= 2 * LINE_PT


def test_every_sheet_prints_on_a4_one_page_wide_with_its_header_repeated(book):
    for name in ("Trend", "Kommuner"):
        ws = book[name]
        header = _row(ws, ws["A"][0].value)
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == f"${header}:${header}"
        assert "&P" in ws.oddFooter.right.text
    assert book["Trend"].page_setup.orientation == "portrait"
    assert book["Kommuner"].page_setup.orientation == "landscape"


def test_a_table_too_wide_for_one_page_repeats_its_key_column_across_pages(book):
    ws = book["Skolenheter"]
    assert ws.page_setup.orientation == "landscape"
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == round(100 * MIN_SCALE)
    assert ws.print_title_cols == "$A:$A"
    assert ws.print_title_rows == "$1:$1"


@pytest.mark.slow
@needs_tools
def test_the_workbook_printed_by_libreoffice_fits_and_prints_nothing_over_anything(
    tmp_path: Path,
):
    content = render(DOCUMENT, "xlsx").content
    assert check([("fullfoljda.xlsx", content)], tmp_path) == []
    with pdfplumber.open(tmp_path / "drawn" / "fullfoljda-xlsx.pdf") as drawn:
        charted = [p for p in drawn.pages if "Utveckling: indikator" in (p.extract_text() or "")]
    assert len(charted) <= 3  # six short tables with their charts, two or three to a page


def test_tables_with_charts_share_a_page_where_they_fit(book):
    """A page break only before a table whose chart would not fit on the rest of the page
    (one before each printed six tables of ten rows on six pages)."""
    breaks = [b.id for b in book["Utveckling"].row_breaks.brk]
    assert 0 < len(breaks) < len(TRENDS) - 1


def test_a_native_line_chart_draws_straight_lines_between_its_points():
    """A line series without ``<c:smooth val="0"/>`` is drawn as a curve by Excel and
    LibreOffice alike (openpyxl leaves the element out): a curve invents values between the
    years and overshoots the highest and lowest of them."""
    trend = Table(
        "Trend", [Column("Läsår"), Column("Andel", Kind.PERCENT), Column("Riket", Kind.PERCENT)],
        [[f"20{y}/{y + 1}", 0.5 + (y % 3) / 10, 0.6] for y in range(18, 25)], line_chart=True,
    )  # fmt: skip
    content = render(Document(title="Trend", sections=[Section("Trend", [trend])]), "xlsx").content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        for name in charts:
            xml = archive.read(name).decode()
            series = re.findall(r"<(?:c:)?ser>.*?</(?:c:)?ser>", xml, flags=re.S)
            assert series, name
            assert all(re.search(r'<(?:c:)?smooth val="0"\s*/>', s) for s in series), name
