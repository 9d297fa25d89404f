"""Vega-Lite specification of the adjusted-results chart, built from released rows only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from likvard.analyses.equity.charts import Row, Spec, _base, _year_label
from likvard_core.analytics.adjusted.model import Outcome

_SHARES = (Outcome.SHARE_PASSING_ALL, Outcome.SHARE_DIPLOMA)
PROGRAMME_LABELS = {
    "preparatory": "högskoleförberedande",
    "vocational": "yrkesprogram",
    "introduction": "introduktionsprogram",
}


def residual_chart(rows: Sequence[Row], names: Mapping[str, str], *, outcome: Outcome) -> Spec:
    """Each school's residual (actual minus model value) with its 95 % prediction interval."""
    scale = 100.0 if outcome in _SHARES else 1.0
    values = []
    for r in rows:
        if r.get("residual") is None or r.get("model_value") is None:
            continue
        model = float(str(r["model_value"]))
        kind = PROGRAMME_LABELS.get(str(r.get("programme_type", "")), "")
        values.append(
            {
                "rad": " ".join(
                    part
                    for part in (
                        names.get(str(r["school_unit_code"]), str(r["school_unit_code"])),
                        kind,
                        _year_label(r["school_year"]),
                    )
                    if part
                ),
                "avvikelse": float(str(r["residual"])) * scale,
                "låg": (float(str(r["prediction_low"])) - model) * scale,
                "hög": (float(str(r["prediction_high"])) - model) * scale,
                "bedömning": "Utanför intervallet" if r.get("deviation") else "Inom intervallet",
            }
        )
    unit = "procentenheter" if scale > 1 else "poäng"
    spec = _base(
        "Skolans resultat minus modellvärdet",
        f"Avvikelse i {unit}; strecket är 95-procentigt prediktionsintervall kring modellvärdet "
        "(noll). Utanför strecket förklarar elevsammansättningen inte resultatet.",
        values,
    )
    spec["height"] = {"step": 20}
    y = {"field": "rad", "type": "nominal", "title": None, "sort": None}
    x = {"type": "quantitative", "title": f"Avvikelse ({unit})"}
    spec["layer"] = [
        {"mark": {"type": "rule", "color": "#666"}, "encoding": {"x": {"datum": 0}}},
        {
            "mark": {"type": "rule", "opacity": 0.6},
            "encoding": {"y": y, "x": {"field": "låg", **x}, "x2": {"field": "hög"}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "y": y,
                "x": {"field": "avvikelse", **x},
                "shape": {"field": "bedömning", "type": "nominal", "title": None},
                "color": {"field": "bedömning", "type": "nominal", "title": None},
                "tooltip": [{"field": "rad"}, {"field": "avvikelse", "format": ".1f"}],
            },
        },
    ]
    return spec
