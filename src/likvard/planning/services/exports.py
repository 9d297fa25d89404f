"""Summaries for the network meeting: PPTX (python-pptx) and PDF (WeasyPrint, A4, Swedish).

Both show the page's figures from the same released report: the forecast per year, supply,
demand and gap per programme in the first forecast year and the scenario's effect. Charts are
rendered by vl-convert (PNG in the slides, which PowerPoint needs; SVG in the PDF).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from likvard.planning import charts
from likvard.planning.services.report import PlanningReport

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_TYPE = "application/pdf"
EXPORT_WIDTH = 640
_ROWS_PER_SLIDE = 12


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One programme in one year, formatted for Swedish readers."""

    programme_code: str
    supply: str
    demand: str
    gap: str
    scenario_supply: str
    scenario_gap: str
    basis_assessment: str
    basis_places: str


def number(value: object, decimals: int = 0) -> str:
    """Swedish number text: decimal comma, narrow no-break space for thousands, '..' hidden."""
    if value is None:
        return ".."
    text = f"{float(str(value)):,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",").replace("-", "−")


ASSESSMENT_TEXT = {1: "upp (+1)", 0: "behåll (0)", -1: "ned (−1)"}
"""Skolverket's assessment in the Swedish summaries."""


def _assessment(value: int | None) -> str:
    return "–" if value is None else ASSESSMENT_TEXT.get(value, "–")


def summary_rows(report: PlanningReport, year: int) -> list[SummaryRow]:
    """Supply, demand and gap per programme in ``year`` (released figures only), with
    Skolverket's assessment and places from the planning basis ('–' where it has none)."""
    if report.supply_demand is None:
        return []
    return [
        SummaryRow(
            row.programme_code,
            number(row.supply),
            number(row.demand),
            number(row.gap),
            number(row.scenario_supply),
            number(row.scenario_gap),
            _assessment(None if row.basis is None else row.basis.assessment),
            "–" if row.basis is None or row.basis.places is None else number(row.basis.places),
        )
        for row in report.comparison
        if row.year == year
    ]


def _specs(report: PlanningReport) -> tuple[dict[str, object], dict[str, object]]:
    forecast_rows = report.forecast.rows() if report.forecast else []
    supply_rows = report.supply_demand.rows() if report.supply_demand else []
    return (
        charts.forecast_chart(forecast_rows, report.names, width=EXPORT_WIDTH),
        charts.gap_chart(
            supply_rows,
            width=EXPORT_WIDTH,
            names={r.programme_code: r.programme for r in report.comparison if r.programme},
        ),
    )


def planning_pdf(report: PlanningReport) -> bytes:
    """An A4 PDF summary in Swedish with the charts as SVG and the figures as tables."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)
    from weasyprint import HTML  # noqa: PLC0415 (heavy import, only when exporting)

    forecast_spec, gap_spec = _specs(report)
    first = report.years[0] if report.years else None
    html = render_to_string(
        "planning/summary_pdf.html",
        {
            "report": report,
            "forecast_svg": vl_convert.vegalite_to_svg(forecast_spec),
            "gap_svg": vl_convert.vegalite_to_svg(gap_spec),
            "first_year": first,
            "rows": summary_rows(report, first) if first else [],
            "totals": [(t.year, number(t.cohort)) for t in report.totals],
        },
    )
    return bytes(HTML(string=html).write_pdf() or b"")


def planning_pptx(report: PlanningReport) -> bytes:
    """Slides: title, forecast chart and table, gap chart, supply and demand per programme."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)
    from pptx import Presentation  # noqa: PLC0415
    from pptx.util import Inches  # noqa: PLC0415

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title = deck.slides.add_slide(deck.slide_layouts[0])
    _place_title(title, f"Planering och dimensionering – {report.region.name}", top=2.0, size=36)
    subtitle = title.placeholders[1]
    subtitle.left, subtitle.top = Inches(0.4), Inches(3.8)
    subtitle.width, subtitle.height = Inches(12.5), Inches(1.2)
    subtitle.text = (
        f"Underlag för nätverksmötet. Basår {report.from_year}; "
        f"övergångsandel {number(report.transition_rate, 2)}."
    )
    forecast_spec, gap_spec = _specs(report)
    for heading, spec in (
        ("Framskrivna 16-åringar", forecast_spec),
        ("Platser minus efterfrågan per program", gap_spec),
    ):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        _place_title(slide, heading)
        png = vl_convert.vegalite_to_png(spec, scale=2)
        picture = slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.4))
        ratio = min(Inches(12.1) / picture.width, Inches(5.8) / picture.height)
        picture.width = int(picture.width * ratio)
        picture.height = int(picture.height * ratio)
    _table_slide(
        deck, "16-åringar per år (regionen)", ["År", "16-åringar"],
        [[str(t.year), number(t.cohort)] for t in report.totals],
    )  # fmt: skip
    first = report.years[0] if report.years else None
    rows = summary_rows(report, first) if first else []
    header = ["Program", "Platser", "Efterfrågan", "Skillnad", "Platser (scenario)",
              "Skillnad (scenario)", "Skolverkets bedömning", "Platser (Skolverket)"]  # fmt: skip
    for start in range(0, len(rows), _ROWS_PER_SLIDE):
        chunk = rows[start : start + _ROWS_PER_SLIDE]
        cells = [[r.programme_code, r.supply, r.demand, r.gap, r.scenario_supply, r.scenario_gap,
                  r.basis_assessment, r.basis_places] for r in chunk]  # fmt: skip
        _table_slide(deck, f"Platser och efterfrågan {first}", header, cells)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _place_title(slide: Any, text: str, *, top: float = 0.25, size: int = 26) -> None:
    """The title across the 16:9 slide (the default template places it for a 4:3 slide, so a
    long title ran into the picture or table below it)."""
    from pptx.util import Inches, Pt  # noqa: PLC0415 (heavy import, only when exporting)

    title = slide.shapes.title
    title.left, title.top = Inches(0.4), Inches(top)
    title.width, title.height = Inches(12.5), Inches(1.0 if top < 1 else 1.6)
    title.text = text
    title.text_frame.word_wrap = True
    for paragraph in title.text_frame.paragraphs:
        paragraph.font.size = Pt(size)


def _table_slide(deck: Any, heading: str, header: list[str], rows: list[list[str]]) -> None:
    """A slide with a heading and a native table of ``rows`` under ``header``: rows of a fixed
    height at 12 pt, so 12 rows and the header fit under the title (1.4 + 13 x 0.4 in)."""
    from pptx.util import Inches, Pt  # noqa: PLC0415 (heavy import, only when exporting)

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _place_title(slide, heading)
    size = (len(rows) + 1, len(header))
    height = Inches(0.4) * size[0]
    shape = slide.shapes.add_table(*size, Inches(0.6), Inches(1.4), Inches(12), height)
    table = shape.table
    for index in range(size[0]):
        table.rows[index].height = Inches(0.4)
    for column, text in enumerate(header):
        table.cell(0, column).text = text
        table.cell(0, column).text_frame.paragraphs[0].font.size = Pt(12)
    for row_index, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            cell.text = text
            cell.text_frame.paragraphs[0].font.size = Pt(12)
