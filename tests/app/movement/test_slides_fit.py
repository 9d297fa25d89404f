"""The movement slides fit their 16:9 slide (#16): a title stays above the body, a table's
columns are wide enough that its names do not wrap, and its rows end above the bottom edge."""

from __future__ import annotations

from io import BytesIO

from pptx import Presentation
from pptx.util import Inches

from likvard.movement.slides import presentation

CHAR = Inches(0.085)  # a generous character at 11 pt
HEADINGS = ["Startår", "Program", "Elever", "Nationellt program",
            "Kvar på introduktionsprogram", "Lämnat gymnasieskolan"]  # fmt: skip
ROWS = [
    ["2015/16", "IMA Individuellt alternativ", "12", "6 (50,0 %)", "4 (33,3 %)", "2 (16,7 %)"],
    ["2015/16", "Alla introduktionsprogram", "120", "60 (50,0 %)", "40 (33,3 %)", ".."],
] * 10


def _deck() -> Presentation:
    content = presentation(
        title="Beroendekarta: Kungsbacka 2024/25",
        subtitle="Likvärd: var gymnasieelever bor och studerar, 15 oktober",
        pictures=[],
        tables=[("Introduktionsprogram: var eleverna är året efter", HEADINGS, ROWS)],
        sources=["Källa: Likvärd"],
    )
    return Presentation(BytesIO(content))


def test_titles_stay_above_the_body_and_inside_the_slide():
    deck = _deck()
    for slide in list(deck.slides)[1:]:
        title = slide.shapes.title
        assert title.left >= 0
        assert title.left + title.width <= deck.slide_width
        assert title.top + title.height <= Inches(1.4), title.text


def test_table_names_fit_their_columns_and_rows_end_above_the_edge():
    deck = _deck()
    tables = [s for slide in deck.slides for s in slide.shapes if s.has_table]
    assert tables
    for shape in tables:
        table = shape.table
        assert shape.left + sum(c.width for c in table.columns) <= deck.slide_width
        assert shape.top + sum(r.height for r in table.rows) <= deck.slide_height
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                assert len(cell.text) * CHAR <= column.width, f"{cell.text!r} wraps"
