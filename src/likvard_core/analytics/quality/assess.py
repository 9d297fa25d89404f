"""Trends and flags: when an indicator stands out, and a Swedish sentence saying why and how sure.

A flag is raised only when the difference is larger than its uncertainty:

- **expected value**: the actual value lies outside the 95 % prediction interval of the value
  expected from the students' background;
- **comparison** (nation, region, similar municipalities): the 95 % confidence interval of
  the difference between the unit's value and the comparison value excludes zero;
- **trend**: the slope of a weighted least-squares line through the yearly values differs
  from zero at the 5 % level (at least four years needed).

Each test is a 5 % test on its own; an analysis basis instead asks for every test as a
candidate (``alpha=CANDIDATE``) and keeps those that pass Benjamini-Hochberg over all of its
tests (``corrected_flags``): the flags are a screening, so the false discovery rate is
controlled rather than the family-wise error (Holm), which would hide most differences of
small units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from scipy import stats

from likvard_core.analytics.quality.catalogue_model import Direction, Indicator, Unit
from likvard_core.stats.multiple import benjamini_hochberg

MIN_TREND_YEARS = 4
Z95 = 1.959963984540054
ALPHA = 0.05


class FlagKind(StrEnum):
    """What an indicator was compared with."""

    EXPECTED = "expected"
    NATION = "nation"
    REGION = "region"
    SIMILAR = "similar"
    TREND = "trend"


@dataclass(frozen=True, slots=True)
class Flag:
    """An indicator that stands out: against what, in which direction, and why (Swedish)."""

    indicator: str
    kind: FlagKind
    higher: bool
    better: bool | None  # None when the indicator has no better direction
    sentence_sv: str
    p_value: float = math.nan  # the test's own (unadjusted) two-sided p-value


@dataclass(frozen=True, slots=True)
class TrendSummary:
    """The yearly change of a series: slope per year, its 95 % interval and p-value."""

    first_year: int
    last_year: int
    years: int
    slope: float
    slope_low: float
    slope_high: float
    p_value: float


def format_sv(value: float | None, unit: Unit | None = None, *, decimals: int = 1) -> str:
    """``value`` with a decimal comma and thin-space thousands (``1 234,5``); '–' if missing."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text + (" %" if unit is Unit.PERCENT else "")


def unit_word(unit: Unit) -> str:
    """The Swedish word for a difference in ``unit``."""
    return {Unit.PERCENT: "procentenheter", Unit.POINTS: "poäng", Unit.RATIO: "enheter"}[unit]


