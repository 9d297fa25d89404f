"""The analysis basis as slides: a title slide, a slide per goal, a slide per flagged indicator.

Charts are the shared Vega-Lite definition rendered to PNG; hidden figures show as their mark.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.util import Cm, Pt

from likvard_core.quality.basis import AnalysisBasis, IndicatorBlock
from likvard_core.quality.charts import chart_png, trend_chart
from likvard_core.quality.export.rows import figure_cell, provenance

WIDE = (Cm(33.867), Cm(19.05))
TABLE_ROWS = 12


def _text_slide(prs: Deck, title: str, lines: list[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.text = lines[0] if lines else ""
    for line in lines[1:]:
        body.add_paragraph().text = line
    for paragraph in body.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(16)


def _goal_slide(prs: Deck, title: str, blocks: tuple[IndicatorBlock, ...]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    shown = blocks[:TABLE_ROWS]
    labels = ["Indikator", "Värde", "Riket", "Förväntat", "Sticker ut"]
    shape = slide.shapes.add_table(
        len(shown) + 1, len(labels), Cm(1.2), Cm(4.0), Cm(31.5), Cm(1.0 * (len(shown) + 1))
    )
    table = shape.table
    table.columns[0].width = Cm(15.5)
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
    slide.shapes.title.text = block.indicator.name
    if any(p.figure.shown for p in block.trend):
        png = chart_png(trend_chart(block, width=520, height=260))
        slide.shapes.add_picture(io.BytesIO(png), Cm(1.2), Cm(4.0), width=Cm(17.5))
    box = slide.shapes.add_textbox(Cm(19.5), Cm(4.0), Cm(13.0), Cm(13.5)).text_frame
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
    title.shapes.title.text = f"Analysunderlag {basis.year_label}"
    title.placeholders[1].text = f"{basis.subject_name} ({basis.subject_code})\n{provenance(basis)}"
    for section in basis.goals:
        _goal_slide(prs, section.goal.title, section.indicators)
    if basis.conditions:
        _goal_slide(prs, "Verksamhetens förutsättningar", basis.conditions)
    for block in basis.flagged():
        _flag_slide(prs, block)
    notes = list(basis.notes_sv)
    if basis.comparison_group is not None:
        notes.insert(0, basis.comparison_group.explanation_sv())
    _text_slide(prs, "Om underlaget", [*notes, provenance(basis)])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
