"""Synthetic personnummer are valid, unique and carry the gender; keys look like the real ones."""

from __future__ import annotations

import numpy as np

from likvard_core.ingest.validation.personnummer import legal_gender, normalise_personnummer
from likvard_core.synth.identity import luhn_digits, personnummer, student_keys
from likvard_core.terms import Gender


def test_personnummer_valid_unique_and_gendered():
    rng = np.random.default_rng(3)
    years = rng.integers(1996, 2020, 20_000)
    male = rng.random(20_000) < 0.5
    numbers = personnummer(rng, years, male).to_pylist()
    assert len(set(numbers)) == len(numbers)
    for number, is_male, year in zip(numbers, male, years, strict=True):
        normalised = normalise_personnummer(number, reference_year=2026)
        assert int(normalised[:4]) == year
        assert (legal_gender(normalised) is Gender.MALE) == is_male


def test_luhn_digit_of_a_known_number():
    # 811218-9876 is the textbook example of a valid Swedish personnummer
    digits = np.array([[8, 1, 1, 2, 1, 8, 9, 8, 7]])
    assert luhn_digits(digits).tolist() == [6]


def test_student_keys_are_stable_hex_and_distinct():
    ids = np.arange(10_000, dtype=np.uint64)
    keys = student_keys(ids, seed=1).to_pylist()
    assert keys == student_keys(ids, seed=1).to_pylist()
    assert len(set(keys)) == len(keys)
    assert all(len(key) == 32 and int(key, 16) >= 0 for key in keys)
    assert keys != student_keys(ids, seed=2).to_pylist()
