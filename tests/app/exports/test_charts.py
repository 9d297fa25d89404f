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
