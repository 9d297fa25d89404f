"""Vega-Lite specifications of the completion charts, built from released rows only.

Width from the container, fixed height; every chart has a table with the same figures on the
page.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from likvard.access.release import Released
from likvard.exports.charts import Spec, chart_spec
from likvard.organisations.labels import school_year_label

HEIGHT = 240


def _percent(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(str(value)) * 100, 1)


def _lines(values: list[dict[str, object]], x_title: str, x_type: str) -> dict[str, object]:
    return {
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "x", "type": x_type, "title": x_title},
            "y": {
                "field": "procent",
                "type": "quantitative",
                "title": _("Percent"),
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "mått",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom", "columns": 1, "labelLimit": 300},
            },
            "tooltip": [
                {"field": "mått", "type": "nominal", "title": _("Measure")},
                {"field": "x", "type": x_type, "title": x_title},
                {"field": "procent", "type": "quantitative", "title": _("Percent")},
            ],
        },
    }


def completion_trend(overview: list[dict[str, object]]) -> Spec:
    """Diploma within 3 years (national programmes), 4 and 5 years (all starters) per start
    year, in percent, from the region's released total rows."""
    measures = (
        ("national", "diploma_3_share", _("Diploma within 3 years, national programmes")),
        ("all", "diploma_4_share", _("Diploma within 4 years, all starters")),
        ("all", "diploma_5_share", _("Diploma within 5 years, all starters")),
    )
    values: list[dict[str, object]] = []
    for group, column, label in measures:
        for row in overview:
            value = _percent(row.get(column)) if row["programme_group"] == group else None
            if value is not None:
                values.append(
                    {
                        "x": school_year_label(str(row["start_year"])),
                        "procent": value,
                        "mått": label,
                    }
                )
    spec = chart_spec(_("Diploma within 3, 4 and 5 years"), values, height=HEIGHT)
    spec.update(_lines(values, _("Start (school year)"), "ordinal"))
    return spec


def evaluation(released: Released) -> Spec:
    """Precision and recall of a one-term level against the level, in percent."""
    values: list[dict[str, object]] = []
    for row in released.rows():
        if row["kind"] != "term":
            continue
        for column, label in (("precision", _("Precision")), ("recall", _("Recall"))):
            value = _percent(row.get(column))
            if value is not None:
                threshold = round(float(str(row["threshold"])) * 100)
                values.append({"x": threshold, "procent": value, "mått": label})
    spec = chart_spec(_("Precision and recall"), values, height=HEIGHT)
    spec.update(_lines(values, _("Absence level (percent of scheduled time)"), "quantitative"))
    return spec
