"""A ``Document`` as an A4 PDF (WeasyPrint): portrait pages, landscape pages for wide tables,
and tables too wide even for landscape split into groups of columns with the key repeated.

Every table has a fixed layout whose column widths come from ``layout``, so a long name wraps
inside its cell instead of pushing the table past the page edge; header rows repeat on each page.
"""

from __future__ import annotations

import base64
from html import escape

from django.utils.translation import gettext

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

FONT_PT = 7.5
PORTRAIT_PT = 510.0
"""Text width of A4 portrait with 15 mm margins, in points."""
LANDSCAPE_PT = 757.0
"""Text width of A4 landscape with 15 mm margins, in points."""
PAD_CHARS = 1.2
"""Cell padding and borders, in characters."""

CSS = """
@page { size: A4; margin: 15mm 15mm 16mm 15mm;
        @bottom-right { content: "PAGE " counter(page) " OF " counter(pages);
                        font-size: 7.5pt; font-family: "DejaVu Sans", sans-serif; } }
@page wide { size: A4 landscape; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1a1a1a; }
h1 { font-size: 16pt; margin: 0 0 3mm 0; }
h2 { font-size: 12.5pt; margin: 7mm 0 2.5mm 0; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 4mm 0 1.5mm 0; page-break-after: avoid; }
p { margin: 0 0 2mm 0; }
.wide { page: wide; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 1mm 0 2mm 0;
        font-size: 7.5pt; }
caption { text-align: left; font-weight: bold; font-size: 8.5pt; padding-bottom: 1mm; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 0.3pt solid #999; padding: 0.7mm 1mm; vertical-align: top;
         overflow-wrap: anywhere; text-align: left; }
th { background: #eef2f5; font-weight: bold; }
td.num, th.num { text-align: right; }
.note { font-size: 7.5pt; color: #444; }
.subtitle { color: #333; }
.chart { page-break-inside: avoid; margin: 2mm 0 4mm 0; }
.keep { page-break-inside: avoid; }
.chart img { max-width: 100%; max-height: 150mm; }
.facts th { width: 30%; background: none; }
.field { border: 0.4pt solid #999; min-height: 25mm; margin-bottom: 3mm; }
"""


def _fits(table: Table) -> tuple[str, list[list[int]], list[float]]:
    """("" or "wide", column groups, wanted widths) of ``table``."""
    shape = layout.grid(table)
    char_pt = FONT_PT * layout.CHAR_EM
    whole = [list(range(len(shape.wanted)))]
    for page, width in (("", PORTRAIT_PT), ("wide", LANDSCAPE_PT)):
        narrowed = layout.squeeze(table, shape.wanted, width / char_pt, PAD_CHARS)
        wanted = [w + PAD_CHARS for w in narrowed]
        if sum(wanted) * char_pt <= width:
            return page, whole, wanted
    return "wide", layout.groups(wanted, table.key, LANDSCAPE_PT / char_pt), wanted


def _table(table: Table, heading: str = "") -> str:
    page, parts, wanted = _fits(table)
    shape = layout.grid(table)
    html: list[str] = []
    for columns in parts:
        share = sum(wanted[c] for c in columns)
        cols = "".join(f'<col style="width:{100 * wanted[c] / share:.2f}%">' for c in columns)
        numeric = {c for c in columns if table.columns[c].kind is not Kind.TEXT}

        def cls(c: int, numeric: set[int] = numeric) -> str:
            return ' class="num"' if c in numeric else ""

        head = "".join(f'<th scope="col"{cls(c)}>{escape(shape.headers[c])}</th>' for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td{cls(c)}>{escape(row[c])}</td>" for c in columns) + "</tr>"
            for row in shape.rows
        )
        suffix = layout.part_suffix(columns, table.key, len(parts), len(table.columns))
        caption = f"<caption>{escape(table.title + suffix)}</caption>" if table.title else ""
        html.append(
            f"<table>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    notes = "".join(
        f'<p class="note">{escape(n)}</p>' for n in [*table.hidden_reasons(), *table.notes]
    )
    inner = heading + "".join(html) + notes
    return f'<div class="wide">{inner}</div>' if page else inner


def _chart(block: Chart, *, titled: bool = True) -> str:
    if block.svg is not None:
        svg = block.svg.replace('width="100%"', 'width="960" height="560"', 1)
    elif charts.has_data(block.spec) and block.spec is not None:
        svg = charts.spec_svg(block.spec)
    else:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = escape(gettext("Chart: %(caption)s") % {"caption": block.caption})
    caption = f"<h3>{escape(block.caption)}</h3>" if block.caption and titled else ""
    image = f'<img alt="{alt}" src="data:image/svg+xml;base64,{data}">'
    return f'{caption}<div class="chart">{image}</div>'


def _paragraph(block: Paragraph) -> str:
    return (
        f'<p class="note">{escape(block.text)}</p>'
        if block.note
        else f"<p>{escape(block.text)}</p>"
    )


def _facts(block: Facts) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in block.pairs
    )
    return f'<table class="facts"><tbody>{rows}</tbody></table>'


def _block(block: Block, section_title: str = "") -> str:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):  # a caption repeating its section's heading is left out
        return _chart(block, titled=block.caption != section_title)
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Facts):
        return _facts(block)
    text = escape(block.text if isinstance(block, Heading) else block.label)
    return f"<h3>{text}</h3>" + ('<div class="field"></div>' if isinstance(block, Field) else "")


def _blocks(blocks: list[Block], section_title: str = "") -> list[str]:
    """The blocks' HTML, a heading with its text and the chart they lead to on one page (a
    chart's caption repeating the heading above it is left out)."""
    leads = chart_lead_ins(blocks)
    starts = {start: chart for chart, start in leads.items()}
    html: list[str] = []
    i = 0
    while i < len(blocks):
        end = starts.get(i, i)
        chart, heading = blocks[end], blocks[i]
        if end > i and isinstance(chart, Chart) and isinstance(heading, Heading):
            inner = [_block(b, section_title) for b in blocks[i:end]]
            titled = chart.caption not in {heading.text, section_title}
            inner.append(_chart(chart, titled=titled))
            html.append(f'<div class="keep">{"".join(inner)}</div>')
            i = end + 1
        else:
            html.append(_block(blocks[i], section_title))
            i += 1
    return html


def document_html(document: Document) -> str:
    """``document`` as a standalone HTML page in Swedish (the PDF's source)."""
    body = [f"<h1>{escape(document.title)}</h1>"]
    if document.subtitle:
        body.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    for section, blocks in document.blocks(Medium.PDF):
        heading = f"<h2>{escape(section.title)}</h2>"
        rest = blocks
        if blocks and isinstance(blocks[0], Table):  # a landscape table takes its heading along
            body.append(_table(blocks[0], heading))
            rest = blocks[1:]
        else:
            body.append(heading)
        body += _blocks(list(rest), section.title)
    if document.sources:
        body.append("".join(f'<p class="note">{escape(s)}</p>' for s in document.sources))
    css = CSS.replace("PAGE", gettext("Page")).replace("OF", gettext("of"))
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>'
        f"{escape(document.title)}</title><style>{css}</style></head><body>"
        f"{''.join(body)}</body></html>"
    )


def pdf(document: Document) -> bytes:
    """``document`` as PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy import, only when exporting)

    return bytes(HTML(string=document_html(document)).write_pdf() or b"")
