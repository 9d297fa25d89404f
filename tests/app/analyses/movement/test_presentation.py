"""What a person sees on the movement pages (#16): the map names its municipalities, its legend
and the Sankey's labels fit, and hidden municipalities stay on the map in grey."""

from __future__ import annotations

from likvard.analyses.movement.charts import region_map
from likvard.analyses.movement.sankey import NODE_WIDTH, Link, sankey_layout

GR = {
    "1384": "Kungsbacka", "1401": "Härryda", "1402": "Partille", "1407": "Öckerö",
    "1415": "Stenungsund", "1419": "Tjörn", "1440": "Ale", "1441": "Lerum",
    "1462": "Lilla Edet", "1480": "Göteborg", "1481": "Mölndal", "1482": "Kungälv",
    "1489": "Alingsås",
}  # fmt: skip
CHAR = 7.2  # px per character at the diagram's 12 px, generously


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
        text = f"{node.label[:25]}… ({node.value:,})"
        right = node.x + NODE_WIDTH + 4 + CHAR * len(text)
        assert right <= layout.width, f"{text!r} ends at {right:.0f} of {layout.width} px"
