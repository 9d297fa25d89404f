"""Vega-Lite specifications of the planning charts, built from released rows.

Each takes the rows a viewer may see and returns a JSON-ready dict for
``static/analyses/charts.js``; ``width`` is ``"container"`` on the page and a number in the
exports (vl-convert has no container). The page shows the same figures as tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"
Spec = dict[str, object]
Row = Mapping[str, object]

MUNICIPALITY_COLOURS: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#0b2e6f", "#f2c80f", "#00695c", "#ad1457", "#9ccc65", "#000000",
    "#ff9e80", "#5d4037", "#80deea", "#4a148c",
)  # fmt: skip
"""Twenty distinguishable colours, one per municipality in name order: Vega's default scheme
has ten, so a region of 13 municipalities got Ale and Stenungsund in the same blue."""


def municipality_colour_scale(names: Sequence[str]) -> dict[str, object]:
    """A colour scale giving each of ``names`` (sorted) its own colour (repeating only past
    twenty municipalities)."""
    domain = sorted(set(names))
    colours = [MUNICIPALITY_COLOURS[i % len(MUNICIPALITY_COLOURS)] for i in range(len(domain))]
    return {"domain": domain, "range": colours}


def forecast_chart(rows: Sequence[Row], names: Mapping[str, str], *, width: object) -> Spec:
    """Stacked bars: forecast 16-year-olds per year, one colour per municipality."""
    values = [
        {
            "kommun": names.get(str(r["municipality_code"]), str(r["municipality_code"])),
            "år": str(r["year"]),
            "sextonåringar": round(float(str(r["cohort"])), 1),
        }
        for r in rows
        if r["cohort"] is not None
    ]
    return {
        "$schema": VEGA_LITE,
        "title": "Framskrivna 16-åringar per kommun",
        "description": "Antal personer som fyller 16 år per år och kommun, framskrivet.",
        "width": width,
        "height": 280,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "år", "type": "ordinal", "title": "År"},
            "y": {
                "aggregate": "sum",
                "field": "sextonåringar",
                "type": "quantitative",
                "title": "16-åringar",
            },
            "color": {
                "field": "kommun",
                "type": "nominal",
                "title": "Kommun",
                "scale": municipality_colour_scale(list(names.values())),
                "legend": {"orient": "bottom", "columns": 3, "symbolType": "square"},
            },
            "tooltip": [
                {"field": "kommun", "type": "nominal"},
                {"field": "år", "type": "ordinal"},
                {"field": "sextonåringar", "type": "quantitative", "format": ".0f"},
            ],
        },
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }


NARROW = 600
"""Below this container width (px) the heat map shortens programme names to leave room for
the cells: at 390 px the full names took the whole width and no year column could be seen."""


def _label_limit(width: object) -> object:
    """Programme names up to 260 px, or 110 px in a narrow container (the page only; an export
    has a fixed width, where Vega has no container to measure)."""
    if width != "container":
        return 260
    return {"expr": f"containerSize()[0] > 0 && containerSize()[0] < {NARROW} ? 110 : 260"}


def gap_chart(
    rows: Sequence[Row], *, width: object, names: Mapping[str, str] | None = None
) -> Spec:
    """Heat map: places minus expected first-choice applicants per programme (by name) and
    year."""
    values = [
        {
            "program": (names or {}).get(str(r["programme_code"]), str(r["programme_code"])),
            "år": str(r["year"]),
            "överskott": round(float(str(r["scenario_gap"])), 1),
        }
        for r in rows
        if r["scenario_gap"] is not None
    ]
    return {
        "$schema": VEGA_LITE,
        # from the chart's left edge: centred over the cells it ran past a phone's screen
        "title": {
            "text": "Platser minus efterfrågan, med scenario",
            "anchor": "start",
            "frame": "bounds",
        },
        "description": "Positivt: fler platser än förväntade förstahandssökande; negativt: färre.",
        "width": width,
        "height": {"step": 16},
        "data": {"values": values},
        "mark": {"type": "rect"},
        "encoding": {
            "x": {"field": "år", "type": "ordinal", "title": "År"},
            "y": {
                "field": "program",
                "type": "nominal",
                "title": None,
                "axis": {"labelLimit": _label_limit(width)},
            },
            "color": {
                "field": "överskott",
                "type": "quantitative",
                "title": "Platser − efterfrågan",
                "scale": {"scheme": "redblue", "domainMid": 0},
                "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 200},
            },
            "tooltip": [
                {"field": "program", "type": "nominal"},
                {"field": "år", "type": "ordinal"},
                {"field": "överskott", "type": "quantitative", "format": ".0f"},
            ],
        },
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }
