"""The one chart definition of an indicator's trend, as a Vega-Lite dict.

The page renders the dict with vega-embed, the PDF export converts it to SVG and the PPTX
export to PNG with vl-convert, so all three show the same chart. Only shown figures become
data points: a suppressed year is a gap in the line, listed with its mark in the table
beside the chart. Comparison values of the basis year are drawn as labelled horizontal rules.
"""

from __future__ import annotations

from typing import Any

from likvard_core.quality.basis import IndicatorBlock
from likvard_core.quality.catalogue_model import Unit

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
OWN_COLOUR = "#1f5f8b"  # contrast 7:1 on white
COMPARISON_COLOUR = "#6b4c00"


def _axis_title(block: IndicatorBlock) -> str:
    return {Unit.PERCENT: "Andel (%)", Unit.POINTS: "Poäng", Unit.RATIO: "Kvot"}[
        block.indicator.unit
    ]


def chart_rows(block: IndicatorBlock) -> list[dict[str, Any]]:
    """The chart's data: one row per shown yearly value and per shown comparison."""
    rows: list[dict[str, Any]] = [
        {"serie": "Eget värde", "läsår": p.school_year, "värde": p.figure.value}
        for p in block.trend
        if p.figure.shown
    ]
    year = block.trend[-1].school_year if block.trend else None
    rows += [
        {"serie": c.label_sv.capitalize(), "läsår": year, "värde": c.figure.value}
        for c in block.comparisons
        if c.figure.shown and year is not None
    ]
    return rows


def trend_chart(block: IndicatorBlock, *, width: int = 420, height: int = 220) -> dict[str, Any]:
    """A Vega-Lite line chart of ``block``'s own yearly values with its comparisons.

    Swedish titles, decimal comma (``format`` locale is set by the renderer), no colour-only
    meaning: the comparisons are points with a shape per series and a legend.
    """
    rows = chart_rows(block)
    years = [p.school_year for p in block.trend]
    axis = _axis_title(block)
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": block.indicator.name, "fontSize": 13, "anchor": "start"},
        "description": f"Utveckling över tid: {block.indicator.name}",
        "width": width,
        "height": height,
        "data": {"values": rows},
        "layer": [
            {
                "transform": [{"filter": "datum.serie === 'Eget värde'"}],
                "mark": {"type": "line", "point": True, "color": OWN_COLOUR},
                "encoding": {
                    "x": {
                        "field": "läsår",
                        "type": "ordinal",
                        "title": "Läsår (vårtermin)",
                        "scale": {"domain": years},
                    },
                    "y": {"field": "värde", "type": "quantitative", "title": axis},
                    "tooltip": [
                        {"field": "läsår", "type": "ordinal", "title": "Läsår"},
                        {"field": "värde", "type": "quantitative", "title": axis, "format": ".1f"},
                    ],
                },
            },
            {
                "transform": [{"filter": "datum.serie !== 'Eget värde'"}],
                "mark": {"type": "point", "filled": True, "size": 80, "color": COMPARISON_COLOUR},
                "encoding": {
                    "x": {"field": "läsår", "type": "ordinal", "scale": {"domain": years}},
                    "y": {"field": "värde", "type": "quantitative"},
                    "shape": {"field": "serie", "type": "nominal", "title": "Jämförelse"},
                    "tooltip": [
                        {"field": "serie", "type": "nominal", "title": "Jämförelse"},
                        {"field": "värde", "type": "quantitative", "title": axis, "format": ".1f"},
                    ],
                },
            },
        ],
        "config": {"font": "DejaVu Sans", "view": {"stroke": None}},
    }


def chart_svg(spec: dict[str, Any]) -> str:
    """``spec`` rendered to SVG (vector, for the PDF)."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)

    return str(vl_convert.vegalite_to_svg(spec))


def chart_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """``spec`` rendered to PNG (for the PPTX)."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)

    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))
