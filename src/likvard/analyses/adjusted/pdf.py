"""The PDF of an adjusted-results page: the year's overview, its chart and the chosen rows.

A4 landscape, Swedish, WeasyPrint; the chart is the page's own Vega-Lite definition drawn to
SVG by vl-convert at a fixed width that fits the page, so page and PDF never disagree.
"""

from __future__ import annotations

import copy

from django.template.loader import render_to_string

from likvard.analyses.adjusted.labels import OUTCOME_LABELS, year_label
from likvard.analyses.adjusted.services import AdjustedReport

PDF_TYPE = "application/pdf"
CHART_WIDTH = 820
"""Pixels (at 96 per inch) of the chart's plot area: 217 mm, within A4 landscape's 265 mm."""


def _chart_svg(spec: dict[str, object]) -> str:
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)

    fixed = copy.deepcopy(spec)
    fixed["width"] = CHART_WIDTH
    fixed["autosize"] = {"type": "fit", "contains": "padding"}
    return str(vl_convert.vegalite_to_svg(fixed))


def adjusted_pdf(report: AdjustedReport) -> bytes:
    """The overview (counts, schools outside their interval, sorted chart) and every row the
    page's filters choose, as an A4 landscape PDF."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy import, only when exporting)

    year = report.overview.year
    html = render_to_string(
        "analyses/adjusted/report_pdf.html",
        {
            "report": report,
            "outcome_label": OUTCOME_LABELS[report.outcome],
            "year_label": year_label(year) if year else "",
            "chart_svg": _chart_svg(report.chart) if report.rows else "",
            "rows": report.table.matching,
        },
    )
    return bytes(HTML(string=html).write_pdf() or b"")
