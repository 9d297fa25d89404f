"""Municipality boundaries shipped with the organisations app, read once per process."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

BOUNDARIES = (
    Path(__file__).resolve().parents[2]
    / "organisations"
    / "reference_data"
    / "municipalities.geojson"
)


@lru_cache(maxsize=1)
def _features() -> dict[str, dict[str, Any]]:
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    return {str(f["properties"]["code"]): f for f in data["features"]}


def _area(ring: list[list[float]]) -> float:
    """Twice the signed planar area of a ring (positive: counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_a), (x1, y1, *_b) in itertools.pairwise(ring))


def _polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    # d3-geo (Vega's projection) reads a clockwise exterior as the shape and a counter-clockwise
    # one as the rest of the globe; RFC 7946 files wind the other way, so rewind explicitly.
    wound = []
    for index, ring in enumerate(rings):
        clockwise = _area(ring) < 0
        wanted = index == 0
        wound.append(ring if clockwise == wanted else ring[::-1])
    return wound


@lru_cache(maxsize=512)
def _geometry(code: str) -> dict[str, Any]:
    geometry = _features()[code]["geometry"]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [_polygon(p) for p in geometry["coordinates"]],
        }
    return dict(geometry)


def municipality_features(codes: Iterable[str]) -> list[dict[str, Any]]:
    """GeoJSON features (copies of the shipped ones, wound for d3-geo) of ``codes``."""
    features = _features()
    return [
        {
            "type": "Feature",
            "geometry": _geometry(c),
            "properties": dict(features[c]["properties"]),
        }
        for c in sorted(set(codes))
        if c in features
    ]


_DEGENERATE = 1e-12
"""A ring with less (doubled) area than this, in square degrees, has no usable centroid."""


def _centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """The planar centroid and absolute area of a ring (lon/lat are close enough to planar
    over one municipality for placing a label)."""
    area = _area(ring)
    if abs(area) < _DEGENERATE:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    cx = sum(
        (x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0, *_a), (x1, y1, *_b) in itertools.pairwise(ring)
    )
    cy = sum(
        (y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0, *_a), (x1, y1, *_b) in itertools.pairwise(ring)
    )
    return cx / (3 * area), cy / (3 * area), abs(area)


@lru_cache(maxsize=512)
def _label_point(code: str) -> tuple[float, float]:
    geometry = _features()[code]["geometry"]
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    points = [_centroid(polygon[0]) for polygon in polygons]
    lon, lat, _size = max(points, key=lambda p: p[2])  # the largest part (not an island)
    return lon, lat


def municipality_label_points(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Where to write each municipality's name on a map: the centroid (longitude, latitude) of
    its largest polygon, for ``codes`` with a shipped boundary."""
    features = _features()
    return {c: _label_point(c) for c in sorted(set(codes)) if c in features}
