"""Small komvux import files for the tests, with the documented Swedish headers."""

from __future__ import annotations

STARTS_HEADER = (
    "kommun;kurstillfälle;startdatum;kurskod;kursnamn;typ;anordnare;anordnartyp;"
    "kommunal eller regional;platser;sökande;förstahandssökande;behöriga sökande;antagna;"
    "kontrolldatum;registrerade;slutfört;avbrutit"
)
FOLLOWUP_HEADER = "kommun;kurstillfälle;månader;uppföljda;i arbete;i studier"


def starts_row(i: int) -> str:
    """A valid start: places 20, applicants 30 + i."""
    provider_type = ("egen regi", "upphandlad", "annan kommun")[i % 3]
    provision = ("kommunal", "regional")[i % 2]
    return (
        f"1384;KB-{i:03d};2024-08-19;VARVAR0;Vård och omsorg {i};program;Campus Kungsbacka;"
        f"{provider_type};{provision};20;{30 + i};{20 + i};{25 + i};20;2024-09-15;19;15;3"
    )


def followup_row(i: int) -> str:
    """A valid follow-up of start ``i`` after six months."""
    return f"1384;KB-{i:03d};6;14;10;2"


def starts_file(rows: int = 12, extra: tuple[str, ...] = ()) -> str:
    """A komvux_starts file of ``rows`` valid rows followed by ``extra`` lines."""
    lines = [STARTS_HEADER, *(starts_row(i) for i in range(rows)), *extra]
    return "\n".join(lines) + "\n"


def followup_file(rows: int = 12, extra: tuple[str, ...] = ()) -> str:
    """A komvux_followup file of ``rows`` valid rows followed by ``extra`` lines."""
    lines = [FOLLOWUP_HEADER, *(followup_row(i) for i in range(rows)), *extra]
    return "\n".join(lines) + "\n"
