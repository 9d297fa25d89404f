"""Dates as Swedish notes write them: 2022-11-30, 221130, 22-11-30, 30 nov 2022, 9 februari 2023."""

from __future__ import annotations

import datetime as dt
import re

TWO_DIGIT_YEARS = 100  # "221130" and "23-09-27" mean 2022 and 2023
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
ISO_DATE_RE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
SHORT_DATE_RE = re.compile(r"\b(\d\d)-?(\d\d)-?(\d\d)\b")
WORD_DATE_RE = re.compile(r"\b(\d{1,2})\s+([a-zåäö]{3})[a-zåäö]*\.?\s+(20\d\d)\b", re.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """Return the first valid date in ``text`` (2022-11-30, 221130, 22-11-30, 30 nov 2022)."""
    for pattern, order in ((ISO_DATE_RE, "ymd"), (WORD_DATE_RE, "dmy"), (SHORT_DATE_RE, "ymd")):
        for match in pattern.finditer(text):
            try:
                return _date_from(match, order)
            except ValueError:
                continue
    return None


def _date_from(match: re.Match[str], order: str) -> dt.date:
    if order == "dmy":
        month = MONTHS.get(match.group(2).casefold()[:3])
        if month is None:
            raise ValueError(match.group(2))
        return dt.date(int(match.group(3)), month, int(match.group(1)))
    year = int(match.group(1))
    year = year + 2000 if year < TWO_DIGIT_YEARS else year
    return dt.date(year, int(match.group(2)), int(match.group(3)))
