"""Plain-language Swedish explanations of deviation flags, written for a principal.

The flags are computed in English-named columns; these strings are the user-facing text that
goes with them (the core cannot use Django's translation machinery, so the Swedish text lives
here, next to the numbers it describes).
"""

from __future__ import annotations

import math

from likvard_core.terms import school_year_label

SUBJECT_NAMES: dict[str, str] = {
    "MA": "matematik",
    "EN": "engelska",
    "SV": "svenska",
    "SVA": "svenska som andraspråk",
    "BI": "biologi",
    "FY": "fysik",
    "KE": "kemi",
    "GE": "geografi",
    "HI": "historia",
    "RE": "religionskunskap",
    "SH": "samhällskunskap",
    "NO": "NO",
    "SO": "SO",
}
"""Swedish subject names by Skolverket subject code; unknown codes are shown as the code."""

COURSE_NAMES: dict[str, str] = {
    "SVESVE01": "Svenska 1",
    "SVESVE03": "Svenska 3",
    "SVASVA01": "Svenska som andraspråk 1",
    "SVASVA03": "Svenska som andraspråk 3",
    "ENGENG05": "Engelska 5",
    "ENGENG06": "Engelska 6",
    "MATMAT01a": "Matematik 1a",
    "MATMAT01b": "Matematik 1b",
    "MATMAT01c": "Matematik 1c",
    "MATMAT02a": "Matematik 2a",
    "MATMAT02b": "Matematik 2b",
    "MATMAT02c": "Matematik 2c",
    "MATMAT03b": "Matematik 3b",
    "MATMAT03c": "Matematik 3c",
    "MATMAT04": "Matematik 4",
}
"""Upper-secondary courses with a national test, by Gy11 course code."""

GROUP_PHRASES: dict[str, str] = {
    "all": "",
    "girls": " bland flickorna",
    "boys": " bland pojkarna",
    "born_abroad": " bland elever födda utomlands",
    "born_in_sweden": " bland elever födda i Sverige",
    "newly_arrived": " bland nyanlända elever",
    "parents_low": " bland elever vars föräldrar i snitt har kortare utbildning än gymnasiet",
    "parents_middle": " bland elever vars föräldrar i snitt har gymnasieutbildning",
    "parents_high": " bland elever vars föräldrar i snitt har eftergymnasial utbildning",
}
"""How each group is named inside a sentence (``groups.GROUPS``)."""

MEASURE_PHRASES: dict[str, str] = {
    "higher": "högre slutbetyg än provbetyg",
    "lower": "lägre slutbetyg än provbetyg",
}
COURSE_MEASURE_PHRASES: dict[str, str] = {
    "higher": "högre kursbetyg än provbetyg",
    "lower": "lägre kursbetyg än provbetyg",
}

_NUMBER_WORDS = ("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio")
_EN_DASH = "\u2013"


def number_word(value: int) -> str:
    """A small count as a Swedish word ("fem"), larger ones as digits."""
    return _NUMBER_WORDS[value] if 0 <= value < len(_NUMBER_WORDS) else str(value)


def percent(share: float) -> str:
    """A share 0-1 as a Swedish whole percentage, e.g. ``0.384`` -> ``"38 %"``."""
    return f"{round(share * 100):d} %"


def p_value(value: float) -> str:
    """A p- or q-value with decimal comma; values under 0.001 as ``"< 0,001"``."""
    if value < 0.001:  # noqa: PLR2004
        return "< 0,001"
    return f"{value:.3f}".replace(".", ",")


def p_band(value: float) -> str:
    """A released p- or q-value as a band (``"< 0,001"``, ``"< 0,01"``, ``"< 0,05"``).

    Never the value itself: a p-value at full precision gives back the comparison rate it was
    computed against (``comparison``).
    """
    for bound, text in ((0.001, "< 0,001"), (0.01, "< 0,01"), (0.05, "< 0,05")):
        if value < bound:
            return text
    return "\u2265 0,05"


def _comparison_text(comparison: float | None) -> str:
    if comparison is None or math.isnan(comparison):  # NaN: the stratum is too small to show
        return ""
    return f" (hela jämförelsen: {percent(comparison)})"


def is_course(code: str) -> bool:
    """True for an upper-secondary course code (Gy11: subject letters, then a number)."""
    return code in COURSE_NAMES or (len(code) > 5 and code[:6].isalpha())  # noqa: PLR2004


def subject_name(code: str) -> str:
    """The Swedish name of a subject or course code, or the code itself."""
    if code in COURSE_NAMES:
        return f"kursen {COURSE_NAMES[code]}"
    return SUBJECT_NAMES.get(code, code)


def measure_phrase(measure: str, subject: str) -> str:
    """``högre/lägre slutbetyg än provbetyg``, or ``kursbetyg`` for an upper-secondary course."""
    return (COURSE_MEASURE_PHRASES if is_course(subject) else MEASURE_PHRASES)[measure]


def year_label(spring: int) -> str:
    """The school year label, e.g. ``2025`` -> ``"läsåret 2024/25"``."""
    return f"läsåret {school_year_label(spring)}"


def yearly_reason(
    *,
    measure: str,
    subject: str,
    year: int,
    group: str,
    hits: int,
    total: int,
    reference_share: float,
    q: float,
    reference_label: str,
    comparison: float | None = None,
) -> str:
    """Why one school's share in one year was flagged against the reference.

    ``reference_share`` (the other units' rate) only decides the direction; the figure quoted
    is ``comparison``, the stratum's rounded share (``comparison.rounded_shares``), and the
    q-value is quoted as a band (``p_band``).
    """
    share = hits / total
    direction = "högre" if share > reference_share else "lägre"
    return (
        f"Andelen elever med {measure_phrase(measure, subject)} i {subject_name(subject)}"
        f"{GROUP_PHRASES[group]} {year_label(year)} var {percent(share)} ({hits} av {total}), "
        f"vilket är {direction} än i {reference_label}{_comparison_text(comparison)}. "
        "Skillnaden är så stor att den sannolikt inte beror på slumpen "
        f"(justerat p-värde {p_band(q)})."
    )


def pattern_reason(
    *,
    measure: str,
    subject: str,
    group: str,
    same_sign_years: int,
    years: int,
    first_year: int,
    last_year: int,
    above: bool,
    hits: int,
    total: int,
    expected: float,
    q: float,
    reference_label: str,
) -> str:
    """Why one school's multi-year pattern was flagged as systematic.

    The counts are quoted as whole percentages only: a pattern's hits are the sum of the yearly
    hits, and an exact sum beside the yearly rows would give back a hidden year's.
    """
    comparison = "högre" if above else "lägre"
    consecutive = last_year - first_year + 1 == years
    if same_sign_years == years and consecutive:
        span = f"{number_word(years)} år i rad ({first_year}{_EN_DASH}{last_year})"
    else:
        span = (
            f"{number_word(same_sign_years)} av de {number_word(years)} senaste åren med resultat "
            f"({first_year}{_EN_DASH}{last_year})"
        )
    return (
        f"Andelen elever med {measure_phrase(measure, subject)} i {subject_name(subject)}"
        f"{GROUP_PHRASES[group]} var {comparison} än i {reference_label} {span}. "
        f"Sammantaget gällde det {percent(hits / total)} av eleverna, "
        f"mot omkring {percent(expected / total)} om skolan hade legat på samma nivå som i "
        f"{reference_label}. Mönstret är för tydligt för att rimligen bero på slumpen "
        f"(justerat p-värde {p_band(q)})."
    )
