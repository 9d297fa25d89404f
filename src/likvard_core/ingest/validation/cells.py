"""Cell parsers shared by the file kinds: text in, a typed value out, ``CellError`` if invalid.

A parser never puts the cell's value in its error; the caller decides whether a short hint of
the value may be shown (never for sensitive columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from likvard_core.ingest.validation.marks import parse_number
from likvard_core.terms import SchoolForm, SchoolYear

Parser = Callable[[str], object]

GRADES = frozenset("ABCDEF")
OLD_GRADES = frozenset({"MVG", "VG", "G", "IG", "U", "5", "4", "3", "2", "1"})
_SCHOOL_UNIT = re.compile(r"\d{8}")
_MUNICIPALITY = re.compile(r"\d{3,4}")
_ORGANISATION = re.compile(r"(?:16)?(\d{6})-?(\d{4})")
_PROGRAMME = re.compile(r"[A-ZÅÄÖ0-9]{2,12}")
_SUBJECT = re.compile(r"[A-Za-zÅÄÖåäö0-9]{1,20}")
_FORMULA = re.compile(r"[=@]|[+-](?![\s\d.,]|$)|[+-][\d.,]+[+\-*/^&(]")


class CellError(ValueError):
    """An invalid cell: ``code`` is an issue code, ``expected`` says what is valid."""

    def __init__(self, code: str, expected: str = "") -> None:
        super().__init__(code, expected)
        self.code = code
        self.expected = expected


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula.

    That is text starting with ``=`` or ``@``, with ``+``/``-`` directly followed by a
    non-digit (``-cmd|...``, ``+A1``), or a signed number followed by an operator
    (``-2+3+cmd|...``). A signed number (``-3,5``), a lone ``-`` mark and Skolverket's
    labels such as ``- andel (%) flickor`` (sign, space, text) are not formulas.
    """
    return bool(_FORMULA.match(text.strip()))


def normalise_header(text: str) -> str:
    """A header reduced to lower-case letters and digits: ``Skol-enhetskod`` → ``skolenhetskod``."""
    return "".join(char for char in text.casefold() if char.isalnum())


def school_year(cell: str) -> int:
    """The spring year of a school year: ``2024/25``, ``2024/2025``, ``2025`` or ``VT2025``."""
    try:
        return SchoolYear.parse(cell).spring
    except ValueError:
        raise CellError("invalid_school_year", "2024/25 or 2025") from None


def school_unit_code(cell: str) -> str:
    """An eight-digit skolenhetskod."""
    value = cell.strip()
    if not _SCHOOL_UNIT.fullmatch(value):
        raise CellError("invalid_code", "skolenhetskod, 8 digits")
    return value


def municipality_code(cell: str) -> str:
    """A four-digit kommunkod; three digits get their leading zero back (Excel drops it)."""
    value = cell.strip()
    if not _MUNICIPALITY.fullmatch(value):
        raise CellError("invalid_code", "kommunkod, 4 digits")
    return value.zfill(4)


def organisation_number(cell: str) -> str:
    """A ten-digit organisationsnummer, written with or without ``-`` or the ``16`` prefix."""
    match = _ORGANISATION.fullmatch(cell.strip())
    if match is None:
        raise CellError("invalid_code", "organisationsnummer, 10 digits")
    return match.group(1) + match.group(2)


def programme_code(cell: str) -> str | None:
    """A programme code such as ``NA`` or ``IMV`` (upper-cased), or None when empty."""
    value = cell.strip().upper()
    if not value:
        return None
    if not _PROGRAMME.fullmatch(value):
        raise CellError("invalid_code", "programme code such as NA or IMV")
    return value


def required_programme_code(cell: str) -> str:
    """A programme code that must be present."""
    value = programme_code(cell)
    if value is None:
        raise CellError("required_value", "programme code such as NA or IMV")
    return value


def subject_code(cell: str) -> str:
    """A subject or course code such as ``MA``, ``SVA`` or ``MATMAT01a`` (letters and digits)."""
    value = cell.strip()
    if not _SUBJECT.fullmatch(value):
        raise CellError("invalid_code", "subject or course code such as MA or MATMAT01a")
    return value


