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
