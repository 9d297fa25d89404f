"""Import issues: what is wrong with a file, where, in English and Swedish.

An ``Issue`` names the file, the 1-based row and the column, never the value of a sensitive
column. ``value_hint`` is only ever filled from non-sensitive columns and is passed through
``redact`` as a second guard, so nothing shaped like a personnummer can appear in a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_ISSUES_PER_FILE = 200
"""Issues kept per file; the rest are counted in one final ``too_many_issues`` issue."""

_HINT_LENGTH = 40

# Anything shaped like a personnummer or samordningsnummer (10 or 12 digits, optional - or +).
_PERSONNUMMER_SHAPE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+\s]?\d{4}(?!\d)")

# code -> (English template, Swedish template). Placeholders: {column}, {expected}, {hint}.
TEMPLATES: dict[str, tuple[str, str]] = {
    "file_empty": ("the file is empty", "filen är tom"),
    "file_type_mismatch": (
        "the file's content is not the type its name says ({expected})",
        "filens innehåll är inte av den typ som namnet anger ({expected})",
    ),
    "file_truncated": (
        "the file is incomplete or damaged ({expected})",
        "filen är ofullständig eller skadad ({expected})",
    ),
    "archive_too_large": (
        "the file unpacks to more than {expected}; refused as a possible zip bomb",
        "filen packas upp till mer än {expected} och avvisas som en möjlig zip-bomb",
    ),
    "archive_ratio": (
        "the file is compressed more than {expected} to 1; refused as a zip bomb",
        "filen är komprimerad mer än {expected} gånger och avvisas som en zip-bomb",
    ),
    "archive_members": (
        "the file holds more than {expected} parts",
        "filen innehåller fler än {expected} delar",
    ),
    "xml_dtd": (
        "the file holds XML with a document type definition ({expected}), which is not allowed",
        "filen innehåller XML med en dokumenttypsdefinition ({expected}), vilket inte tillåts",
    ),
    "pdf_active_content": (
        "the PDF holds JavaScript, embedded files or launch actions",
        "PDF-filen innehåller JavaScript, inbäddade filer eller startåtgärder",
    ),
    "too_many_pages": (
        "the file has more than {expected} pages",
        "filen har fler än {expected} sidor",
    ),
    "too_many_rows": (
        "the file has more than {expected} rows",
        "filen har fler än {expected} rader",
    ),
    "pseudonym_key_changed": (
        "the pseudonym key is not the one the imported data were made with (key {expected}); "
        "restore the right key, or the students would not link to their history",
        "pseudonymiseringsnyckeln är inte den som tidigare importerade data skapades med "
        "(nyckel {expected}); återställ rätt nyckel, annars kopplas eleverna inte till sin "
        "historik",
    ),
    "pseudonym_key_missing": (
        "the pseudonym key is missing or unsafe; the administrator must restore it",
        "pseudonymiseringsnyckeln saknas eller är osäker; administratören måste återställa den",
    ),
    "staging_expired": (
        "the validated file is no longer kept (it is deleted an hour after upload); "
        "upload it again",
        "den validerade filen sparas inte längre (den raderas en timme efter uppladdning); "
        "ladda upp den igen",
    ),
    "time_limit": (
        "reading the file took too long ({expected}) and was stopped",
        "läsningen av filen tog för lång tid ({expected}) och avbröts",
    ),
    "memory_limit": (
        "reading the file needed too much memory and was stopped",
        "läsningen av filen krävde för mycket minne och avbröts",
    ),
    "file_unreadable": ("the file cannot be read: {expected}", "filen kan inte läsas: {expected}"),
    "binary_file": (
        "the file is not a text or spreadsheet file ({expected})",
        "filen är varken text eller kalkylark ({expected})",
    ),
    "unsupported_format": (
        "unsupported file type, expected {expected}",
        "filtypen stöds inte, förväntade {expected}",
    ),
    "encoding": (
        "the text cannot be decoded as {expected}",
        "texten går inte att avkoda som {expected}",
    ),
    "malformed_csv": ("the CSV is malformed: {expected}", "CSV-filen är felformaterad: {expected}"),
    "field_too_large": (
        "a cell is larger than {expected} characters",
        "en cell är större än {expected} tecken",
    ),
    "header_not_found": (
        "no header row found; expected columns such as {expected}",
        "ingen rubrikrad hittades; förväntade kolumner som {expected}",
    ),
    "missing_column": (
        "required column missing: {expected}",
        "obligatorisk kolumn saknas: {expected}",
    ),
    "duplicate_column": (
        "column {column} appears more than once",
        "kolumnen {column} förekommer mer än en gång",
    ),
    "no_data_rows": ("the file has a header but no data rows", "filen har rubriker men inga rader"),
    "row_too_short": (
        "the row has fewer cells than the header ({expected}); is the file truncated?",
        "raden har färre celler än rubrikraden ({expected}); är filen avkortad?",
    ),
    "extra_cells": (
        "the row has values beyond the last column ({expected})",
        "raden har värden efter sista kolumnen ({expected})",
    ),
    "required_value": ("a value is required ({expected})", "värde saknas ({expected})"),
    "invalid_number": ("not a number, expected {expected}", "inte ett tal, förväntade {expected}"),
    "invalid_integer": (
        "not a whole number, expected {expected}",
        "inte ett heltal, förväntade {expected}",
    ),
    "out_of_range": ("value out of range, expected {expected}", "värdet utanför {expected}"),
    "invalid_code": ("invalid code, expected {expected}", "ogiltig kod, förväntade {expected}"),
    "unknown_school_unit": (
        "school unit not in the register ({expected})",
        "skolenheten finns inte i registret ({expected})",
    ),
    "outside_organizer": (
        "school unit not one of the organizer's; expected one of the organizer's school units "
        "({expected})",
        "skolenheten tillhör inte huvudmannen; förväntade en av huvudmannens skolenheter "
        "({expected})",
    ),
    "outside_region": (
        "school unit not in the region; expected a school unit in one of the region's "
        "municipalities ({expected})",
        "skolenheten ligger inte i regionen; förväntade en skolenhet i någon av regionens "
        "kommuner ({expected})",
    ),
    "invalid_personnummer": (
        "not a personnummer, expected {expected}",
        "inte ett personnummer, förväntade {expected}",
    ),
    "personnummer_checksum": (
        "the personnummer's check digit is wrong",
        "personnumrets kontrollsiffra stämmer inte",
    ),
    "personnummer_date": (
        "the personnummer's date of birth is not a real date",
        "personnumrets födelsedatum är inte ett giltigt datum",
    ),
    "invalid_school_year": (
        "not a school year, expected {expected}",
        "inte ett läsår, förväntade {expected}",
    ),
    "invalid_grade": ("not a grade, expected {expected}", "inte ett betyg, förväntade {expected}"),
    "old_grade_scale": (
        "grade from an older grading scale; expected {expected}",
        "betyg från en äldre betygsskala; förväntade {expected}",
    ),
    "invalid_choice": ("unknown value, expected {expected}", "okänt värde, förväntade {expected}"),
    "invalid_date": ("not a date, expected {expected}", "inte ett datum, förväntade {expected}"),
    "formula": (
        "the cell holds a spreadsheet formula; formulas are not imported",
        "cellen innehåller en kalkylformel; formler importeras inte",
    ),
    "inconsistent_values": ("inconsistent values: {expected}", "motstridiga värden: {expected}"),
    "duplicate_key": (
        "duplicate row: the same {expected} occurs on an earlier row",
        "dubblettrad: samma {expected} finns på en tidigare rad",
    ),
    "survey_mismatch": (
        "this column is not the survey's next question (expected {expected}): the file "
        "belongs to another survey or version",
        "kolumnen är inte enkätens nästa fråga (förväntade {expected}): filen hör till en "
        "annan enkät eller version",
    ),
    "unknown_survey": (
        "unknown survey version, expected one of {expected}",
        "okänd enkätversion, förväntade en av {expected}",
    ),
    "invalid_json": ("invalid JSON: {expected}", "ogiltig JSON: {expected}"),
    "internal_error": (
        "the file could not be processed ({expected}); please report this",
        "filen kunde inte behandlas ({expected}); rapportera gärna felet",
    ),
    "too_many_issues": (
        "and {expected} more issues not shown",
        "och ytterligare {expected} fel som inte visas",
    ),
}


# What a cell should hold (``expected``), in Swedish. The texts are written in the kinds in
# English; codes, ranges and Swedish words pass through, and ``expected_sv`` turns the
# connecting words. A test renders every literal the kinds use and finds no English left.
EXPECTED_SV: dict[str, str] = {
    "a number": "ett tal",
    "a number or null": "ett tal eller null",
    "6, 9 or 10 (upper secondary)": "6, 9 eller 10 (gymnasieskolan)",
    "A-F (the grading scale used since 2011/12)": "A-F (betygsskalan sedan 2011/12)",
    "age 0-120, e.g. 15 or 15 år": "ålder 0-120, t.ex. 15 eller 15 år",
    "kommunkod, 4 digits": "kommunkod, 4 siffror",
    "organisationsnummer, 10 digits": "organisationsnummer, 10 siffror",
    "skolenhetskod, 8 digits": "skolenhetskod, 8 siffror",
    "no personnummer column in a planning basis": (
        "ingen personnummerkolumn i ett planeringsunderlag"
    ),
    "programme code such as NA or IMV": "programkod, t.ex. NA eller IMV",
    "subject or course code such as MA or MATMAT01a": (
        "ämnes- eller kurskod, t.ex. MA eller MATMAT01a"
    ),
    "JSON nested at most a few levels deep": "JSON med högst några nivåer",
    "KPI, municipality, period and gender": "nyckeltal, kommun, period och kön",
    "a JSON document in UTF-8 (Kolada's API answer)": (
        "ett JSON-dokument i UTF-8 (svaret från Koladas API)"
    ),
    "a code of the right length": "en kod med rätt längd",
    "a line 'Valt läsår: 2024/25' above the header": (
        "en rad 'Valt läsår: 2024/25' ovanför rubrikraden"
    ),
    "every page of the answer: the last page saved still names a next page": (
        "alla sidor av svaret: den sist sparade sidan hänvisar till en sida till"
    ),
    "value columns": "värdekolumner",
    "a date, 2025-08-18": "ett datum, 2025-08-18",
    "a name": "ett namn",
    "letters, digits and - / _ . : (at most 40)": "bokstäver, siffror och - / _ . : (högst 40)",
    "the case number (ärendenummer)": "ärendenumret",
    "år and antal, or one column per year": "år och antal, eller en kolumn per år",
    "F/K (flicka) or M/P (pojke)": "F/K (flicka) eller M/P (pojke)",
    "GR, FKLASS, GRAN, GY, GYAN, VUX or SFI (or the Swedish name)": (
        "GR, FKLASS, GRAN, GY, GYAN, VUX eller SFI (eller det svenska namnet)"
    ),
}

_CONNECTORS = ((" or ", " eller "), ("e.g. ", "t.ex. "), (" digits", " siffror"))


def expected_sv(text: str) -> str:
    """``text`` (what a cell should hold) in Swedish."""
    if text in EXPECTED_SV:
        return EXPECTED_SV[text]
    for english, swedish in _CONNECTORS:
        text = text.replace(english, swedish)
    return text


def redact(text: str) -> str:
    """``text`` cut to a short hint with anything shaped like a personnummer masked."""
    short = text if len(text) <= _HINT_LENGTH else text[: _HINT_LENGTH - 1] + "…"
    return _PERSONNUMMER_SHAPE.sub("<redacted>", short)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an imported file.

    ``row`` is the 1-based row in the file (sheet rows for spreadsheets, 0 for the whole file),
    ``column`` the header as written in the file ('' for the whole row or file), ``code`` a
    stable key of ``TEMPLATES``, ``expected`` what would have been valid, and ``value_hint`` a
    short, redacted excerpt of a non-sensitive value (``None`` for sensitive columns).
    """

    file: str
    row: int
    column: str
    code: str
    expected: str = ""
    value_hint: str | None = field(default=None)

    def __post_init__(self) -> None:
        if self.code not in TEMPLATES:
            raise ValueError(f"unknown issue code: {self.code}")
        if self.value_hint is not None:
            object.__setattr__(self, "value_hint", redact(self.value_hint))

    def _message(self, language: int) -> str:
        template = TEMPLATES[self.code][language]
        expected = expected_sv(self.expected) if language == 1 else self.expected
        text = template.format(column=self.column, expected=expected, hint=self.value_hint)
        if self.value_hint is not None:
            text += (
                f" (got {self.value_hint!r})" if language == 0 else f" (fick {self.value_hint!r})"
            )
        return text

    @property
    def message_en(self) -> str:
        """The message in English, for logs and the CLI."""
        return self._message(0)

    @property
    def message_sv(self) -> str:
        """The message in Swedish, for the web interface."""
        return self._message(1)

    def message(self, language: str) -> str:
        """The message in ``language`` (a language code: Swedish for ``sv``, else English)."""
        return self._message(1 if language.startswith("sv") else 0)

    def format_cli(self, language: str = "en") -> str:
        """``FILE:ROW:COLUMN: message`` in ``language`` (English for logs by default)."""
        return f"{self.file}:{self.row}:{self.column}: {self.message(language)}"


