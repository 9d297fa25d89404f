"""The priority matrix (#20): labels stay inside the plot and clear of each other, and the
table ranks every index on one scale (a 100-66-33-0 index as its tenth, as the chart draws it).

The demo's GR pupil survey of 2025 as the walk of 2026-12-06 saw it: Studier and Nöjdhet at
the same effect drew their labels on top of each other, Trygghet's label ran past the right
edge, and Nöjdhet (66,3 on 0-100) was ranked last as if it were 66 on 0-10.
"""

from __future__ import annotations

import itertools

from likvard.analyses.surveys.charts import priority_matrix
from likvard.analyses.surveys.rows import priority_rows
from likvard_core.analytics.surveys.registry import definition_get

SEEN = (  # index, index value, effect
    ("delaktighet", 5.7, 0.70),
    ("stimulans", 6.4, 0.69),
    ("trygghet", 6.9, 0.72),
    ("studiero", 6.7, 0.68),
    ("nojdhet", 66.3, 0.68),
)


class _Rows:
    """Stands in for a ``Released`` table: the chart and the rows read only ``rows()``."""

    def rows(self) -> list[dict[str, object]]:
        return [{"index_key": k, "index_value": v, "effect": e} for k, v, e in SEEN]


def _version():
    version = definition_get("gr-elev/2025")
    assert version is not None
    return version


def _label_layers(spec):
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]


def test_labels_of_points_at_the_right_edge_go_to_their_left():
    spec = priority_matrix(_Rows(), _version())  # type: ignore[arg-type]
    values = {v["index"]: v for v in spec["data"]["values"]}
    assert values["Trygghet"]["sida"] == "left"  # the highest effect: label left of the point
    left = next(x for x in _label_layers(spec) if x["transform"][0]["filter"]["equal"] == "left")
    assert left["mark"]["align"] == "right"
    assert left["mark"]["dx"] < 0


def test_labels_at_the_same_place_are_moved_apart():
    spec = priority_matrix(_Rows(), _version())  # type: ignore[arg-type]
    values = spec["data"]["values"]
    for side in ("left", "right"):
        heights = sorted(float(v["etikett"]) for v in values if v["sida"] == side)
        assert all(b - a >= 0.59 for a, b in itertools.pairwise(heights)), heights
        assert all(0 <= h <= 10 for h in heights)
    for layer in _label_layers(spec):
        assert layer["encoding"]["y"]["field"] == "etikett"
    points = spec["layer"][0]["encoding"]
    assert points["y"]["field"] == "varde"  # the points themselves stay where they are
    assert points["x"]["axis"]["tickCount"] <= 5


def test_the_table_ranks_every_index_on_one_scale():
    ranked = [r["index"] for r in priority_rows(_Rows(), _version())]  # type: ignore[arg-type]
    # effect minus index/10: Nöjdhet 0,68 - 0,663 comes before Studier 0,68 - 0,67
    assert ranked == [
        "Delaktighet",
        "Stimulans och stöd",
        "Trygghet",
        "Nöjdhet (100-66-33-0)",
        "Studiero",
    ]
