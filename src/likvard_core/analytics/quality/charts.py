"""The one chart definition of an indicator's trend, as a Vega-Lite dict.

The page renders the dict with vega-embed, the PDF export converts it to SVG and the PPTX
export to PNG with vl-convert, so all three show the same chart. Only shown figures become
data points: a suppressed year is a gap in the line, listed with its mark in the table
beside the chart. Comparison values of the basis year are drawn as labelled horizontal rules.
"""

from __future__ import annotations

from typing import Any

from likvard_core.analytics.quality.basis import IndicatorBlock
from likvard_core.analytics.quality.catalogue_model import Unit
from likvard_core.terms import school_year_label

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
OWN_COLOUR = "#1f5f8b"  # contrast 7:1 on white
COMPARISON_COLOUR = "#6b4c00"


def _axis_title(block: IndicatorBlock) -> str:
    return {Unit.PERCENT: "Andel (%)", Unit.POINTS: "Poäng", Unit.RATIO: "Kvot"}[
        block.indicator.unit
    ]


COMPARISON_COLOURS = ("#6b4c00", "#8a1c7c", "#1d6b3a", "#a4161a", "#4a5560", "#5b3f9e")
"""One colour per comparison (each 4.5:1 or more on white), paired with a shape."""
COMPARISON_SHAPES = ("diamond", "square", "triangle-up", "cross", "triangle-down", "circle")
OFFSET_PX = 7
"""Pixels between the comparison markers of the basis year, so none hides another."""


def own_series(block: IndicatorBlock) -> str:
    """The legend name of the trend line: the subject's own, or whose figures it holds."""
    return block.trend_of_sv or "Eget värde"


def chart_rows(block: IndicatorBlock) -> list[dict[str, Any]]:
    """The chart's data: one row per shown yearly value and per shown comparison.

    Each comparison of the basis year gets its own pixel offset (``förskjutning``), colour
    and shape, so comparisons with close values stay apart and readable in the legend.
    """
    own = own_series(block)
    rows: list[dict[str, Any]] = [
        {
            "serie": own,
            "läsår": school_year_label(p.school_year),
            "värde": p.figure.value,
            "förskjutning": 0,
        }
        for p in block.trend
        if p.figure.shown
    ]
    year = school_year_label(block.trend[-1].school_year) if block.trend else None
    shown = [c for c in block.comparisons if c.figure.shown and year is not None]
    rows += [
        {
            "serie": c.label_sv[:1].upper() + c.label_sv[1:],
            "läsår": year,
            "värde": c.figure.value,
            "förskjutning": OFFSET_PX * (i - (len(shown) - 1) / 2),
        }
        for i, c in enumerate(shown)
    ]
    return rows


def trend_chart(
    block: IndicatorBlock, *, width: int | str = 420, height: int = 220
) -> dict[str, Any]:
    """A Vega-Lite line chart of ``block``'s own yearly values with its comparisons.

    Swedish titles, decimal comma (``format`` locale is set by the renderer), no colour-only
    meaning: each comparison is a point of its own colour and shape, set beside the others
    at the basis year, named in the legend below the chart. ``width`` may be
    ``"container"`` (the page: the chart fills its box).
    """
    rows = chart_rows(block)
    years = [school_year_label(p.school_year) for p in block.trend]
    axis = _axis_title(block)
    own = own_series(block)
    series = [own, *dict.fromkeys(r["serie"] for r in rows if r["serie"] != own)]
    colours = [OWN_COLOUR, *COMPARISON_COLOURS][: len(series)]
    shapes = ["circle", *COMPARISON_SHAPES][: len(series)]
    legend = {"title": None, "orient": "bottom", "columns": 1, "labelLimit": 260}
    x = {
        "field": "läsår",
        "type": "ordinal",
        "title": "Läsår",
        "scale": {"domain": years, "padding": 0.8},
        "axis": {"labelAngle": 0, "labelOverlap": True},
    }
    tooltip = [
        {"field": "serie", "type": "nominal", "title": "Serie"},
        {"field": "läsår", "type": "ordinal", "title": "Läsår"},
        {"field": "värde", "type": "quantitative", "title": axis, "format": ".1f"},
    ]
    colour = {"field": "serie", "type": "nominal", "scale": {"domain": series, "range": colours},
              "legend": legend}  # fmt: skip
    shape = {"field": "serie", "type": "nominal", "scale": {"domain": series, "range": shapes},
             "legend": legend}  # fmt: skip
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"Utveckling över tid: {block.indicator.name}",
        "width": width,
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": rows},
        "encoding": {
            "x": x,
            "y": {
                "field": "värde",
                "type": "quantitative",
                "title": axis,
                "scale": {"zero": False},
            },
            "color": colour,
            "shape": shape,
            "tooltip": tooltip,
        },
        "layer": [
            {
                "transform": [{"filter": {"field": "serie", "equal": own}}],
                "mark": {"type": "line", "point": True, "color": OWN_COLOUR},
            },
            {
                "transform": [{"filter": {"not": {"field": "serie", "equal": own}}}],
                "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
                "encoding": {
                    "xOffset": {"field": "förskjutning", "type": "quantitative", "scale": None}
                },
            },
        ],
        "config": {"font": "DejaVu Sans", "view": {"stroke": None}},
    }