class IssueLog:
    """Collects issues for one file, keeping at most ``limit`` and counting the rest."""

    __slots__ = ("_dropped", "_file", "_issues", "limit")

    def __init__(self, file: str, limit: int = MAX_ISSUES_PER_FILE) -> None:
        self._file = file
        self._issues: list[Issue] = []
        self._dropped = 0
        self.limit = limit

    def add(
        self,
        row: int,
        column: str,
        code: str,
        expected: str = "",
        value_hint: str | None = None,
        *,
        file: str | None = None,
    ) -> None:
        """Record one issue (``file`` overrides the log's file name, e.g. for a sheet)."""
        if len(self._issues) >= self.limit:
            self._dropped += 1
            return
        self._issues.append(
            Issue(file or self._file, row, column, code, expected, value_hint=value_hint)
        )

    def add_dropped(self, count: int) -> None:
        """Count ``count`` issues found but not kept (the log is full)."""
        self._dropped += count

    @property
    def kept(self) -> int:
        """Issues kept so far (at most ``limit``)."""
        return len(self._issues)

    def __bool__(self) -> bool:
        return bool(self._issues)

    def __len__(self) -> int:
        return len(self._issues) + self._dropped

    def issues(self) -> list[Issue]:
        """The kept issues in the order found, plus the ``too_many_issues`` summary if any."""
        result = list(self._issues)
        if self._dropped:
            result.append(Issue(self._file, 0, "", "too_many_issues", str(self._dropped)))
        return result
