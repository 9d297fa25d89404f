"""A ``Document`` as a 16:9 slide deck whose titles and tables fit the slide.

The title sits in its own band above the body and shrinks for long titles. A table takes the
largest font from 12 down to 9 pt at which its columns fit the slide's width; wider tables are
split into groups of columns (the key columns repeated), longer ones over several slides, with
every row's height reckoned from its wrapped lines so the last row ends above the bottom edge.
Charts are pictures scaled into the body; text runs over as many slides as it needs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from likvard.exports import charts, layout
from likvard.exports.document import (
    Block,
    Chart,
    Document,
    Facts,
    Heading,
    Kind,
    Medium,
    Paragraph,
    Table,
)

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(1.0)
BODY_TOP = Inches(1.45)
BODY_BOTTOM = Emu(HEIGHT - Inches(0.4))
BODY_WIDTH = Emu(WIDTH - 2 * MARGIN)
FONT_SIZES = (12, 11, 10, 9)
"""Table fonts tried, largest first; 9 pt is the smallest readable on a projected slide."""
CELL_PAD_PT = 14.4
"""Left and right cell margins (0.1 in each)."""
ROW_PAD_PT = 8.0
"""Top and bottom cell margins plus a little air."""
LINE = 1.2
MAX_SLIDES_PER_TABLE = 10
TEXT_PT = 14
_TITLE_ONLY = 5
_BLANK_TITLE = 0


def _title(slide: Slide, text: str) -> None:
    """The title in a band above the body: 26 pt, smaller for long titles, at most two lines."""
    shape = slide.shapes.title
    if shape is None:  # the layouts used here all have a title
        raise RuntimeError("the slide layout has no title")
    shape.left, shape.top, shape.width, shape.height = MARGIN, TITLE_TOP, BODY_WIDTH, TITLE_HEIGHT
    size = 26 if len(text) <= 60 else 22 if len(text) <= 80 else 18  # noqa: PLR2004
    limit = int(2 * Emu(BODY_WIDTH).pt / (size * layout.CHAR_EM))
    shape.text = text if len(text) <= limit else text[: limit - 1] + "…"
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.font.size = Pt(size)


def _slide(deck: Deck, title: str) -> Slide:
    slide: Slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    _title(slide, title)
    return slide


def _font_and_parts(
    table: Table, wanted: Sequence[float]
) -> tuple[int, list[list[int]], list[float]]:
    """The font size, column groups and column widths (characters) a table fits the body with."""
    width_pt = Emu(BODY_WIDTH).pt
    narrowed = list(wanted)
    for size in FONT_SIZES:
        char = size * layout.CHAR_EM
        pad = CELL_PAD_PT / char
        narrowed = layout.squeeze(table, wanted, width_pt / char, pad)
        if sum(w + pad for w in narrowed) <= width_pt / char:
            return size, [list(range(len(wanted)))], narrowed
    char = FONT_SIZES[-1] * layout.CHAR_EM
    pad = CELL_PAD_PT / char
    parts = layout.groups([w + pad for w in narrowed], table.key, width_pt / char)
    return FONT_SIZES[-1], parts, narrowed


def _widths(wanted: Sequence[float], columns: Sequence[int], size: int) -> list[int]:
    """Column widths in EMU filling the body's width, in proportion to what each wants."""
    natural = [wanted[c] * size * layout.CHAR_EM + CELL_PAD_PT for c in columns]
    total = int(BODY_WIDTH)
    widths = [int(total * n / sum(natural)) for n in natural]
    widths[-1] += total - sum(widths)
    return widths


def _row_height(texts: Sequence[str], widths: Sequence[int], size: int) -> int:
    char = size * layout.CHAR_EM
    most = max(
        layout.lines(t, max((Emu(w).pt - CELL_PAD_PT) / char, 1.0))
        for t, w in zip(texts, widths, strict=True)
    )
    return int(Pt(most * size * LINE + ROW_PAD_PT))


def _table_slides(deck: Deck, table: Table, fallback: str) -> None:
    shape = layout.grid(table)
    size, parts, wanted = _font_and_parts(table, shape.wanted)
    title = table.title or fallback
    room = int(BODY_BOTTOM - BODY_TOP)
    for columns in parts:
        widths = _widths(wanted, columns, size)
        header = [shape.headers[c] for c in columns]
        head_height = _row_height(header, widths, size)
        pages: list[list[tuple[list[str], int]]] = [[]]
        used = head_height
        for row in shape.rows:
            texts = [row[c] for c in columns]
            height = _row_height(texts, widths, size)
            if pages[-1] and used + height > room:
                pages.append([])
                used = head_height
            pages[-1].append((texts, height))
            used += height
        suffix = layout.part_suffix(columns, table.key, len(parts), len(table.columns))
        for number, page in enumerate(pages[:MAX_SLIDES_PER_TABLE], start=1):
            slide = _slide(deck, layout.continued(title, number, len(pages)) + suffix)
            _grid(
                slide, table=table, columns=columns, widths=widths, size=size,
                rows=[(header, head_height), *page],
            )  # fmt: skip
        if len(pages) > MAX_SLIDES_PER_TABLE:
            _text_slides(
                deck, title, [gettext("More rows than fit here: download the XLSX for every row.")]
            )


