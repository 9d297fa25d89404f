"""Skolverket marks and Swedish numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from likvard_core.ingest.validation.marks import MARKS, is_mark, parse_marked, parse_number
from likvard_core.terms import ValueStatus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (".", (None, ValueStatus.MISSING)),
        ("..", (None, ValueStatus.TOO_FEW)),
        ("-", (None, ValueStatus.NOT_APPLICABLE)),
        ("*", (None, ValueStatus.TOO_FEW)),
        ("<5", (None, ValueStatus.TOO_FEW)),
        ("< 10", (None, ValueStatus.TOO_FEW)),
        ("~100", (100.0, ValueStatus.ROUNDED)),
        ("~0", (0.0, ValueStatus.ROUNDED)),
        (" 83,2 ", (83.2, ValueStatus.EXISTS)),
        ("4 491", (4491.0, ValueStatus.EXISTS)),
        ("4\u00a0491", (4491.0, ValueStatus.EXISTS)),
        ("1 234 567,5", (1234567.5, ValueStatus.EXISTS)),
        ("-600", (-600.0, ValueStatus.EXISTS)),
        ("17.1", (17.1, ValueStatus.EXISTS)),
        ("0", (0.0, ValueStatus.EXISTS)),
    ],
)
def test_cells(text, expected):
    assert parse_marked(text) == expected


@pytest.mark.parametrize("text", ["12,3,4", "4 49", "abc", "1.234,5", "=1+1", "~", "100%"])
def test_not_numbers(text):
    with pytest.raises(ValueError, match="not a number"):
        parse_marked(text)


@given(st.sampled_from(sorted(MARKS)))
def test_marks_are_never_zero(mark):
    value, status = parse_marked(mark)
    assert value is None
    assert status != ValueStatus.EXISTS
    assert is_mark(mark)


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=9))
def test_swedish_formatting_round_trips(whole, tenth):
    grouped = f"{whole:,}".replace(",", " ")
    sign = "-" if whole < 0 else ""
    text = f"{grouped},{tenth}" if whole >= 0 else f"{sign}{grouped[1:]},{tenth}"
    expected = abs(whole) + tenth / 10
    assert parse_number(text) == pytest.approx(-expected if whole < 0 else expected)
