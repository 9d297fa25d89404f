"""The shared chart frame: a long title becomes lines a phone (390 px) shows whole (#16)."""

from __future__ import annotations

from likvard.exports.charts import TITLE_CHARS, _fixed, chart_spec, title_lines


def test_a_long_title_is_wrapped_a_short_one_kept():
    long = "Andel elever med högre betyg än provbetyg per skolenhet och ämne, 2024/25"
    text = chart_spec(long, [])["title"]["text"]  # type: ignore[index]
    assert isinstance(text, list)
    assert " ".join(text) == long
    assert all(len(line) <= TITLE_CHARS for line in text)
    assert title_lines("Sökande per plats") == "Sökande per plats"
    assert title_lines(["Kort", long])[0] == "Kort"


def test_a_file_wraps_the_title_for_its_own_width():
    long = "Fyllnadsgrad, slutfört och resultat per typ av anordnare"
    spec = chart_spec(long, [])
    assert isinstance(spec["title"]["text"], list)  # type: ignore[index]
    assert _fixed(spec, 760)["title"]["text"] == long  # type: ignore[index]
    assert spec["title"]["text"] == title_lines(long)  # type: ignore[index]  # page untouched


def test_legends_are_as_large_as_the_axes():
    from likvard.analyses.completion.charts import completion_trend

    row = {"programme_group": "all", "start_year": "2019", "diploma_4_share": 0.8}
    spec = completion_trend([row])
    config = spec["config"]  # type: ignore[index]
    assert config["legend"]["labelFontSize"] >= config["axis"]["labelFontSize"] >= 12  # type: ignore[index]


def test_a_file_s_chart_is_measured_in_the_font_the_file_draws_it_in():
    """vl-convert lays out the labels in the font named in the SVG; left as 'sans-serif' it
    measured them narrower than the PDF draws them (DejaVu Sans), so a long programme name on
    the planning heat map lost its first letters and the legend title its last."""
    from likvard.exports.charts import FILE_FONT, spec_svg

    label = "Handels- och administrationsprogrammet"
    spec = chart_spec("Platser minus efterfrågan", [{"program": label, "år": "2026", "v": 3}])
    spec["mark"] = "rect"
    spec["encoding"] = {
        "x": {"field": "år", "type": "ordinal"},
        "y": {"field": "program", "type": "nominal", "axis": {"labelLimit": 260}},
        "color": {"field": "v", "type": "quantitative", "title": "Platser − efterfrågan"},
    }
    svg = spec_svg(spec)
    assert FILE_FONT == "DejaVu Sans"  # the font of pdf.py's and docx.py's text
    assert f'font-family="{FILE_FONT}"' in svg
    assert 'font-family="sans-serif"' not in svg
    assert "font" not in spec["config"]  # type: ignore[operator]  # the page's spec untouched
    own = {**spec, "config": {**spec["config"], "font": "Liberation Sans"}}  # type: ignore[dict-item]
    assert 'font-family="Liberation Sans"' in spec_svg(own)
