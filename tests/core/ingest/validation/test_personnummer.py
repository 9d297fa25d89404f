"""Personnummer validation and keyed pseudonymisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from likvard_core.ingest.pseudonymisation.pseudonymise import (
    STUDENT_KEY_LENGTH,
    pseudonymiser,
    student_key,
)
from likvard_core.ingest.validation.personnummer import (
    PersonnummerError,
    is_samordningsnummer,
    is_valid_personnummer,
    legal_gender,
    luhn_check_digit,
    normalise_personnummer,
)
from likvard_core.terms import Gender
from tests.core.ingest import synthetic

# Skatteverket's well-known test number 19121212-1212 (valid Luhn digit).
TOLVAN = "191212121212"


@pytest.mark.parametrize(
    "text",
    ["19121212-1212", "191212121212", "121212+1212", "19121212+1212"],
)
def test_accepted_forms_normalise_to_twelve_digits(text):
    assert normalise_personnummer(text, reference_year=2025) == TOLVAN


def test_ten_digit_century_from_separator():
    assert normalise_personnummer("121212-1212", reference_year=2025) == "201212121212"
    assert normalise_personnummer("1212121212", reference_year=2025) == "201212121212"
    assert normalise_personnummer("121212+1212", reference_year=2025) == TOLVAN
    # someone born in 1930 is 95 in 2025: '-' still means the 1900s
    check = luhn_check_digit("300101123")
    assert normalise_personnummer(f"300101-123{check}", reference_year=2025).startswith("1930")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("19121212-1213", "personnummer_checksum"),
        ("19121312-1212", "personnummer_date"),  # month 13
        ("20230229-0000", "personnummer_date"),  # not a leap year
        ("191212-12", "invalid_personnummer"),
        ("abc", "invalid_personnummer"),
        ("", "invalid_personnummer"),
        ("20501212-1212", "personnummer_date"),  # born in the future
        ("20121212+1212", "invalid_personnummer"),  # '+' for someone under 100
    ],
)
def test_invalid_numbers_give_codes_without_the_value(text, code):
    with pytest.raises(PersonnummerError) as raised:
        normalise_personnummer(text, reference_year=2025)
    assert raised.value.code == code
    if text:
        assert text not in str(raised.value)
        assert text not in repr(raised.value)


def test_samordningsnummer_day_plus_sixty():
    nine = "121272121"  # 12 Dec 2012 + 60 on the day: 72
    number = f"20121272-121{luhn_check_digit(nine)[-1]}"
    normalised = normalise_personnummer(number, reference_year=2025)
    assert is_samordningsnummer(normalised)
    assert not is_samordningsnummer(TOLVAN)
    assert not is_valid_personnummer("20121292-1210", reference_year=2025)  # day 32 + 60


def test_legal_gender_from_second_last_digit():
    assert legal_gender(TOLVAN) == Gender.MALE  # 1 is odd
    assert legal_gender("191212121220"[:10] + "2" + "0") == Gender.FEMALE


@given(st.integers(min_value=0, max_value=3_000_000))
def test_generated_numbers_are_valid_and_distinct_keys(index):
    number = synthetic.personnummer(index)
    assert is_valid_personnummer(number, reference_year=2025)
    assert not is_valid_personnummer(synthetic.broken_personnummer(index), reference_year=2025)


def test_pseudonymisation_is_stable_and_keyed():
    key_a = b"a" * 32
    key_b = b"b" * 32
    first = pseudonymiser(key_a)("19121212-1212")
    assert first == pseudonymiser(key_a)("191212121212") == student_key(TOLVAN, key_a)
    assert first == pseudonymiser(key_a.decode())("121212+1212")
    assert first != pseudonymiser(key_b)("19121212-1212")
    assert len(first) == STUDENT_KEY_LENGTH
    assert int(first, 16) >= 0
    assert TOLVAN not in first


def test_short_key_rejected_without_echoing_it():
    with pytest.raises(ValueError, match="at least 16 bytes") as raised:
        pseudonymiser(b"secret")
    assert "secret" not in str(raised.value)
