"""Vega-Lite specifications of the survey charts, built from released rows only.

Width from the container, fixed height; every chart has a table with the same figures.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from likvard.access.release import Released
from likvard.exports.charts import Spec, chart_spec
from likvard_core.analytics.surveys.definition import Method, SurveyVersion

HEIGHT = 260


def _scaled(version: SurveyVersion, key: str, value: object) -> float | None:
    """An index value on 0-10 (a 0-100 index divided by ten), or None."""
    if value is None:
        return None
    method = next(i.method for i in version.indices if i.key == key)
    number = float(str(value))
    return round(number / 10 if method is Method.WEIGHTED_100 else number, 2)


def index_by_municipality(
    released: Released, names: dict[str, str], version: SurveyVersion
) -> Spec:
    """Each index per municipality (0-10; hidden figures left out), as dots per index."""
    labels = {i.key: i.name for i in version.indices}
    values: list[dict[str, object]] = [
        {
            "kommun": names.get(str(row["municipality_code"]), str(row["municipality_code"])),
            "index": labels[str(row["index_key"])],
            "varde": _scaled(version, str(row["index_key"]), row["index_value"]),
        }
        for row in released.rows()
        if row.get("year_group") is None
        and row.get("gender") is None
        and row["index_value"] is not None
    ]
    spec = chart_spec(_("Index per municipality (0-10)"), values, height=HEIGHT)
    spec["mark"] = {"type": "point", "filled": True, "size": 60}
    spec["encoding"] = {
        "y": {"field": "index", "type": "nominal", "title": None},
        "x": {
            "field": "varde",
            "type": "quantitative",
            "title": _("Index (0-10)"),
            "scale": {"domain": [0, 10]},
        },
        "color": {
            "field": "kommun",
            "type": "nominal",
            "title": _("Municipality"),
            "legend": {"orient": "bottom", "columns": 2},
        },
        "tooltip": [{"field": "kommun"}, {"field": "index"}, {"field": "varde"}],
    }
    spec["height"] = 40 * len(version.indices)
    return spec


def priority_matrix(released: Released, version: SurveyVersion) -> Spec:
    """Index (0-10) against its correlation with the overall index: bottom right first."""
    labels = {i.key: i.name for i in version.indices}
    values: list[dict[str, object]] = [
        {
            "index": labels.get(str(row["index_key"]), str(row["index_key"])),
            "varde": _scaled(version, str(row["index_key"]), row["index_value"]),
            "effekt": round(float(str(row["effect"])), 2),
        }
        for row in released.rows()
        if row["index_value"] is not None and row["effect"] is not None
    ]
    spec = chart_spec(_("Priority matrix: effect against index"), values, height=HEIGHT)
    spec["layer"] = [
        {
            "mark": {"type": "point", "filled": True, "size": 80},
            "encoding": {
                "x": {
                    "field": "effekt",
                    "type": "quantitative",
                    "title": _("Effect (correlation with the overall index)"),
                    "scale": {"zero": False},
                },
                "y": {
                    "field": "varde",
                    "type": "quantitative",
                    "title": _("Index (0-10)"),
                    "scale": {"domain": [0, 10]},
                },
                "tooltip": [{"field": "index"}, {"field": "varde"}, {"field": "effekt"}],
            },
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11},
            "encoding": {
                "x": {"field": "effekt", "type": "quantitative"},
                "y": {"field": "varde", "type": "quantitative"},
                "text": {"field": "index"},
            },
        },
    ]
    return spec
