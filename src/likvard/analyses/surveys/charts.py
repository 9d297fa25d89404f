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
            # 20 colours: a region has more than the default ten municipalities (GR has 13)
            "scale": {"scheme": "tableau20"},
            "legend": {"orient": "bottom", "columns": 2},
        },
        "tooltip": [{"field": "kommun"}, {"field": "index"}, {"field": "varde"}],
    }
    spec["height"] = 40 * len(version.indices)
    return spec


LABEL_GAP = 0.6
"""The least vertical distance between two labels on the same side, in index points (0-10 over
``HEIGHT`` px: about 15 px, a line of 11 px text)."""


def _label_places(values: list[dict[str, object]]) -> None:
    """Where each point's label goes: ``sida`` "left" of the point in the right half of the
    effect axis (so that no label runs past the plot's right edge), "right" of it otherwise;
    ``etikett`` the label's height, moved apart from the labels beside it on the same side
    so that no two overlap (index and effect stay where they are)."""
    effects = [float(str(v["effekt"])) for v in values]
    middle = (min(effects, default=0.0) + max(effects, default=0.0)) / 2
    for value in values:
        value["sida"] = "left" if float(str(value["effekt"])) >= middle else "right"
        value["etikett"] = value["varde"]
    for side in ("left", "right"):
        placed: list[dict[str, object]] = []
        for value in sorted(
            (v for v in values if v["sida"] == side), key=lambda v: float(str(v["varde"]))
        ):
            if placed:
                floor = float(str(placed[-1]["etikett"])) + LABEL_GAP
                value["etikett"] = round(max(float(str(value["varde"])), floor), 2)
            placed.append(value)
        overflow = float(str(placed[-1]["etikett"])) - 10 if placed else 0.0
        if overflow > 0:  # pushed above the top: move the whole column down
            for value in placed:
                value["etikett"] = round(float(str(value["etikett"])) - overflow, 2)


def priority_matrix(released: Released, version: SurveyVersion) -> Spec:
    """Index (0-10) against its correlation with the overall index: bottom right first.

    The effect axis is padded so that no point sits on the frame, with a handful of ticks; each
    label keeps inside the plot and clear of the others (``_label_places``)."""
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
    _label_places(values)
    spec = chart_spec(_("Priority matrix: effect against index"), values, height=HEIGHT)
    x: dict[str, object] = {"field": "effekt", "type": "quantitative"}
    y: dict[str, object] = {"field": "varde", "type": "quantitative", "scale": {"domain": [0, 10]}}
    points: dict[str, object] = {
        "x": x
        | {
            "title": _("Effect (correlation with the overall index)"),
            "scale": {"zero": False, "nice": False, "padding": 24},
            "axis": {"tickCount": 4, "format": ".2f"},
        },
        "y": y | {"title": _("Index (0-10)")},
        "tooltip": [{"field": "index"}, {"field": "varde"}, {"field": "effekt"}],
    }
    spec["layer"] = [
        {
            "mark": {"type": "point", "filled": True, "size": 80},
            "encoding": points,
        },
        *(
            {
                "transform": [{"filter": {"field": "sida", "equal": side}}],
                "mark": {"type": "text", "align": align, "dx": dx, "fontSize": 11},
                "encoding": {"x": x, "y": y | {"field": "etikett"}, "text": {"field": "index"}},
            }
            for side, align, dx in (("right", "left", 7), ("left", "right", -7))
        ),
    ]
    return spec