def _grid(
    slide: Slide, *, table: Table, columns: Sequence[int], widths: Sequence[int], size: int,
    rows: Sequence[tuple[list[str], int]],
) -> None:  # fmt: skip
    total = sum(h for _t, h in rows)
    grid = slide.shapes.add_table(
        len(rows), len(columns), MARGIN, BODY_TOP, BODY_WIDTH, Emu(total)
    ).table
    for index, width in enumerate(widths):
        grid.columns[index].width = width
    for line, (texts, height) in enumerate(rows):
        grid.rows[line].height = height
        for index, text in enumerate(texts):
            cell = grid.cell(line, index)
            cell.text = text
            cell.margin_top = cell.margin_bottom = Pt(2)
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
                if line and table.columns[columns[index]].kind is not Kind.TEXT:
                    paragraph.alignment = PP_ALIGN.RIGHT


def _chart_slide(deck: Deck, block: Chart) -> None:
    if block.svg is not None:
        png = charts.svg_png(block.svg)
    elif block.spec is not None and charts.has_data(block.spec):
        png = charts.spec_png(block.spec)
    else:
        return
    slide = _slide(deck, block.caption)
    picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, BODY_TOP)
    limit_w, limit_h = int(BODY_WIDTH), int(BODY_BOTTOM - BODY_TOP)
    ratio = min(limit_w / int(picture.width), limit_h / int(picture.height), 1.0)
    picture.width = Emu(int(int(picture.width) * ratio))
    picture.height = Emu(int(int(picture.height) * ratio))
    picture.left = Emu(int(MARGIN) + (limit_w - int(picture.width)) // 2)


def _text_slides(deck: Deck, title: str, texts: Sequence[str]) -> None:
    """Paragraphs of text over as many slides as they need (14 pt)."""
    chars = Emu(BODY_WIDTH).pt / (TEXT_PT * layout.CHAR_EM)
    room = int((Emu(BODY_BOTTOM - BODY_TOP).pt - 10) / (TEXT_PT * LINE * 1.25))
    pages: list[list[str]] = [[]]
    used = 0
    for text in texts:
        need = layout.lines(text, chars)
        if pages[-1] and used + need > room:
            pages.append([])
            used = 0
        pages[-1].append(text[: int(room * chars)])
        used += need
    for number, page in enumerate(pages, start=1):
        slide = _slide(deck, layout.continued(title, number, len(pages)))
        box = slide.shapes.add_textbox(MARGIN, BODY_TOP, BODY_WIDTH, Emu(BODY_BOTTOM - BODY_TOP))
        frame = box.text_frame
        frame.word_wrap = True
        frame.text = page[0] if page else ""
        for text in page[1:]:
            frame.add_paragraph().text = text
        for paragraph in frame.paragraphs:
            paragraph.font.size = Pt(TEXT_PT)
            paragraph.space_after = Pt(TEXT_PT * 0.25)


def _section(deck: Deck, title: str, blocks: Sequence[Block]) -> None:
    texts: list[str] = []

    def flush() -> None:
        if texts:
            _text_slides(deck, title, list(texts))
            texts.clear()

    for block in blocks:
        if isinstance(block, Table):
            flush()
            _table_slides(deck, block, title)
        elif isinstance(block, Chart):
            flush()
            _chart_slide(deck, block)
        elif isinstance(block, Heading | Paragraph):
            texts.append(block.text)
        elif isinstance(block, Facts):
            texts += [f"{k}: {v}" for k, v in block.pairs]
    flush()


def presentation(document: Document) -> bytes:
    """``document`` as PPTX bytes (16:9)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    first = deck.slides.add_slide(deck.slide_layouts[_BLANK_TITLE])
    _title(first, document.title)
    subtitle = first.placeholders[1]
    subtitle.left, subtitle.top = MARGIN, BODY_TOP + Inches(0.3)
    subtitle.width, subtitle.height = BODY_WIDTH, Inches(2.0)
    subtitle.text_frame.word_wrap = True
    subtitle.text = document.subtitle
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.font.size = Pt(18)
    for section, blocks in document.blocks(Medium.PPTX):
        _section(deck, section.title, blocks)
    if document.sources:
        _text_slides(deck, gettext("Sources"), sorted(set(document.sources)))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
