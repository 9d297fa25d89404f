"""Validation and normalisation of personnummer and samordningsnummer.

Accepted forms: ``YYYYMMDDNNNC``, ``YYYYMMDD-NNNC``, ``YYMMDD-NNNC``, ``YYMMDD+NNNC`` and
``YYMMDDNNNC``. In the 10-digit forms the century is the one that makes the person younger
than 100 at the end of the reference year; ``+`` (used from the year a person turns 100) moves
it back one more century. A samordningsnummer has 60 added to the day of birth. The check digit
is the Luhn digit over the 10-digit form.

Errors never carry the number: ``PersonnummerError`` holds only an issue code, so that neither
its message nor its repr can leak the value (see STYLE.md section 4).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.terms import Gender

_SHAPE = re.compile(r"(\d{2})?(\d{6})([-+]?)(\d{4})")
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_STOCKHOLM = ZoneInfo("Europe/Stockholm")
_SAMORDNING_OFFSET = 60
_CENTENARIAN = 100
_EARLIEST_YEAR = 1850


class PersonnummerError(ValueError):
    """A personnummer failed validation. ``code`` is the issue code; the value is never kept."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __repr__(self) -> str:
        return f"PersonnummerError({self.code!r})"


_DOUBLE_DIGITS = str.maketrans("0123456789", "0246813579")


def _luhn_ok(ten_digits: str) -> bool:
    doubled = ten_digits[0::2].translate(_DOUBLE_DIGITS)
    return (sum(map(int, doubled)) + sum(map(int, ten_digits[1::2]))) % 10 == 0


def _full_year(short: int, separator: str, reference_year: int) -> int:
    year = reference_year - (reference_year - short) % 100
    if separator == "+":
        year -= 100
    return year


def _real_date(year: int, month: int, day: int, reference_year: int) -> bool:
    if day > _SAMORDNING_OFFSET:
        day -= _SAMORDNING_OFFSET
    if not (_EARLIEST_YEAR <= year <= reference_year and 1 <= month <= 12):  # noqa: PLR2004
        return False
    if month == 2 and calendar.isleap(year):  # noqa: PLR2004
        return 1 <= day <= 29  # noqa: PLR2004
    return 1 <= day <= _DAYS_IN_MONTH[month]


def current_year() -> int:
    """The current calendar year in Sweden."""
    return datetime.now(tz=_STOCKHOLM).year


def normalise_personnummer(text: str, *, reference_year: int | None = None) -> str:
    """The 12-digit form ``YYYYMMDDNNNC`` of a valid personnummer or samordningsnummer.

    ``reference_year`` (default: this year) decides the century of 10-digit forms.
    Raises ``PersonnummerError`` with code ``invalid_personnummer`` (shape),
    ``personnummer_date`` (no such date of birth) or ``personnummer_checksum``.
    """
    match = _SHAPE.fullmatch(text.strip())
    if match is None:
        raise PersonnummerError("invalid_personnummer")
    century, date_part, separator, serial = match.groups()
    ref = reference_year if reference_year is not None else current_year()
    short_year = int(date_part[:2])
    if century is None:
        year = _full_year(short_year, separator, ref)
    else:
        year = int(century) * 100 + short_year
        if separator == "+" and ref - year < _CENTENARIAN:
            raise PersonnummerError("invalid_personnummer")
    if not _real_date(year, int(date_part[2:4]), int(date_part[4:6]), ref):
        raise PersonnummerError("personnummer_date")
    if not _luhn_ok(date_part + serial):
        raise PersonnummerError("personnummer_checksum")
    return f"{year:04d}{date_part[2:]}{serial}"


def is_valid_personnummer(text: str, *, reference_year: int | None = None) -> bool:
    """True when ``text`` is a valid personnummer or samordningsnummer in an accepted form."""
    try:
        normalise_personnummer(text, reference_year=reference_year)
    except PersonnummerError:
        return False
    return True


def is_samordningsnummer(normalised: str) -> bool:
    """True when a normalised 12-digit number is a samordningsnummer (day of birth + 60)."""
    return int(normalised[6:8]) > _SAMORDNING_OFFSET


def legal_gender(normalised: str) -> Gender:
    """The legal gender encoded in a normalised number: odd 11th digit male, even female."""
    return Gender.MALE if int(normalised[10]) % 2 else Gender.FEMALE


def luhn_check_digit(nine_digits: str) -> str:
    """The Luhn check digit completing ``YYMMDDNNN`` (for generators and tests)."""
    for candidate in "0123456789":
        if _luhn_ok(nine_digits + candidate):
            return candidate
    raise ValueError("nine digits expected")


_ZERO = ord("0")
_PLUS = ord("+")
_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int16)
_LAYOUTS = (10, 11, 12, 13)
"""Lengths of the accepted forms: YYMMDDNNNC, YYMMDD-NNNC, YYYYMMDDNNNC, YYYYMMDD-NNNC."""


