"""Equity charts: sized to their container and titled so that a phone shows the whole title."""

from __future__ import annotations

from likvard.analyses.equity.charts import units_dot_chart


def test_two_line_title_starts_at_the_charts_left_edge():
    row = {"school_unit_code": "84111198", "school_year": 2025, "share_higher": 0.33}
    spec = units_dot_chart([row], {"84111198": "Kapareskolan E-H"}, subject="Matematik")
    # Centred over the plot, the title ran past a 390 px screen's right edge.
    title = spec["title"]
    assert title["text"] == ["Andel med högre slutbetyg än provbetyg", "Matematik 2024/25"]
    assert (title["anchor"], title["frame"]) == ("start", "bounds")
    assert spec["width"] == "container"
