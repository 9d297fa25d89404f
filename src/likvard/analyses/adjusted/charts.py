"""Vega-Lite specifications of the adjusted-results charts, built from released rows only.

Both charts take their width from their container and have a fixed height, so they never
grow with the number of schools; colours and legend come from the one assessment of each row
(``labels.assessment_of`` via ``rows.ResultRow``), the same as the table's.
"""

from __future__ import annotations

from collections.abc import Sequence

from likvard.analyses.adjusted.labels import ASSESSMENT_COLOURS, ASSESSMENT_LABELS
from likvard.analyses.adjusted.rows import ResultRow
from likvard.exports.charts import Spec, chart_spec
from likvard_core.analytics.adjusted.model import SHARE_OUTCOMES, Outcome

OVERVIEW_HEIGHT = 260
SCHOOL_HEIGHT = 240
FONT_PX = 13
"""Every label, title and legend entry of the two charts (issue #16: Vega's 10 px legend and
the shared 12 px axes read small beside the page's 16 px text, at 1280 px and on a phone)."""


def _readable(spec: Spec) -> Spec:
    """Labels, axis titles and legend at ``FONT_PX`` (the chart's title stays at 14 px), the
    legend's symbols to match; two legends below the chart one under the other, not side by
    side past a phone's edge (the assessments and the programme types)."""
    spec["config"] = {
        "axis": {"labelFontSize": FONT_PX, "titleFontSize": FONT_PX},
        "legend": {
            "labelFontSize": FONT_PX,
            "titleFontSize": FONT_PX,
            "symbolSize": 120,
            "layout": {"bottom": {"anchor": "start", "direction": "vertical"}},
        },
    }
    return spec


def _legend() -> dict[str, object]:
    shown = list(ASSESSMENT_COLOURS)
    return {
        "field": "bedömning",
        "type": "nominal",
        "title": None,
        "scale": {
            "domain": [str(ASSESSMENT_LABELS[key]) for key in shown],
            "range": [ASSESSMENT_COLOURS[key] for key in shown],
        },
        "legend": {"orient": "bottom", "columns": 2, "labelLimit": 220},
    }


def overview_chart(rows: Sequence[ResultRow], *, outcome: Outcome) -> Spec:
    """One year's schools sorted by residual: each a dot with its 95 % interval around zero."""
    scale = 100.0 if outcome in SHARE_OUTCOMES else 1.0
    shown = sorted(
        (r for r in rows if not r.hidden and r.residual is not None and r.model_value is not None),
        key=lambda r: r.residual_or0,
    )
    values = [
        {
            "ordning": index,
            "skola": " ".join(p for p in (r.name, r.programme_label) if p),
            "kommun": r.municipality,
            "avvikelse": round(r.residual_or0 * scale, 2),
            "låg": round(((r.low or 0.0) - (r.model_value or 0.0)) * scale, 2),
            "hög": round(((r.high or 0.0) - (r.model_value or 0.0)) * scale, 2),
            "bedömning": r.assessment_label,
        }
        for index, r in enumerate(shown, start=1)
    ]
    unit = "procentenheter" if scale > 1 else "poäng"
    spec = chart_spec(
        "Avvikelse från modellvärdet per skola",
        values,
        description=(
            f"Varje skola är en punkt: resultat minus modellvärde i {unit}, med 95-procentigt "
            "prediktionsintervall. Punkter utanför sitt streck avviker mer än "
            "elevsammansättningen förklarar; grå skolor ingår inte i modellen."
        ),
        height=OVERVIEW_HEIGHT,
    )
    x = {
        "field": "ordning",
        "type": "quantitative",
        "title": "Skolor, från lägst till högst avvikelse",
        "axis": {"labels": False, "ticks": False, "grid": False},
        # Half a step of room at either end: the first and last school off the frame's edge.
        "scale": {"domain": [0.5, len(values) + 0.5], "nice": False, "zero": False},
    }
    y_title = f"Avvikelse ({unit})"
    tooltip = [
        {"field": "skola", "title": "Skola"},
        {"field": "kommun", "title": "Kommun"},
        {"field": "avvikelse", "title": y_title, "format": ".1f"},
        {"field": "bedömning", "title": "Bedömning"},
    ]
    spec["layer"] = [
        {"mark": {"type": "rule", "color": "#666"}, "encoding": {"y": {"datum": 0}}},
        {
            "mark": {"type": "rule", "opacity": 0.45},
            "encoding": {
                "x": x,
                "y": {"field": "låg", "type": "quantitative", "title": y_title},
                "y2": {"field": "hög"},
                "color": _legend(),
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 36},
            "encoding": {
                "x": x,
                "y": {"field": "avvikelse", "type": "quantitative", "title": y_title},
                "color": _legend(),
                "tooltip": tooltip,
            },
        },
    ]
    return _readable(spec)


