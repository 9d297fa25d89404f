"""A ``Document`` as a Word file (python-docx): A4 portrait, landscape sections for wide
tables, tables too wide even for landscape split into groups of columns with the key repeated.

Column widths are set on every cell (Word and LibreOffice honour those, not the table's), from
``layout``'s estimate, so a table never reaches past the margin; charts are pictures scaled to
the text width.
"""

from __future__ import annotations

import io

from docx import Document as Word
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu, Pt

from likvard.exports import charts, layout
from likvard.exports.document import (
    Block,
    Chart,
    Document,
    Facts,
    Field,
    Heading,
    Kind,
    Medium,
    Paragraph,
    Table,
    chart_lead_ins,
)

FONT_PT = 8
MARGIN = Cm(1.8)
A4 = (Cm(21.0), Cm(29.7))
PAD_CHARS = 2.6


def _orient(doc: WordDocument, *, landscape: bool) -> None:
    """Start a new section in the wanted orientation (nothing when it already is)."""
    current = doc.sections[-1]
    is_landscape = current.orientation == WD_ORIENT.LANDSCAPE
    if is_landscape == landscape and doc.paragraphs:
        return
    section = doc.add_section(WD_SECTION.NEW_PAGE) if doc.paragraphs else current
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4[1], A4[0]) if landscape else A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _text_width(doc: WordDocument) -> int:
    section = doc.sections[-1]
    return (
        int(section.page_width or 0)
        - int(section.left_margin or 0)
        - int(section.right_margin or 0)
    )


def _wanted(table: Table) -> tuple[list[float], bool]:
    """Column widths in characters (with padding), and whether the table needs landscape."""
    shape = layout.grid(table)
    char_emu = Pt(FONT_PT * layout.CHAR_EM)
    portrait = int(A4[0]) - 2 * int(MARGIN)
    landscape = int(A4[1]) - 2 * int(MARGIN)
    narrowed = layout.squeeze(table, shape.wanted, portrait / char_emu, PAD_CHARS)
    if (sum(narrowed) + PAD_CHARS * len(narrowed)) * char_emu > portrait:
        narrowed = layout.squeeze(table, shape.wanted, landscape / char_emu, PAD_CHARS)
    wanted = [w + PAD_CHARS for w in narrowed]
    return wanted, sum(wanted) * char_emu > portrait


def _table(doc: WordDocument, table: Table) -> None:
    shape = layout.grid(table)
    char_emu = Pt(FONT_PT * layout.CHAR_EM)
    landscape = int(A4[1]) - 2 * int(MARGIN)
    wanted, wide = _wanted(table)
    need = sum(wanted) * char_emu
    _orient(doc, landscape=wide)
    parts = (
        layout.groups(wanted, table.key, landscape / char_emu)
        if need > landscape
        else [list(range(len(wanted)))]
    )
    width = _text_width(doc)
    for columns in parts:
        if table.title:
            suffix = layout.part_suffix(columns, table.key, len(parts), len(table.columns))
            doc.add_paragraph(table.title + suffix, style="Heading 4")
        grid = doc.add_table(rows=len(shape.rows) + 1, cols=len(columns))
        grid.style = "Table Grid"
        grid.autofit = False
        share = sum(wanted[c] for c in columns)
        widths = [Emu(int(width * wanted[c] / share)) for c in columns]
        for index, column_width in enumerate(widths):
            grid.columns[index].width = column_width
        texts = [
            [shape.headers[c] for c in columns],
            *([r[c] for c in columns] for r in shape.rows),
        ]
        for r, row in enumerate(texts):
            for i, text in enumerate(row):
                cell = grid.cell(r, i)
                cell.width = widths[i]
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(text)
                run.font.size = Pt(FONT_PT)
                run.bold = r == 0
                if r and table.columns[columns[i]].kind is not Kind.TEXT:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in [*table.hidden_reasons(), *table.notes]:
        doc.add_paragraph().add_run(note).font.size = Pt(FONT_PT)


def _chart(doc: WordDocument, block: Chart, *, titled: bool = True) -> None:
    if block.svg is not None:
        png = charts.svg_png(block.svg)
    elif block.spec is not None and charts.has_data(block.spec):
        png = charts.spec_png(block.spec)
    else:
        return
    if block.caption and titled:
        doc.add_paragraph(block.caption, style="Heading 3")
    doc.add_picture(io.BytesIO(png), width=Emu(_text_width(doc)))
    picture = doc.inline_shapes[-1]
    limit = Cm(17)
    if int(picture.height) > int(limit):
        picture.width = Emu(int(int(picture.width) * int(limit) / int(picture.height)))
        picture.height = limit


def _block(doc: WordDocument, block: Block) -> None:
    if isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Chart):
        _chart(doc, block)
    elif isinstance(block, Heading):
        doc.add_paragraph(block.text, style="Heading 3")
    elif isinstance(block, Paragraph):
        run = doc.add_paragraph().add_run(block.text)
        run.font.size = Pt(8 if block.note else 10)
    elif isinstance(block, Facts):
        grid = doc.add_table(rows=len(block.pairs), cols=2)
        grid.style = "Table Grid"
        for r, (label, value) in enumerate(block.pairs):
            grid.cell(r, 0).text, grid.cell(r, 1).text = label, value
    elif isinstance(block, Field):
        doc.add_paragraph(block.label, style="Heading 3")
        box = doc.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        box.rows[0].height = Cm(2.5)


def word(document: Document) -> bytes:
    """``document`` as DOCX bytes."""
    doc = Word()
    _orient(doc, landscape=False)
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    doc.add_paragraph(document.title, style="Title")
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    for section, blocks in document.blocks(Medium.DOCX):
        # a landscape table takes its heading along; anything else is set on portrait pages
        wide = bool(blocks) and isinstance(blocks[0], Table) and _wanted(blocks[0])[1]
        _orient(doc, landscape=wide)
        doc.add_paragraph(section.title, style="Heading 2")
        leads = chart_lead_ins(blocks)
        kept = {i for chart, start in leads.items() for i in range(start, chart)}
        for i, block in enumerate(blocks):
            # a note stays with the table above it: set on a portrait page of its own, a
            # table's one-line note took a page between two landscape tables
            if not isinstance(block, Table) and not (isinstance(block, Paragraph) and block.note):
                _orient(doc, landscape=False)
            lead = blocks[leads[i]] if i in leads else None
            if isinstance(block, Chart):  # no caption repeating the heading above it
                above = {section.title, lead.text if isinstance(lead, Heading) else section.title}
                _chart(doc, block, titled=block.caption not in above)
            else:
                _block(doc, block)
            if i in kept:  # a heading and its text stay on the page of the chart they lead to
                doc.paragraphs[-1].paragraph_format.keep_with_next = True
    if document.sources:  # or a document ending in landscape ends in an empty portrait page
        _orient(doc, landscape=False)
    for source in document.sources:
        doc.add_paragraph().add_run(source).font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
