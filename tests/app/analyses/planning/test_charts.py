"""The planning charts tell 13 municipalities apart (#16: Ale and Stenungsund had one colour)."""

from __future__ import annotations

from likvard.analyses.planning.charts import forecast_chart, gap_chart

GR = [
    "Ale", "Alingsås", "Göteborg", "Härryda", "Kungsbacka", "Kungälv", "Lerum", "Lilla Edet",
    "Mölndal", "Partille", "Stenungsund", "Tjörn", "Öckerö",
]  # fmt: skip


def test_each_municipality_has_its_own_colour():
    names = {str(1400 + i): name for i, name in enumerate(GR)}
    rows = [{"municipality_code": code, "year": 2026, "cohort": 100.0} for code in names]
    scale = forecast_chart(rows, names, width=600)["encoding"]["color"].get("scale", {})
    colours = dict(zip(scale.get("domain", []), scale.get("range", []), strict=False))
    assert sorted(colours) == sorted(GR)
    assert len(set(colours.values())) == len(GR)
    assert colours["Ale"] != colours["Stenungsund"]


def test_the_gap_chart_names_programmes():
    rows = [{"programme_code": "NA", "year": 2026, "scenario_gap": -3.0}]
    spec = gap_chart(rows, width=600, names={"NA": "Naturvetenskapsprogrammet"})
    assert [v["program"] for v in spec["data"]["values"]] == ["Naturvetenskapsprogrammet"]


def test_the_heat_map_leaves_room_for_its_cells_on_a_phone():
    """At 390 px the programme names (up to 260 px) and the legend beside the map took the
    whole width: no year column could be seen, and the title was cut off."""
    rows = [{"programme_code": "NA", "year": 2026, "scenario_gap": -3.0}]
    page = gap_chart(rows, width="container")
    limit = page["encoding"]["y"]["axis"]["labelLimit"]
    assert "containerSize()[0]" in limit["expr"]
    assert "? 110 : 260" in limit["expr"]
    assert page["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert len(page["title"]["text"]) <= 40
    assert (page["title"]["anchor"], page["title"]["frame"]) == ("start", "bounds")
    export = gap_chart(rows, width=640)  # vl-convert has no container to measure
    assert export["encoding"]["y"]["axis"]["labelLimit"] == 260
