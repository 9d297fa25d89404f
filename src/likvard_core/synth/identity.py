"""Synthetic identities, vectorised: personnummer with valid Luhn digits and hex student keys.

The numbers are random draws, never taken from a register: a birth date in the given year, a
serial whose third digit carries the legal gender (odd for male), and the Luhn check digit.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_DIGIT_SUM_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9])
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)

IntArray = npt.NDArray[np.int64]


def _birth_dates(rng: np.random.Generator, years: IntArray) -> tuple[IntArray, IntArray]:
    """Month and day of a uniformly drawn date in each year (leap days included)."""
    leap = ((years % 4 == 0) & (years % 100 != 0)) | (years % 400 == 0)
    day_of_year = (rng.random(years.size) * (365 + leap)).astype(np.int64)
    month_ends = np.cumsum(_DAYS)
    ends = np.broadcast_to(month_ends, (years.size, 12)).copy()
    ends[:, 1:] += leap[:, None].astype(np.int64)
    month = (day_of_year[:, None] >= ends).sum(axis=1)
    starts = np.concatenate([np.zeros((years.size, 1), np.int64), ends[:, :-1]], axis=1)
    day = day_of_year - starts[np.arange(years.size), month] + 1
    return month + 1, day


def _serials(rng: np.random.Generator, date_key: IntArray, male: npt.NDArray[np.bool_]) -> IntArray:
    """Three-digit serials, unique per birth date, third digit odd for male."""
    serial = np.zeros(date_key.size, np.int64)
    todo = np.arange(date_key.size)
    while todo.size:
        tens = rng.integers(0, 100, todo.size)
        last = rng.integers(0, 5, todo.size) * 2 + male[todo].astype(np.int64)
        serial[todo] = tens * 10 + last
        combined = date_key * 1000 + serial
        _, first = np.unique(combined, return_index=True)
        clash = np.ones(date_key.size, bool)
        clash[first] = False
        todo = np.flatnonzero(clash)
    return serial


def luhn_digits(nine: npt.NDArray[np.int64]) -> IntArray:
    """The Luhn check digit of each row of an (n, 9) digit array."""
    doubled = _DIGIT_SUM_DOUBLED[nine[:, 0::2]].sum(axis=1)
    total = doubled + nine[:, 1::2].sum(axis=1)
    return np.asarray((10 - total % 10) % 10, dtype=np.int64)


def _digits(values: IntArray, width: int) -> IntArray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return np.asarray((values[:, None] // powers) % 10, dtype=np.int64)


def personnummer(
    rng: np.random.Generator, birth_years: IntArray, male: npt.NDArray[np.bool_]
) -> pa.Array:
    """Synthetic personnummer ``YYYYMMDD-NNNC``, unique, with valid dates and check digits."""
    month, day = _birth_dates(rng, birth_years)
    date8 = birth_years * 10_000 + month * 100 + day
    serial = _serials(rng, date8, male)
    nine = np.concatenate([_digits(date8 % 1_000_000, 6), _digits(serial, 3)], axis=1)
    digits = np.concatenate(
        [_digits(date8, 8), _digits(serial, 3), luhn_digits(nine)[:, None]], axis=1
    )
    chars = np.empty((birth_years.size, 13), np.uint8)
    chars[:, :8] = digits[:, :8] + ord("0")
    chars[:, 8] = ord("-")
    chars[:, 9:] = digits[:, 8:] + ord("0")
    return pa.array(chars.view("S13").ravel()).cast(pa.string())


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: a bijective scramble of 64-bit integers."""
    with np.errstate(over="ignore"):
        z = values + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX_1
        z = (z ^ (z >> np.uint64(27))) * _MIX_2
        return np.asarray(z ^ (z >> np.uint64(31)), dtype=np.uint64)


def student_keys(ids: npt.NDArray[np.uint64], seed: int) -> pa.Array:
    """32-hex-character keys shaped like the pseudonymiser's, one per distinct ``ids`` value."""
    with np.errstate(over="ignore"):
        salted = ids ^ _mix(np.full(1, seed, np.uint64))
    high = _mix(salted)
    low = _mix(high ^ salted)
    raw = np.stack([high, low], axis=1).astype(">u8").view(np.uint8).reshape(-1, 16)
    chars = np.empty((ids.size, 32), np.uint8)
    chars[:, 0::2] = _HEX[raw >> 4]
    chars[:, 1::2] = _HEX[raw & 15]
    return pa.array(chars.view("S32").ravel()).cast(pa.string())
