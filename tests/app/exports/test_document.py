"""The exports package: one document, four formats; numbers typed, headers frozen, hidden
figures as marks, and wide or long tables split so that every column and row is shown and
nothing crosses the page or slide (#16)."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from docx import Document as Word
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from pptx import Presentation

from likvard.exports.document import (
    Chart,
    Column,
    Document,
    Heading,
    Hidden,
    Kind,
    Medium,
    Paragraph,
    Section,
    Table,
)
from likvard.exports.files import render
from likvard.exports.pptx import BODY_TOP
from tests.app.exports.edges import docx_problems, pdf_problems, pptx_problems
from tests.documents import deck_table_cells

MUNICIPALITIES = [f"Kommunen med namnet {i}" for i in range(16)]
WIDE = Table(
    "Hemkommun och skolkommun",
    [Column("Hemkommun"), *(Column(name, Kind.COUNT) for name in MUNICIPALITIES)],
    [[name, *(Hidden(reason="För få elever") if j == i else 1200 + j for j in range(16))]
     for i, name in enumerate(MUNICIPALITIES)],
)  # fmt: skip
LONG = Table(
    "Skolenheter",
    [Column("Skolenhet"), Column("Läsår"), Column("År", Kind.YEAR), Column("Andel", Kind.PERCENT),
     Column("Meritvärde", Kind.DECIMAL), Column("Skillnad", Kind.SIGNED)],
    [[f"Skolan med ett mycket långt namn som radbryts {i}", "2024/25", 2025, 0.615, 231.26, -2.5]
     for i in range(60)],
    notes=["Källa: test"],
)  # fmt: skip
DOCUMENT = Document(
    title="Ett prov med en titel som är så lång att den måste brytas över två rader på bilden",
    sections=[Section("Tabeller", [Paragraph("Inledning."), WIDE, LONG])],
    subtitle="Underrubrik",
    sources=["Källa: Likvärd"],
    filename="prov",
)


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return {m.value: render(DOCUMENT, m).content for m in Medium}


def test_workbook_has_native_formats_frozen_headers_and_marks(files):
    sheet = load_workbook(io.BytesIO(files["xlsx"]))["Tabeller"]
    assert sheet.freeze_panes is not None
    rows = [list(row) for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0].value == "Skolenhet")
    first = {rows[header][i].value: rows[header + 1][i] for i in range(6)}
    assert first["År"].value == 2025
    assert first["År"].number_format == "0"
    assert first["Andel"].value == pytest.approx(0.615)
    assert first["Andel"].number_format == "0.0%"
    assert first["Meritvärde"].number_format == "0.0"
    assert first["Skillnad"].number_format == "+0.0;-0.0;0.0"
    wide = next(i for i, r in enumerate(rows) if r[0].value == "Hemkommun")
    assert rows[wide + 1][1].value == ".."
    assert rows[wide + 1][2].number_format == "#,##0"
    values = [c.value for r in rows for c in r]
    assert ".. För få elever" in values  # the reason of the mark, under its table
    assert "Källa: test" in values


def test_slides_show_every_column_and_row_inside_the_slide(files):
    deck = Presentation(io.BytesIO(files["pptx"]))
    assert pptx_problems(files["pptx"], "prov.pptx") == []
    cells = deck_table_cells(deck)
    assert set(MUNICIPALITIES) <= set(cells)  # every column of the wide table, over slides
    assert "1\u00a0215" in cells  # the last column's figure, in Swedish
    rows = {c for c in cells if c.startswith("Skolan med")}
    assert len(rows) == len(LONG.rows)  # every row of the long table
    assert {"61,5\u00a0%", "231,3", "\u22122,5", "2025"} <= set(cells)
    for slide in list(deck.slides)[1:]:
        title = slide.shapes.title
        assert title.top + title.height <= BODY_TOP, title.text


def test_pdf_turns_wide_tables_to_landscape_and_splits_the_widest(files):
    assert pdf_problems(files["pdf"], "prov.pdf") == []
    with pdfplumber.open(io.BytesIO(files["pdf"])) as document:
        sizes = {(round(p.width), round(p.height)) for p in document.pages}
        text = " ".join((p.extract_text() or "") for p in document.pages)
    assert sizes == {(595, 842), (842, 595)}  # A4 portrait, and landscape for the wide table
    assert "(kolumn" in text  # the 17 columns do not fit one landscape page: split, key kept
    for name in MUNICIPALITIES:
        assert " ".join(name.split()[-2:]) in " ".join(text.split())


def test_word_tables_fit_their_margins(files):
    assert docx_problems(files["docx"], "prov.docx") == []
    document = Word(io.BytesIO(files["docx"]))
    headers = {c.text for t in document.tables for c in t.rows[0].cells}
    assert set(MUNICIPALITIES) <= headers


def test_a_note_stays_on_the_landscape_page_of_its_table():
    """A wide table's note is not set on a portrait page of its own (the survey's Word file
    had a page holding one line between two landscape tables), nor does a document that
    ends in landscape end in an empty portrait page."""
    noted = Document(
        title="Enkät",
        sections=[Section("Regionen", [WIDE, Paragraph("Svarsfrekvens: svarande.", note=True)]),
                  Section("Kommuner", [WIDE])],
    )  # fmt: skip
    document = Word(io.BytesIO(render(noted, Medium.DOCX).content))
    assert [s.orientation for s in document.sections] == [
        WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE
    ]  # fmt: skip


TREND = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"läsår": f"20{y}/{y + 1}", "värde": 70 + y} for y in range(15, 25)]},
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "läsår", "type": "ordinal"},
        "y": {"field": "värde", "type": "quantitative"},
    },
    "width": 420,
    "height": 220,
}


def test_pdf_keeps_an_indicators_heading_and_text_with_its_chart():
    """The analysis basis PDF left an indicator's heading and definition at a page's foot and
    its chart on the next page, where the chart repeated the heading as its caption."""
    document = _chart_document()
    with pdfplumber.open(io.BytesIO(render(document, Medium.PDF).content)) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    [text] = [p for p in pages if "Andel elever i åk 9 med minst E" in p]
    assert "\nläsår\n" in text  # the chart's axis title: the chart is on the same page
    assert text.count("Elever i åk 9 med godkända betyg") == 1


def test_word_keeps_an_indicators_heading_and_text_with_its_chart():
    word = Word(io.BytesIO(render(_chart_document(), Medium.DOCX).content))
    paragraphs = [p for p in word.paragraphs if p.text.startswith(("Elever i åk", "Andel elever"))]
    assert [p.text for p in paragraphs] == [
        "Elever i åk 9 med godkända betyg",
        "Andel elever i åk 9 med minst E i alla ämnen.",
    ]  # the chart does not repeat the heading as its caption
    assert all(p.paragraph_format.keep_with_next for p in paragraphs)


def _chart_document() -> Document:
    blocks: list[object] = [Paragraph(f"Stycke {i} som fyller sidan.") for i in range(38)]
    blocks += [
        Heading("Elever i åk 9 med godkända betyg"),
        Paragraph("Andel elever i åk 9 med minst E i alla ämnen."),
        Chart("Elever i åk 9 med godkända betyg", spec=TREND),
    ]
    return Document(title="Analysunderlag", sections=[Section("Grundskolan", blocks)])


def test_a_chart_captioned_as_its_section_has_the_heading_once():
    """The planning PDF printed "Platser minus efterfrågan per program" twice above the heat
    map: the section's heading, then the chart's caption saying the same."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 40 20">'
        '<rect width="40" height="20" fill="#369"/></svg>'
    )
    document = Document(
        title="Planering",
        sections=[
            Section("Platser per program", [Chart("Platser per program", svg=svg)]),
            Section("Kohorter", [Chart("Kohorter per kommun", svg=svg)]),
        ],
        filename="prov",
    )
    with pdfplumber.open(io.BytesIO(render(document, Medium.PDF).content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert text.count("Platser per program") == 1
    assert "Kohorter per kommun" in text  # a caption of its own is still printed
    word = Word(io.BytesIO(render(document, Medium.DOCX).content))
    lines = [p.text for p in word.paragraphs]
    assert lines.count("Platser per program") == 1
    assert "Kohorter per kommun" in lines
    deck = Presentation(io.BytesIO(render(document, Medium.PPTX).content))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Platser per program" in titles  # a slide keeps the caption as its title
