"""Trends, flags, Swedish formatting and comparison groups, with hand-computed answers."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from likvard_core.analytics.quality.assess import (
    FlagKind,
    flag_comparison,
    flag_expected,
    flag_trend,
    format_sv,
    trend_summary,
)
from likvard_core.analytics.quality.catalogue import indicator_revision, load_catalogue
from likvard_core.analytics.quality.comparison import Profile, nearest

CATALOGUE = load_catalogue()
_MERIT = indicator_revision(CATALOGUE, "gr9_merit_value", 2025)
_ABSENCE = indicator_revision(CATALOGUE, "gr_absence", 2025)
assert _MERIT is not None
assert _ABSENCE is not None
MERIT, ABSENCE = _MERIT, _ABSENCE


def test_format_sv():
    assert format_sv(1234.56) == "1 234,6"
    assert format_sv(12.0, MERIT.unit) == "12,0"
    assert format_sv(None) == "–"
    assert format_sv(math.nan) == "–"


def test_trend_slope_matches_least_squares():
    years = [2016, 2017, 2018, 2019, 2020]
    values = [200.0, 202.0, 203.5, 206.0, 208.0]
    summary = trend_summary(years, values)
    assert summary is not None
    assert summary.slope == pytest.approx(np.polyfit(years, values, 1)[0])
    assert summary.slope_low < summary.slope < summary.slope_high
    assert summary.p_value < 0.01
    assert trend_summary(years[:3], values[:3]) is None  # too few years
    flag = flag_trend(MERIT, summary)
    assert flag is not None
    assert flag.better is True
    assert "ökat" in flag.sentence_sv
    assert "2016–2020" in flag.sentence_sv


def test_flat_noisy_trend_is_not_flagged():
    summary = trend_summary([2016, 2017, 2018, 2019, 2020], [200.0, 205.0, 199.0, 204.0, 200.5])
    assert summary is not None
    assert summary.p_value > 0.05
    assert flag_trend(MERIT, summary) is None


def test_expected_flag_only_outside_prediction_interval():
    inside = flag_expected(MERIT, actual=230.0, expected=225.0, low=210.0, high=240.0)
    assert inside is None
    below = flag_expected(MERIT, actual=200.0, expected=225.0, low=210.0, high=240.0)
    assert below is not None
    assert below.kind is FlagKind.EXPECTED
    assert below.better is False
    assert "25,0 poäng lägre" in below.sentence_sv
    assert "utvecklingsområde" in below.sentence_sv


def test_comparison_flag_uses_both_intervals():
    # own 230 ± 5, nation 220 exact: difference 10 > 5 -> flagged
    flagged = flag_comparison(
        MERIT, kind=FlagKind.NATION, label_sv="riket", own=230.0, own_low=225.0,
        own_high=235.0, other=220.0,
    )  # fmt: skip
    assert flagged is not None
    assert flagged.higher is True
    # the same with a region of ± 9: sqrt(5² + 9²) = 10.3 > 10 -> not flagged
    assert flag_comparison(
        MERIT, kind=FlagKind.REGION, label_sv="regionen", own=230.0, own_low=225.0,
        own_high=235.0, other=220.0, other_low=211.0, other_high=229.0,
    ) is None  # fmt: skip
    higher_absence = flag_comparison(
        ABSENCE, kind=FlagKind.NATION, label_sv="riket", own=12.0, own_low=11.0,
        own_high=13.0, other=8.0,
    )  # fmt: skip
    assert higher_absence is not None
    assert higher_absence.better is False  # lower is better for absence


def test_nearest_profiles_by_standardised_distance():
    profiles = [
        Profile("A", 100, (2.0, 0.1, 0.2, math.log(100))),
        Profile("B", 110, (2.05, 0.1, 0.2, math.log(110))),
        Profile("C", 100, (2.6, 0.0, 0.05, math.log(100))),
        Profile("D", 5000, (2.0, 0.1, 0.2, math.log(5000))),
    ]
    members = nearest("A", profiles, k=2)
    assert [m.profile.code for m in members] == ["B", "D"]
    matrix = np.array([p.values for p in profiles])
    z = (matrix - matrix.mean(axis=0)) / matrix.std(axis=0)
    assert members[0].distance == pytest.approx(float(np.linalg.norm(z[1] - z[0])))
    with pytest.raises(KeyError):
        nearest("X", profiles, k=1)


def test_a_variable_missing_everywhere_drops_out_of_the_distance():
    nan = float("nan")
    profiles = [
        Profile("A", 100, (nan, 0.1, 0.2, math.log(100))),
        Profile("B", 110, (nan, 0.1, 0.2, math.log(110))),
        Profile("C", 100, (nan, 0.0, 0.05, math.log(100))),
        Profile("D", 5000, (nan, 0.1, 0.2, math.log(5000))),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        members = nearest("A", profiles, k=3)

    assert [m.profile.code for m in members] == ["B", "D", "C"]
    matrix = np.array([p.values[1:] for p in profiles])
    z = (matrix - matrix.mean(axis=0)) / matrix.std(axis=0)
    assert members[0].distance == pytest.approx(float(np.linalg.norm(z[1] - z[0])))
