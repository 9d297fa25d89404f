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
