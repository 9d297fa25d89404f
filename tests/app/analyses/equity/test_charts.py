"""Equity charts: sized to their container and titled so that a phone shows the whole title."""

from __future__ import annotations

from likvard.analyses.equity.charts import distribution_chart, units_dot_chart


def test_two_line_title_starts_at_the_charts_left_edge():
    row = {"school_unit_code": "84111198", "school_year": 2025, "share_higher": 0.33}
    spec = units_dot_chart([row], {"84111198": "Kapareskolan E-H"}, subject="Matematik")
    # Centred over the plot, the title ran past a 390 px screen's right edge.
    title = spec["title"]
    assert title["text"] == ["Andel med högre slutbetyg än provbetyg", "Matematik 2024/25"]
    assert (title["anchor"], title["frame"]) == ("start", "bounds")
    assert spec["width"] == "container"


def test_distribution_leaves_room_for_the_first_and_last_unit():
    """The highest unit's dot and interval were drawn cut on the frame's right edge (#16)."""
    rows = [
        {"school_year": 2025, "share_higher": share, "share_higher_ci_low": 0.1}
        for share in (0.2, 0.5, 0.7)
    ]
    spec = distribution_chart(rows, subject="Matematik")
    for layer in spec["layer"]:
        scale = layer["encoding"]["x"]["scale"]
        assert scale["domain"] == [0.5, 3.5]
        assert scale["nice"] is False
    assert spec["config"]["legend"]["labelFontSize"] >= 12  # Vega's 10 px read small


def test_distribution_title_fits_two_lines_for_every_tested_subject():
    """The region chart's title wrapped into three lines at 1280 px ("Skolenheterna efter andel
    med högre" / "slutbetyg" / "än provbetyg, ...", #16): at most two, for every subject."""
    from django.utils import translation

    from likvard.organisations.labels import subject_label

    rows = [{"school_year": 2025, "share_higher": 0.4, "share_higher_ci_low": 0.1}]
    with translation.override("sv"):
        for code in ("SV", "SVA", "EN", "MA", "BI", "FY", "KE", "GE", "HI", "RE", "SH"):
            text = distribution_chart(rows, subject=subject_label(code))["title"]["text"]
            lines = [text] if isinstance(text, str) else text
            assert len(lines) <= 2, lines
            assert lines[0] == "Andel med högre slutbetyg än provbetyg"