def _vector_dates_ok(years: np.ndarray, month: np.ndarray, day: np.ndarray, ref: int) -> np.ndarray:
    day = np.where(day > _SAMORDNING_OFFSET, day - _SAMORDNING_OFFSET, day)
    leap = ((years % 4 == 0) & (years % 100 != 0)) | (years % 400 == 0)
    limits = np.asarray(_DAYS_IN_MONTH)[np.clip(month, 0, 12)] + ((month == 2) & leap)  # noqa: PLR2004
    in_range = (years >= _EARLIEST_YEAR) & (years <= ref) & (month >= 1) & (month <= 12)  # noqa: PLR2004
    return np.asarray(in_range & (day >= 1) & (day <= limits), dtype=bool)


def _layout_numbers(raw: np.ndarray, ref: int) -> tuple[np.ndarray, np.ndarray]:
    """Validity and 12-digit forms of same-length, digit-shaped numbers (rows of ASCII bytes)."""
    length = raw.shape[1]
    start = 2 if length >= 12 else 0  # noqa: PLR2004  (a century is written)
    serial_at = start + 6 + (1 if length in (11, 13) else 0)

    def digit(column: int) -> np.ndarray:
        return raw[:, column].astype(np.int16) - _ZERO

    ten = [digit(start + j) for j in range(6)] + [digit(serial_at + j) for j in range(4)]
    shaped = np.ones(len(raw), dtype=bool)
    for column in [*ten, *([digit(0), digit(1)] if start else [])]:
        shaped &= (column >= 0) & (column <= 9)  # noqa: PLR2004
    if serial_at != start + 6:
        shaped &= (raw[:, start + 6] == _PLUS) | (raw[:, start + 6] == ord("-"))
    ten = [np.where(shaped, column, 0) for column in ten]
    luhn = sum(_DOUBLED[ten[j]] for j in range(0, 10, 2)) + sum(ten[j] for j in range(1, 10, 2))
    short = (ten[0] * 10 + ten[1]).astype(np.int32)
    plus = raw[:, start + 6] == _PLUS if serial_at != start + 6 else np.zeros(len(raw), bool)
    ok = shaped & (luhn % 10 == 0)
    if start:
        years = (digit(0) * 10 + digit(1)).astype(np.int32) * 100 + short
        ok &= ~(plus & (ref - years < _CENTENARIAN))
    else:
        years = ref - (ref - short) % 100 - np.where(plus, 100, 0)
    ok &= _vector_dates_ok(years, ten[2] * 10 + ten[3], ten[4] * 10 + ten[5], ref)
    out = np.empty((len(raw), 12), dtype=np.uint8)
    for position, power in enumerate((1000, 100, 10, 1)):
        out[:, position] = (years // power) % 10 + _ZERO
    out[:, 4:8] = raw[:, start + 2 : start + 6]
    out[:, 8:12] = raw[:, serial_at : serial_at + 4]
    return ok, out


def normalise_personnummer_array(
    cells: pa.Array, *, reference_year: int
) -> tuple[pa.Array, np.ndarray]:
    """Vectorised ``normalise_personnummer`` for the common, unpadded forms of a string array.

    Returns the 12-digit forms (null where not accepted) and a boolean mask of the accepted
    cells. A cell is accepted only when ``normalise_personnummer`` would accept it with the same
    result; the rest (whitespace, invalid numbers) must be checked one by one by the caller,
    which also gives each its exact issue code.
    """
    count = len(cells)
    lengths = pc.binary_length(cells).fill_null(0).to_numpy(zero_copy_only=False)
    accepted = np.zeros(count, dtype=bool)
    digits = np.zeros((count, 12), dtype=np.uint8)
    for length in _LAYOUTS:
        selected = lengths == length
        if not selected.any():
            continue
        same = cells if selected.all() else cells.filter(pa.array(selected))
        fixed = same.cast(pa.binary(length))
        raw = np.frombuffer(fixed.buffers()[1], dtype=np.uint8)
        raw = raw[fixed.offset * length : (fixed.offset + len(fixed)) * length]
        ok, out = _layout_numbers(raw.reshape(-1, length), reference_year)
        rows = np.flatnonzero(selected)
        accepted[rows[ok]] = True
        digits[rows] = out
    kept = digits[accepted]
    offsets = np.concatenate([[0], np.cumsum(accepted.astype(np.int32) * 12)]).astype(np.int32)
    validity = pa.py_buffer(np.packbits(accepted, bitorder="little"))
    normalised = pa.StringArray.from_buffers(
        count, pa.py_buffer(offsets), pa.py_buffer(kept.tobytes()), validity
    )
    return normalised, accepted
