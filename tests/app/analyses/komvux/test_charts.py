"""The komvux charts at a phone's width (390 px): titles in lines that fit, axis labels that
do not run together (#16)."""

from __future__ import annotations

from likvard.analyses.komvux import charts
from likvard.analyses.komvux.rows import FigureRow
from likvard.exports.charts import TITLE_CHARS

ROWS = [
    FigureRow(key=None, name="Alla", figures={"soktryck": 1.59, "fill_rate": 79.3}),
    *(
        FigureRow(key=str(i), name=f"Kurs {i}", figures={"soktryck": 0.8 + i / 5, "fill_rate": 70})
        for i in range(12)
    ),
]


def _title_lines(spec: dict) -> list[str]:
    text = spec["title"]["text"]
    return [text] if isinstance(text, str) else text


def test_long_titles_are_lines_a_phone_shows_whole():
    title = "Fyllnadsgrad, slutfört och resultat per typ av anordnare"
    for spec in (charts.rates_by(ROWS, title), charts.soktryck_bars(ROWS, title)):
        lines = _title_lines(spec)
        assert " ".join(lines) == title
        assert max(len(line) for line in lines) <= TITLE_CHARS


def test_axis_labels_are_thinned_where_they_would_run_together():
    soktryck = charts.soktryck_bars(ROWS, "Sökande per plats")
    assert soktryck["layer"][0]["encoding"]["x"]["axis"]["labelOverlap"] is True
    years = [
        FigureRow(key=str(y), name=str(y), figures={"fill_rate": 80}) for y in range(2016, 2026)
    ]
    trend = charts.rates_trend(years)
    assert trend["encoding"]["x"]["axis"]["labelOverlap"] is True
