"""What a person sees on the movement pages (#16): the map names its municipalities, its legend
and the Sankey's labels fit, and hidden municipalities stay on the map in grey."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PIL import ImageFont

from likvard.analyses.movement.charts import region_map
from likvard.analyses.movement.sankey import (
    LABEL_GAP,
    LINE_HEIGHT,
    MARGIN,
    NODE_WIDTH,
    Layout,
    Link,
    PlacedNode,
    node_text,
    sankey_layout,
    text_width,
)
from likvard.analyses.movement.services.region import SANKEY_SLIDE
from tests.app.analyses.movement.sankey_world import GR, demo_links


def _map(**kwargs) -> dict:
    share = dict.fromkeys(GR, 0.5) | {"1419": None}
    return region_map(names=GR, share=share, net={}, measure="share", **kwargs)


def test_the_map_writes_every_municipality_name_on_it():
    spec = _map()
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts, "no text layer: the map names no municipality"
    for layer in texts:
        assert sorted(v["name"] for v in layer["data"]["values"]) == sorted(GR.values())
        assert {"longitude", "latitude", "text"} <= set(layer["encoding"])


def test_the_legend_title_has_room_and_hidden_municipalities_stay_grey():
    spec = _map()
    legend = spec["config"]["legend"]
    assert legend["titleLimit"] == 0  # no limit: "Andel med annan huvudman (%)" in full
    assert legend["orient"] == "bottom"
    shapes = spec["layer"][0]
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["mark"]["invalid"] is None  # a hidden share is drawn grey, not dropped
    tjorn = next(f for f in shapes["data"]["values"] if f["properties"]["code"] == "1419")
    assert tjorn["properties"]["share"] is None


def test_sankey_labels_of_the_last_stage_fit_the_drawing():
    programmes = {
        "SA": "Samhällsvetenskapsprogrammet",
        "NA": "Naturvetenskapsprogrammet",
        "BF": "Barn- och fritidsprogrammet",
    }
    links = [Link(0, "1480", "ORG", 4273), Link(1, "ORG", "UNIT", 4273)]
    links += [Link(2, "UNIT", code, 1395 + i) for i, code in enumerate(programmes)]
    labels = {(3, code): name for code, name in programmes.items()}
    layout = sankey_layout(links, stage_titles=["a", "b", "c", "d"], labels=labels)
    for node in (n for n in layout.nodes if n.stage == 3):
        right = node.x + NODE_WIDTH + LABEL_GAP + text_width(node.text, layout.font_size)
        assert right <= layout.width, f"{node.text!r} ends at {right:.0f} of {layout.width} px"
        assert node.text.startswith(node.label)  # room for the whole name


def _label_boxes(layout: Layout) -> list[tuple[PlacedNode, float, float, float, float]]:
    """Each node with its label's box (left, top, right, bottom) as drawn."""
    line = layout.font_size * LINE_HEIGHT
    boxes = []
    for node in layout.nodes:
        left = node.x + NODE_WIDTH + LABEL_GAP
        middle = node.y + node.height / 2
        right = left + text_width(node.text, layout.font_size)
        boxes.append((node, left, middle - line / 2, right, middle + line / 2))
    return boxes


@pytest.mark.parametrize("size", [{}, SANKEY_SLIDE], ids=["page", "slide"])
def test_every_sankey_label_is_inside_the_drawing_apart_and_before_the_next_column(size):
    links, labels = demo_links()
    layout = sankey_layout(links, stage_titles=["Hemkommun", "Huvudman", "Skolenhet", "Program"],
                           labels=labels, **size)  # fmt: skip
    boxes = _label_boxes(layout)
    for node, _left, top, right, bottom in boxes:
        assert top >= 0, node.text
        assert bottom <= layout.height, node.text
        limit = layout.stage_x[node.stage + 1] if node.stage < 3 else layout.width
        assert right <= limit, f"{node.text!r} ends at {right:.0f}, the next column at {limit:.0f}"
        assert node.text.endswith(f"({node.value:,})".replace(",", "\u00a0")), node.text
    for (a, _l, top_a, _r, bottom_a), (b, _l2, top_b, _r2, bottom_b) in itertools.combinations(
        boxes, 2
    ):
        if a.stage == b.stage:
            assert bottom_a <= top_b or bottom_b <= top_a, f"{a.text!r} on top of {b.text!r}"
    texts = {node.key: node.text for node in layout.nodes}
    assert texts["Hvitfeldtska gymnasiet 4"] != texts["Hvitfeldtska gymnasiet 1"]
    assert min(node.x for node in layout.nodes) >= MARGIN


def test_the_width_estimate_is_never_below_the_drawn_width():
    """``text_width`` errs on the wide side of DejaVu Sans, the font system-ui and the file
    renderer draw with here (skipped where the font is not installed)."""
    font_file = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font_file.exists():
        pytest.skip("DejaVu Sans is not installed")
    font = ImageFont.truetype(str(font_file), 100)
    _links, labels = demo_links()
    texts = [node_text(label, 1234) for label in labels.values()] + [
        "WWW MMM (4 267)", "Östra Göteborgs gymnasium", "ÖDGQ CHNU", "fijl (1)"
    ]  # fmt: skip
    for text in texts:
        assert text_width(text, 100) >= font.getlength(text), text