def grade(cell: str) -> str:
    """A grade on the A-F scale (upper-cased).

    Grades of the older scales (MVG/VG/G/IG, the 1-5 scale) get ``old_grade_scale``;
    the warehouse stores A-F only.
    """
    value = cell.strip().upper()
    if value in GRADES and len(value) == 1:
        return value
    if value in OLD_GRADES:
        raise CellError("old_grade_scale", "A-F (the grading scale used since 2011/12)")
    raise CellError("invalid_grade", "A, B, C, D, E or F")


def integer(cell: str, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``; space thousands separators allowed."""
    try:
        number = parse_number(cell)
    except ValueError:
        raise CellError("invalid_integer", f"{low}-{high}") from None
    if not number.is_integer():
        raise CellError("invalid_integer", f"{low}-{high}")
    if not low <= number <= high:
        raise CellError("out_of_range", f"{low}-{high}")
    return int(number)


def integer_parser(low: int, high: int, *, optional: bool = False) -> Parser:
    """A parser of whole numbers in ``[low, high]``; optional ones give None for empty cells."""

    def parse(cell: str) -> int | None:
        if optional and not cell.strip():
            return None
        return integer(cell, low, high)

    return parse


def number_parser(low: float, high: float) -> Parser:
    """An optional decimal number in ``[low, high]`` (decimal comma or point)."""

    def parse(cell: str) -> float | None:
        if not cell.strip():
            return None
        try:
            number = parse_number(cell)
        except ValueError:
            raise CellError("invalid_number", f"{low:g}-{high:g}") from None
        if not low <= number <= high:
            raise CellError("out_of_range", f"{low:g}-{high:g}")
        return number

    return parse


def choice_parser(
    choices: Mapping[str, object], expected: str, *, optional: bool = False
) -> Parser:
    """A parser mapping normalised words (see ``normalise_header``) to values."""

    def parse(cell: str) -> object:
        key = normalise_header(cell)
        if key in choices:
            return choices[key]
        if optional and not key:
            return None
        raise CellError("required_value" if not key else "invalid_choice", expected)

    return parse


GENDER = choice_parser(
    {
        word: code
        for code, words in {
            "F": ("f", "k", "flicka", "kvinna", "kvinnor", "flickor", "female", "girl", "2"),
            "M": ("m", "p", "pojke", "man", "män", "pojkar", "male", "boy", "1"),
        }.items()
        for word in words
    },
    "F/K (flicka) or M/P (pojke)",
)

BOOLEAN = choice_parser(
    {
        **dict.fromkeys(("ja", "j", "1", "true", "sant", "x", "yes", "y"), True),
        **dict.fromkeys(("nej", "n", "0", "false", "falskt", "no"), False),
    },
    "ja or nej",
    optional=True,
)

REQUIRED_BOOLEAN = choice_parser(
    {
        **dict.fromkeys(("ja", "j", "1", "true", "sant", "x", "yes", "y"), True),
        **dict.fromkeys(("nej", "n", "0", "false", "falskt", "no"), False),
    },
    "ja or nej",
)

TERM = choice_parser({"ht": "HT", "hosttermin": "HT", "vt": "VT", "vartermin": "VT"}, "HT or VT")

SCHOOL_FORM = choice_parser(
    {
        **dict.fromkeys(("gr", "grundskola", "grundskolan"), SchoolForm.COMPULSORY.value),
        **dict.fromkeys(("fklass", "fsk", "förskoleklass"), SchoolForm.PRESCHOOL_CLASS.value),
        **dict.fromkeys(
            ("grs", "gran", "anpassadgrundskola", "grundsärskola"),
            SchoolForm.COMPULSORY_ADAPTED.value,
        ),
        **dict.fromkeys(("gy", "gymnasieskola", "gymnasiet"), SchoolForm.UPPER_SECONDARY.value),
        **dict.fromkeys(
            ("gys", "gyan", "anpassadgymnasieskola", "gymnasiesärskola"),
            SchoolForm.UPPER_SECONDARY_ADAPTED.value,
        ),
        **dict.fromkeys(("vux", "komvux", "kommunalvuxenutbildning"), SchoolForm.ADULT.value),
        **dict.fromkeys(("sfi", "svenskaförinvandrare"), SchoolForm.SFI.value),
    },
    "GR, FKLASS, GRAN, GY, GYAN, VUX or SFI (or the Swedish name)",
)
