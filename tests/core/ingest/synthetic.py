"""Synthetic import files for the tests: valid personnummer, every student-level kind.

The columns written here are the documented Swedish headers of docs/imports/<kind>.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from likvard_core.ingest.validation.personnummer import luhn_check_digit

HEADERS: dict[str, list[str]] = {
    "enrolments": [
        "personnummer",
        "läsår",
        "skolenhetskod",
        "huvudman",
        "skolform",
        "årskurs",
        "program",
        "hemkommun",
        "kön",
        "född utomlands",
        "nyanländ",
    ],
    "final_grades": [
        "personnummer",
        "läsår",
        "skolenhetskod",
        "årskurs",
        "ämne",
        "betyg",
        "språkval",
    ],
    "national_tests": ["personnummer", "läsår", "skolenhetskod", "årskurs", "ämne", "provbetyg"],
    "course_grades": [
        "personnummer",
        "läsår",
        "skolenhetskod",
        "program",
        "kurskod",
        "poäng",
        "betyg",
    ],
    "absence": [
        "personnummer",
        "läsår",
        "termin",
        "skolenhetskod",
        "schemalagd tid",
        "frånvaro",
        "ogiltig frånvaro",
    ],
    "diplomas": ["personnummer", "läsår", "skolenhetskod", "program", "bevis"],
    "admissions": [
        "personnummer",
        "antagningsår",
        "antagningsomgång",
        "hemkommun",
        "val",
        "skolenhetskod",
        "program",
        "antagen",
    ],
}
SCHOOL_UNITS = ("55529681", "62764006", "58191646", "15567070")
GRADES = "ABCDEF"


def personnummer(index: int, *, twelve: bool = True) -> str:
    """A valid, unique personnummer for ``index`` (0 ≤ index < 3,650,000)."""
    born = date(2009, 1, 1) + timedelta(days=index // 1000)
    serial = f"{index % 1000:03d}"
    short = born.strftime("%y%m%d")
    check = luhn_check_digit(short + serial)
    prefix = born.strftime("%Y%m%d") if twelve else short
    return f"{prefix}-{serial}{check}"


def broken_personnummer(index: int) -> str:
    """The personnummer of ``index`` with a wrong check digit."""
    valid = personnummer(index)
    wrong = (int(valid[-1]) + 1) % 10
    return valid[:-1] + str(wrong)


def row(kind: str, index: int) -> list[str]:
    """One valid data row of ``kind`` for student ``index``."""
    pnr = personnummer(index, twelve=index % 3 != 0)
    unit = SCHOOL_UNITS[index % len(SCHOOL_UNITS)]
    grade = GRADES[index % 6]
    rows = {
        "enrolments": [
            pnr,
            "2024/25",
            unit,
            "2120001355",
            "GR",
            str(1 + index % 9),
            "",
            "1480",
            "F" if index % 2 else "M",
            "nej",
            "ja" if index % 7 == 0 else "nej",
        ],
        "final_grades": [pnr, "2024/25", unit, "9", "MA", grade, "nej"],
        "national_tests": [pnr, "2024/25", unit, "9", "EN", grade],
        "course_grades": [pnr, "2024/25", unit, "NA", "MATMAT01c", "100", grade],
        "absence": [pnr, "2024/25", "HT", unit, "24 000", str(index % 900), str(index % 300)],
        "admissions": [pnr, "2025", "slutlig", "1480", "1", unit, "NA", "ja"],
        "diplomas": [pnr, "2024/25", unit, "NA", "yrkesexamen" if index % 2 else "studiebevis"],
    }
    return rows[kind]


def write_rows(
    path: Path, kind: str, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ";"
) -> Path:
    """Write a header and ``rows`` of ``kind`` as delimited text; returns ``path``."""
    lines = [delimiter.join(HEADERS[kind])] + [delimiter.join(cells) for cells in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_kind(path: Path, kind: str, count: int, **options: str) -> Path:
    """A valid file of ``count`` rows of ``kind``."""
    return write_rows(path, kind, [row(kind, index) for index in range(count)], **options)


STATS_PREAMBLE = (
    "\ufeffStatistik från Skolverket, https://www.skolverket.se\n\n"
    "Grundskola - Testtabell per kön\nValt läsår: 2024/25\n\n"
    ";;;;;Flickor;Flickor;Pojkar;Pojkar;\n"
    "Kommun;Kommun-kod;Län;Läns-kod;Typ av huvudman;Antal elever;Andel (%) godkända;"
    "Antal elever;Andel (%) godkända;\n"
)


def stats_line(index: int) -> str:
    """One data line of the synthetic Skolverket table (with marks and grouped numbers)."""
    code = f"{1 + index // 3:04d}"
    organizer = ("Samtliga", "Kommunal", "Enskild")[index % 3]
    share = ("..", "~100", f"{index % 100},{index % 10}", ".")[index % 4]
    return f"Kommun {code};{code};Län;14;{organizer};{index % 5000 + 1000:,};{share};7;..;".replace(
        ",", " ", 1
    )


def write_stats(path: Path, count: int, *, bad_line: int | None = None) -> Path:
    """A Skolverket-style table of ``count`` rows; ``bad_line`` (file line) gets a bad cell."""
    lines = [stats_line(index) for index in range(count)]
    preamble_lines = STATS_PREAMBLE.count("\n")
    if bad_line is not None:
        cells = lines[bad_line - preamble_lines - 1].split(";")
        cells[6] = "12,3,4"
        lines[bad_line - preamble_lines - 1] = ";".join(cells)
    footer = "\nRapportbeskrivning och definitioner etc.\nTvå prickar (..) visas om färre än 10.\n"
    path.write_bytes((STATS_PREAMBLE + "\n".join(lines) + "\n" + footer).encode("utf-8"))
    return path