def _programme_encodings(values: list[dict[str, object]]) -> dict[str, object]:
    """Side by side within a school year, each programme type its own shape (with a legend),
    when the rows carry programme types (upper secondary); nothing for year 9."""
    if not any(v["program"] for v in values):
        return {}
    return {
        "xOffset": {"field": "program", "type": "nominal"},
        "shape": {
            "field": "program",
            "type": "nominal",
            "title": None,
            "legend": {"orient": "bottom", "columns": 1, "labelLimit": 320},
        },
    }


def school_chart(rows: Sequence[ResultRow], *, outcome: Outcome) -> Spec:
    """One school's result per year (coloured by assessment) against its model value and
    interval (grey band); for upper secondary each programme type side by side in its year,
    told apart by shape. The axis names the school year alone: the year and programme type
    together ("2017/18 Högskoleförberedande program") were cut at any width."""
    scale = 100.0 if outcome in SHARE_OUTCOMES else 1.0
    values = [
        {
            "läsår": r.year_label,
            "program": r.programme_label,
            "resultat": round((r.actual or 0.0) * scale, 2),
            "modellvärde": round((r.model_value or 0.0) * scale, 2),
            "låg": round((r.low or 0.0) * scale, 2),
            "hög": round((r.high or 0.0) * scale, 2),
            "bedömning": r.assessment_label,
        }
        for r in rows
        if not r.hidden and r.actual is not None and r.model_value is not None
    ]
    unit = "procent" if scale > 1 else "poäng"
    spec = chart_spec(
        "Skolans resultat och modellvärde per läsår",
        values,
        description="Grått streck: 95-procentigt prediktionsintervall kring modellvärdet (ring). "
        "Punkten är skolans resultat.",
        height=SCHOOL_HEIGHT,
    )
    x = {"field": "läsår", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}}
    offset = _programme_encodings(values)
    side = {k: v for k, v in offset.items() if k == "xOffset"}
    y_title = f"Resultat ({unit})"
    y_scale: dict[str, object] = {"domain": [0, 100]} if scale > 1 else {"zero": False}
    tooltip = [
        {"field": "läsår", "title": "Läsår"},
        *([{"field": "program", "title": "Programtyp"}] if offset else []),
        {"field": "resultat", "title": "Resultat", "format": ".1f"},
        {"field": "modellvärde", "title": "Modellvärde", "format": ".1f"},
        {"field": "bedömning", "title": "Bedömning"},
    ]
    spec["layer"] = [
        {
            "mark": {"type": "rule", "strokeWidth": 6, "opacity": 0.25, "color": "#666"},
            "encoding": {
                "x": x,
                **side,
                "y": {"field": "låg", "type": "quantitative", "title": y_title, "scale": y_scale},
                "y2": {"field": "hög"},
            },
        },
        {
            "mark": {"type": "point", "filled": False, "size": 60, "color": "#333"},
            "encoding": {"x": x, **side, "y": {"field": "modellvärde", "type": "quantitative"}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 80},
            "encoding": {
                "x": x,
                **offset,
                "y": {"field": "resultat", "type": "quantitative"},
                "color": _legend(),
                "tooltip": tooltip,
            },
        },
    ]
    return _readable(spec)
