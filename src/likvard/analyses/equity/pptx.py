"""PPTX decks of the equity views: the page's charts as pictures and its tables as slides.

The charts are the same Vega-Lite dicts the page renders (``charts.py``), drawn to PNG by
vl-convert, so page and slides never disagree. Tables come from ``Released`` values only: a
hidden cell is written as ``..`` (never a number), exactly as on the page.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO

import vl_convert
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from likvard.access.release import Released

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ROWS_PER_SLIDE = 9
MAX_TABLE_SLIDES = 10
CHART_WIDTH = 760
SWEDISH_LOCALE = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "percent": "\u00a0%",
}
_TITLE_ONLY = 5
_WIDE = Inches(13.333)
_HIGH = Inches(7.5)

Cell = Callable[[Mapping[str, object]], str]


@dataclass(frozen=True, slots=True)
class Column:
    """One table column on a slide: its heading and how a released row's cell is written."""

    heading: str
    cell: Cell


def text(name: str) -> Cell:
    """The column ``name`` as text, ``..`` when hidden."""
    return lambda row: ".." if row.get(name) is None else str(row[name])


def number(name: str, *, decimals: int = 1, percent: bool = False) -> Cell:
    """The column ``name`` with a decimal comma (a share 0-1 as percent), ``..`` when hidden."""

    def cell(row: Mapping[str, object]) -> str:
        value = row.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ".."
        scaled = float(str(value)) * (100 if percent else 1)
        return f"{scaled:.{decimals}f}".replace(".", ",")

    return cell


def year(name: str = "school_year") -> Cell:
    """A spring year as the school year label, e.g. ``2025`` -> ``2024/25``."""
    return lambda row: f"{int(str(row[name])) - 1}/{int(str(row[name])) % 100:02d}"


@dataclass(frozen=True, slots=True)
class TableSlides:
    """A released table to put on slides, with the columns to show."""

    title: str
    released: Released
    columns: Sequence[Column]


def chart_png(spec: Mapping[str, object]) -> bytes:
    """The Vega-Lite ``spec`` drawn as a PNG (a fixed width instead of the page's container)."""
    drawn = copy.deepcopy(dict(spec))
    if drawn.get("width") == "container":
        drawn["width"] = CHART_WIDTH
    return bytes(
        vl_convert.vegalite_to_png(
            vl_spec=drawn, scale=2, format_locale=SWEDISH_LOCALE, allowed_base_urls=[]
        )
    )


def presentation(
    *,
    title: str,
    charts: Sequence[tuple[str, Mapping[str, object]]],
    tables: Sequence[TableSlides],
) -> bytes:
    """A 16:9 deck: a title slide, one slide per chart, table slides, provenance last."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = _WIDE, _HIGH
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = _("Likvärd: grades and national tests")
    for caption, spec in charts:
        _chart_slide(deck, caption, spec)
    for table in tables:
        _table_slides(deck, table)
    sources = sorted({t.released.provenance for t in tables})
    last = _titled(deck, _("Sources"))
    box = last.shapes.add_textbox(Inches(0.6), Inches(1.6), Emu(_WIDE - Inches(1.2)), Inches(4))
    box.text_frame.word_wrap = True
    box.text_frame.text = "\n".join(sources)
    buffer = BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _titled(deck: Deck, title: str) -> Slide:
    """A title-only slide whose title fits one line band above the content (24 pt, top 0.3 in)."""
    slide: Slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    shape = slide.shapes.title
    if shape is None:  # every title-only layout has a title placeholder
        raise RuntimeError("the slide layout has no title")
    shape.left, shape.top = Inches(0.4), Inches(0.3)
    shape.width, shape.height = Emu(_WIDE - Inches(0.8)), Inches(0.9)
    shape.text = title
    for paragraph in shape.text_frame.paragraphs:
        paragraph.font.size = Pt(24)
    shape.text_frame.word_wrap = True
    return slide


def _chart_slide(deck: Deck, caption: str, spec: Mapping[str, object]) -> None:
    slide = _titled(deck, caption)
    values = spec.get("data", {})
    if not isinstance(values, Mapping) or not values.get("values"):
        box = slide.shapes.add_textbox(Inches(0.6), Inches(2), Inches(10), Inches(1))
        box.text_frame.text = _("No figures to show.")
        return
    picture = slide.shapes.add_picture(BytesIO(chart_png(spec)), Inches(0.6), Inches(1.4))
    limit_w, limit_h = _WIDE - Inches(1.2), _HIGH - Inches(1.7)
    ratio = min(limit_w / picture.width, limit_h / picture.height, 1.0)
    picture.width, picture.height = (
        Emu(int(picture.width * ratio)),
        Emu(int(picture.height * ratio)),
    )


def _table_slides(deck: Deck, table: TableSlides) -> None:
    rows = table.released.rows()
    chunks = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    for index, chunk in enumerate(chunks[:MAX_TABLE_SLIDES] or [[]]):
        suffix = f" ({index + 1}/{min(len(chunks), MAX_TABLE_SLIDES)})" if len(chunks) > 1 else ""
        slide = _titled(deck, table.title + suffix)
        height = Emu(Inches(0.4) * (len(chunk) + 1))
        shape = slide.shapes.add_table(
            len(chunk) + 1, len(table.columns), Inches(0.4), Inches(1.4), Emu(_WIDE - Inches(0.8)),
            height,
        )  # fmt: skip
        grid = shape.table
        for col, column in enumerate(table.columns):
            grid.cell(0, col).text = column.heading
            for line, row in enumerate(chunk, start=1):
                grid.cell(line, col).text = column.cell(row)
        for cell in (
            grid.cell(r, c) for r in range(len(chunk) + 1) for c in range(len(table.columns))
        ):
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(10)
    if len(chunks) > MAX_TABLE_SLIDES:
        slide = _titled(deck, table.title)
        box = slide.shapes.add_textbox(Inches(0.6), Inches(2), Inches(10), Inches(1))
        box.text_frame.text = _("More rows than fit here: download the XLSX for every row.")
