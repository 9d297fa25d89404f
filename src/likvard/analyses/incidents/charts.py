"""Vega-Lite specifications of the incident charts, built from released rows only.

Width from the container, fixed height; every chart has a table with the same figures on the
page.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from likvard.exports.charts import Spec, chart_spec
from likvard.organisations.labels import school_year_label

HEIGHT = 220
STAGE_LABELS = {
    "not_investigated": gettext_noop("Not investigated"),
    "investigating": gettext_noop("Investigated, no measures yet"),
    "measures_taken": gettext_noop("Measures taken, open"),
    "closed": gettext_noop("Closed"),
}


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(str(value))


def trend(totals: list[dict[str, object]]) -> Spec:
    """Reports per 100 students per school year, from the region's released total rows."""
    values = [
        {"x": school_year_label(str(r["school_year"])), "y": round(v, 2)}
        for r in totals
        if (v := _number(r.get("per_100"))) is not None
    ]
    spec = chart_spec(_("Reports per 100 students"), values, height=HEIGHT)
    spec.update(
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "x", "type": "ordinal", "title": _("School year")},
                "y": {"field": "y", "type": "quantitative", "title": _("Per 100 students")},
                "tooltip": [
                    {"field": "x", "type": "ordinal", "title": _("School year")},
                    {"field": "y", "type": "quantitative", "title": _("Per 100 students")},
                ],
            },
        }
    )
    return spec


def stages(totals: list[dict[str, object]]) -> Spec:
    """How far the year's reports have come, stacked, per school year (counts)."""
    values = []
    for row in totals:
        for order, (column, msgid) in enumerate(STAGE_LABELS.items()):
            value = _number(row.get(column))
            if value is not None:
                values.append(
                    {
                        "x": school_year_label(str(row["school_year"])),
                        "y": int(value),
                        "steg": _(msgid),
                        "ordning": order,
                    }
                )
    spec = chart_spec(_("Where the reports stand"), values, height=HEIGHT)
    spec.update(
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": {"field": "x", "type": "ordinal", "title": _("School year")},
                "y": {"field": "y", "type": "quantitative", "title": _("Reports")},
                "color": {
                    "field": "steg",
                    "type": "nominal",
                    "title": None,
                    "sort": [_(m) for m in STAGE_LABELS.values()],
                    "legend": {"orient": "bottom", "columns": 2, "labelLimit": 300},
                },
                "order": {"field": "ordning"},
                "tooltip": [
                    {"field": "x", "type": "ordinal", "title": _("School year")},
                    {"field": "steg", "type": "nominal", "title": _("Stage")},
                    {"field": "y", "type": "quantitative", "title": _("Reports")},
                ],
            },
        }
    )
    return spec
