"""The analysis basis as a print-ready A4 PDF in Swedish (WeasyPrint, charts as SVG).

The HTML is built here with every text escaped; charts are the shared Vega-Lite definition
(``quality.charts``) rendered to SVG, so they stay vector graphics in the PDF.
"""

from __future__ import annotations

import base64
from html import escape

from likvard_core.quality.basis import AnalysisBasis, IndicatorBlock
from likvard_core.quality.charts import chart_svg, trend_chart
from likvard_core.quality.export.rows import (
    Cell,
    footnotes,
    header,
    indicator_row,
    members_header,
    members_rows,
)

MEMBERS_PER_TABLE = 8
"""Member municipalities per table: more would not fit an A4 landscape page's width."""

CSS = """
@page { size: A4 landscape; margin: 14mm 14mm 16mm 14mm;
        @bottom-right { content: "Sida " counter(page) " av " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1a1a1a; }
h1 { font-size: 17pt; margin: 0 0 4mm 0; }
h2 { font-size: 13pt; margin: 8mm 0 3mm 0; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 5mm 0 2mm 0; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; table-layout: auto;
        font-size: 7.5pt; }
th, td { border: 0.3pt solid #999; padding: 0.8mm 1mm; text-align: right; vertical-align: top;
         overflow-wrap: break-word; }
th:first-child, td:first-child { width: 24%; }
td { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef2f5; }
.flag { border-left: 2pt solid #6b4c00; padding-left: 2mm; margin: 1.5mm 0; }
.chart { page-break-inside: avoid; margin: 2mm 0 4mm 0; }
.chart img { width: 150mm; }
.notes { font-size: 7.5pt; color: #333; }
.field { border: 0.4pt solid #999; min-height: 25mm; margin-bottom: 3mm; padding: 2mm; }
"""


def _html_table(titles: list[str], rows: list[list[Cell]], caption: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(t)}</th>' for t in titles)
    body = []
    for cells in rows:
        first = f'<th scope="row">{escape(cells[0].display_sv())}</th>'
        rest = "".join(
            f'<td title="{escape(c.reason)}">{escape(c.display_sv())}</td>' for c in cells[1:]
        )
        body.append(f"<tr>{first}{rest}</tr>")
    top = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{top}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _table(basis: AnalysisBasis, blocks: tuple[IndicatorBlock, ...]) -> str:
    table = _html_table(header(basis), [indicator_row(basis, b) for b in blocks])
    members = members_rows(blocks)
    if not basis.members or not members:
        return table
    titles = members_header(basis)
    for start in range(1, len(titles), MEMBERS_PER_TABLE):  # a landscape page fits eight
        part = slice(start, start + MEMBERS_PER_TABLE)
        caption = "Medlemskommunerna sida vid sida"
        if len(titles) - 1 > MEMBERS_PER_TABLE:
            caption += f" ({start}–{min(start + MEMBERS_PER_TABLE - 1, len(titles) - 1)})"
        rows = [[row[0], *row[part]] for row in members]
        table += _html_table([titles[0], *titles[part]], rows, caption)
    return table


def _chart(block: IndicatorBlock) -> str:
    if not any(p.figure.shown for p in block.trend):
        return ""
    svg = chart_svg(trend_chart(block))
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = escape(f"Diagram: utveckling över tid för {block.indicator.name}")
    return f'<div class="chart"><img alt="{alt}" src="data:image/svg+xml;base64,{data}"></div>'


def _section(basis: AnalysisBasis, title: str, blocks: tuple[IndicatorBlock, ...]) -> str:
    parts = [f"<h2>{escape(title)}</h2>", _table(basis, blocks)]
    for block in blocks:
        parts.append(f"<h3>{escape(block.indicator.name)}</h3>")
        parts.append(f"<p>{escape(block.indicator.definition)}</p>")
        parts += [f'<p class="flag">{escape(f.sentence_sv)}</p>' for f in block.flags]
        if block.note_sv:
            parts.append(f'<p class="notes">{escape(block.note_sv)}</p>')
        if block.trend_of_sv and any(p.figure.shown for p in block.trend):
            parts.append(f'<p class="notes">Utvecklingen avser {escape(block.trend_of_sv)}.</p>')
        parts.append(_chart(block))
    return "".join(parts)


def basis_html(basis: AnalysisBasis) -> str:
    """The analysis basis as a standalone Swedish HTML document (the PDF's source)."""
    title = f"Analysunderlag {basis.year_label}: {basis.subject_name}"
    intro = (
        f"<p>Enhet: {escape(basis.subject_name)} ({escape(basis.subject_code)}). "
        f"Dataversion {escape(basis.data_version)}, katalogversion "
        f"{escape(basis.catalogue_version)}.</p>"
    )
    if basis.comparison_group is not None:
        intro += f"<p>{escape(basis.comparison_group.explanation_sv())} Gruppen: "
        intro += f"{escape(basis.comparison_group_sv())}.</p>"
    body = [f"<h1>{escape(title)}</h1>", intro]
    body += [_section(basis, s.goal.title, s.indicators) for s in basis.goals]
    if basis.conditions:
        body.append(_section(basis, "Verksamhetens förutsättningar", basis.conditions))
    body.append("<h2>Framgångsfaktorer</h2><ul>")
    body += [
        f"<li>{escape(f.title)}{' (kandidat)' if f.status.value == 'candidate' else ''}</li>"
        for f in basis.success_factors
    ]
    body.append("</ul><h2>Egen analys</h2>")
    for label in ("Styrkor", "Utvecklingsområden", "Åtgärder"):
        body.append(f'<h3>{label}</h3><div class="field"></div>')
    body.append('<h2>Anmärkningar</h2><div class="notes">')
    body += [f"<p>{escape(n)}</p>" for n in footnotes(basis)]
    body.append("</div>")
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )


def basis_pdf(basis: AnalysisBasis) -> bytes:
    """The analysis basis as PDF bytes (A4, Swedish)."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy import, only when exporting)

    return bytes(HTML(string=basis_html(basis)).write_pdf())
