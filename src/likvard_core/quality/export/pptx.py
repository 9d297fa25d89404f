"""The analysis basis as slides: a title slide, a slide per goal, a slide per flagged indicator.

Charts are the shared Vega-Lite definition rendered to PNG; hidden figures show as their mark.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Cm, Emu, Pt

from likvard_core.quality.basis import AnalysisBasis, IndicatorBlock
from likvard_core.quality.charts import chart_png, trend_chart
from likvard_core.quality.export.rows import figure_cell, provenance

WIDE = (Cm(33.867), Cm(19.05))
MARGIN = Cm(1.2)
BODY_WIDTH = Cm(33.867 - 2 * 1.2)
TITLE_TOP, TITLE_HEIGHT = Cm(0.6), Cm(3.0)
BODY_TOP = Cm(4.0)
TABLE_ROWS = 8
"""Indicator rows per slide: with two-line names the table still ends above the bottom."""
ROW_HEIGHT = Cm(1.15)
COLUMNS_CM = (15.5, 4.0, 4.0, 4.0, 4.0)
"""Indicator, value, nation, expected, stands out: 31.5 cm, the slide less its margins."""


def _title(slide: Slide, text: str) -> None:
    """The slide title in a box of its own above the body: two lines fit, none overlaps."""
    title = slide.shapes.title
    if title is None:  # every layout used here has a title placeholder
        raise ValueError("the slide layout has no title")
    title.left, title.top = MARGIN, TITLE_TOP
    title.width, title.height = BODY_WIDTH, TITLE_HEIGHT
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(26)


def _text_slide(prs: Deck, title: str, lines: list[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    _title(slide, title)
    placeholder = slide.placeholders[1]
    placeholder.left, placeholder.top = MARGIN, BODY_TOP
    placeholder.width, placeholder.height = BODY_WIDTH, Cm(19.05 - 4.0 - 1.2)
    body = placeholder.text_frame
    body.word_wrap = True
    body.text = lines[0] if lines else ""
    for line in lines[1:]:
        body.add_paragraph().text = line
    for paragraph in body.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(14)


def _goal_slide(prs: Deck, title: str, blocks: tuple[IndicatorBlock, ...]) -> None:
    for start in range(0, max(len(blocks), 1), TABLE_ROWS):
        shown = blocks[start : start + TABLE_ROWS]
        _goal_table(prs, title if start == 0 else f"{title} (forts.)", shown)


def _goal_table(prs: Deck, title: str, shown: tuple[IndicatorBlock, ...]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, title)
    labels = ["Indikator", "Värde", "Riket", "Förväntat", "Sticker ut"]
    width = Cm(sum(COLUMNS_CM))
    shape = slide.shapes.add_table(
        len(shown) + 1, len(labels), MARGIN, BODY_TOP, width, ROW_HEIGHT * (len(shown) + 1)
    )
    table = shape.table
    for column, cm in zip(table.columns, COLUMNS_CM, strict=True):
        column.width = Cm(cm)
    for row in table.rows:
        row.height = ROW_HEIGHT
    for c, label in enumerate(labels):
        table.cell(0, c).text = label
    for r, block in enumerate(shown, start=1):
        nation = next((c.figure for c in block.comparisons if c.kind == "nation"), None)
        expected = block.expectation.expected if block.expectation else None
        unit = block.indicator.unit
        values = [
            block.indicator.name,
            figure_cell(block.value, unit).display_sv(),
            figure_cell(nation, unit).display_sv(),
            figure_cell(expected, unit).display_sv(),
            "Ja" if block.flags else "Nej",
        ]
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)


def _flag_slide(prs: Deck, block: IndicatorBlock) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, block.indicator.name)
    if any(p.figure.shown for p in block.trend):
        png = chart_png(trend_chart(block, width=520, height=230))
        picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, BODY_TOP, width=Cm(17.5))
        room = Cm(19.05 - 4.0 - 1.2)
        if picture.height > room:  # keep the aspect ratio, fit the height
            picture.width = Emu(int(picture.width * room / picture.height))
            picture.height = room
    box = slide.shapes.add_textbox(Cm(19.5), BODY_TOP, Cm(13.0), Cm(13.5)).text_frame
    box.word_wrap = True
    box.text = block.flags[0].sentence_sv
    for flag in block.flags[1:]:
        box.add_paragraph().text = flag.sentence_sv
    for paragraph in box.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(13)


def basis_pptx(basis: AnalysisBasis) -> bytes:
    """The slides of ``basis`` as PPTX bytes (16:9)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    title = prs.slides.add_slide(prs.slide_layouts[0])
    _title(title, f"Analysunderlag {basis.year_label}")
    subtitle = title.placeholders[1]
    subtitle.left, subtitle.top = MARGIN, BODY_TOP
    subtitle.width, subtitle.height = BODY_WIDTH, Cm(6.0)
    subtitle.text_frame.word_wrap = True
    subtitle.text = f"{basis.subject_name} ({basis.subject_code})\n{provenance(basis)}"
    for section in basis.goals:
        _goal_slide(prs, section.goal.title, section.indicators)
    if basis.conditions:
        _goal_slide(prs, "Verksamhetens förutsättningar", basis.conditions)
    for block in basis.flagged():
        _flag_slide(prs, block)
    notes = list(basis.notes_sv)
    if basis.comparison_group is not None:
        notes.insert(0, basis.comparison_group.explanation_sv())
        notes.insert(1, f"Jämförelsegrupp: {basis.comparison_group_sv()}.")
    _text_slide(prs, "Om underlaget", [*notes, provenance(basis)])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
