"""The Vega-Lite map of a region's municipalities (geoshape over the shipped boundaries)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from likvard.analyses.movement.geography import municipality_features, municipality_label_points

MEASURES: tuple[str, ...] = ("share", "net")


def region_map(
    *,
    names: Mapping[str, str],
    share: Mapping[str, float | None],
    net: Mapping[str, int | None],
    measure: str,
    selected: str | None = None,
) -> dict[str, object]:
    """A choropleth of the municipalities ``names``: share with another organizer (percent) or
    the net flow (incoming minus outgoing students); hidden values are grey."""
    features = municipality_features(names)
    for feature in features:
        code = feature["properties"]["code"]
        value = share.get(code)
        feature["properties"].update(
            {
                "name": names[code],
                "share": None if value is None else round(100 * value, 1),
                "net": net.get(code),
                "selected": code == selected,
            }
        )
    field = "share" if measure == "share" else "net"
    title = _("Share with another organizer (%)") if field == "share" else _("Net flow (students)")
    scale: dict[str, object] = (
        {"scheme": "blues", "domain": [0, 100]}
        if field == "share"
        else {"scheme": "redblue", "domainMid": 0}
    )
    shapes: dict[str, object] = {
        "data": {"values": features},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "invalid": None},  # hidden: grey
        "encoding": {
            "color": {
                "condition": {"test": f"datum.properties.{field} == null", "value": "#c8c8c8"},
                "field": f"properties.{field}",
                "type": "quantitative",
                "title": title,
                "scale": scale,
            },
            "stroke": {
                "condition": {"test": "datum.properties.selected", "value": "#1a1a1a"},
                "value": "#ffffff",
            },
            "strokeWidth": {
                "condition": {"test": "datum.properties.selected", "value": 3},
                "value": 0.8,
            },
            "tooltip": [
                {"field": "properties.name", "type": "nominal", "title": _("Municipality")},
                {
                    "field": "properties.share",
                    "type": "quantitative",
                    "title": _("Share with another organizer (%)"),
                },
                {
                    "field": "properties.net",
                    "type": "quantitative",
                    "title": _("Net flow (students)"),
                },
            ],
        },
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 420,
        "autosize": {"type": "fit", "contains": "padding"},
        "projection": {"type": "mercator"},
        "layer": [shapes, *name_layers(names)],
        "config": {
            # below the map, so the title has the map's whole width and never clips
            "legend": {"orient": "bottom", "titleLimit": 0, "gradientLength": 220},
        },
    }


def name_layers(names: Mapping[str, str]) -> list[dict[str, object]]:
    """Two text layers writing each municipality's name at its centroid: a white halo, then the
    name in dark grey on top, so it reads on light and dark fills alike."""
    points = municipality_label_points(names)
    values = [{"name": names[c], "lon": lon, "lat": lat} for c, (lon, lat) in points.items()]
    encoding = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
        "text": {"field": "name", "type": "nominal"},
    }
    text = {"type": "text", "fontSize": 11, "fontWeight": "bold", "tooltip": None}
    return [
        {
            "data": {"values": values},
            "mark": {**text, "stroke": "#ffffff", "strokeWidth": 3, "strokeOpacity": 0.85},
            "encoding": encoding,
        },
        {"data": {"values": values}, "mark": {**text, "fill": "#1a1a1a"}, "encoding": encoding},
    ]