def trend_summary(
    years: Sequence[int], values: Sequence[float], errors: Sequence[float] | None = None
) -> TrendSummary | None:
    """Weighted least-squares slope per year (weights 1/SE², or equal without ``errors``).

    ``None`` with fewer than ``MIN_TREND_YEARS`` known values.
    """
    x = np.asarray(years, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    se = np.ones_like(y) if errors is None else np.asarray(errors, dtype=np.float64)
    keep = ~np.isnan(y) & ~np.isnan(se) & (se > 0)
    x, y, se = x[keep], y[keep], se[keep]
    if x.size < MIN_TREND_YEARS:
        return None
    w = 1.0 / se**2
    xm = np.sum(w * x) / np.sum(w)
    ym = np.sum(w * y) / np.sum(w)
    sxx = np.sum(w * (x - xm) ** 2)
    slope = float(np.sum(w * (x - xm) * (y - ym)) / sxx)
    residuals = y - (ym + slope * (x - xm))
    dof = x.size - 2
    scale = max(float(np.sum(w * residuals**2) / dof), 0.0)
    if errors is not None:
        scale = max(scale, 1.0)  # never claim less spread than the yearly sampling errors
    slope_se = math.sqrt(scale / sxx)
    t = float(stats.t.ppf(1 - ALPHA / 2, dof))
    p = float(2 * stats.t.sf(abs(slope) / slope_se, dof)) if slope_se > 0 else 0.0
    return TrendSummary(
        int(x.min()), int(x.max()), int(x.size), slope, slope - t * slope_se,
        slope + t * slope_se, p,
    )  # fmt: skip


def _better(direction: Direction, higher: bool) -> bool | None:
    if direction is Direction.NONE:
        return None
    return higher == (direction is Direction.HIGHER_BETTER)


def _judgement(better: bool | None) -> str:
    return {True: " Det är en styrka.", False: " Det är ett utvecklingsområde.", None: ""}[better]


def flag_expected(
    indicator: Indicator,
    *,
    actual: float,
    expected: float,
    low: float,
    high: float,
    alpha: float = ALPHA,
) -> Flag | None:
    """A flag when ``actual`` lies outside the prediction interval ``low..high``.

    With ``alpha`` above ``ALPHA`` a candidate flag comes back whenever its p-value (the
    prediction standard error read off the interval) is below ``alpha``; its sentence is
    only true once the candidate survives ``corrected_flags``.
    """
    if any(math.isnan(v) for v in (actual, expected, low, high)) or high <= low:
        return None
    p_value = float(2 * stats.norm.sf(abs(actual - expected) / ((high - low) / (2 * Z95))))
    outside = not low <= actual <= high
    if (alpha <= ALPHA and not outside) or (alpha > ALPHA and p_value >= alpha):
        return None
    unit = indicator.unit
    higher = actual > expected
    better = _better(indicator.direction, higher)
    sentence = (
        f"Värdet {format_sv(actual, unit)} är {format_sv(abs(actual - expected))} "
        f"{unit_word(unit)} {'högre' if higher else 'lägre'} än de "
        f"{format_sv(expected, unit)} som förväntas utifrån elevernas bakgrund. Värdet ligger "
        f"utanför modellens 95-procentiga prognosintervall ({format_sv(low)}–{format_sv(high)}), "
        "så skillnaden är större än vad slumpen och modellens osäkerhet brukar ge."
        + _judgement(better)
    )
    return Flag(indicator.code, FlagKind.EXPECTED, higher, better, sentence, p_value)


def flag_comparison(
    indicator: Indicator,
    *,
    kind: FlagKind,
    label_sv: str,
    own: float,
    own_low: float,
    own_high: float,
    other: float,
    other_low: float | None = None,
    other_high: float | None = None,
    alpha: float = ALPHA,
) -> Flag | None:
    """A flag when the 95 % interval of ``own - other`` excludes zero.

    The standard errors are read off the 95 % intervals of both values (the comparison value
    counts as exact when it has none) and combined as independent.
    """
    if any(math.isnan(v) for v in (own, own_low, own_high, other)):
        return None
    se_own = (own_high - own_low) / (2 * Z95)
    se_other = 0.0
    if other_low is not None and other_high is not None and not math.isnan(other_high - other_low):
        se_other = (other_high - other_low) / (2 * Z95)
    difference = own - other
    half = Z95 * math.sqrt(se_own**2 + se_other**2)
    if half <= 0:
        return None
    p_value = float(2 * stats.norm.sf(abs(difference) / (half / Z95)))
    if p_value >= alpha or (alpha <= ALPHA and abs(difference) <= half):
        return None
    unit = indicator.unit
    higher = difference > 0
    better = _better(indicator.direction, higher)
    sentence = (
        f"Värdet {format_sv(own, unit)} är {format_sv(abs(difference))} {unit_word(unit)} "
        f"{'högre' if higher else 'lägre'} än {label_sv} ({format_sv(other, unit)}). "
        f"Skillnadens 95-procentiga konfidensintervall ({format_sv(difference - half)} till "
        f"{format_sv(difference + half)}) omfattar inte noll, så skillnaden är sannolikt inte "
        "slumpmässig." + _judgement(better)
    )
    return Flag(indicator.code, kind, higher, better, sentence, p_value)


def flag_trend(
    indicator: Indicator, trend: TrendSummary | None, alpha: float = ALPHA
) -> Flag | None:
    """A flag when the trend's slope differs from zero at level ``alpha`` (5 %)."""
    if trend is None or trend.p_value >= alpha:
        return None
    unit = indicator.unit
    higher = trend.slope > 0
    better = _better(indicator.direction, higher)
    sentence = (
        f"Värdet har {'ökat' if higher else 'minskat'} med i genomsnitt "
        f"{format_sv(abs(trend.slope), decimals=2)} {unit_word(unit)} per år "
        f"{trend.first_year}–{trend.last_year} ({trend.years} år; 95 % konfidensintervall för "
        f"förändringen {format_sv(trend.slope_low, decimals=2)} till "
        f"{format_sv(trend.slope_high, decimals=2)}, p = {format_sv(trend.p_value, decimals=3)})."
        + _judgement(better)
    )
    return Flag(indicator.code, FlagKind.TREND, higher, better, sentence, trend.p_value)


CANDIDATE = 1.0
"""``alpha`` that makes the flag functions return every test as a candidate (see below)."""


def corrected_flags(candidates: Sequence[Flag], alpha: float = ALPHA) -> tuple[Flag | None, ...]:
    """Each candidate, reworded, if it stands out after Benjamini-Hochberg, else None.

    ``candidates`` are every test of one analysis basis (flag functions called with
    ``alpha=CANDIDATE``). A flag is kept when its BH-adjusted p-value (q) is below ``alpha``,
    which keeps the expected share of false flags among the flags at ``alpha``; its sentence
    then names the correction, the number of tests and q. The result is in input order.
    """
    pvalues = np.array([f.p_value for f in candidates], dtype=np.float64)
    adjusted = benjamini_hochberg(pvalues)
    tests = int(np.count_nonzero(~np.isnan(pvalues)))
    kept: list[Flag | None] = []
    for flag, q in zip(candidates, adjusted, strict=True):
        if math.isnan(q) or q >= alpha:
            kept.append(None)
            continue
        note = (
            f" Justerat för multipla test (Benjamini–Hochberg över underlagets {tests} test): "
            f"q = {format_sv(float(q), decimals=3)}."
        )
        kept.append(replace(flag, sentence_sv=flag.sentence_sv + note))
    return tuple(kept)
