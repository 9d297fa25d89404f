"""The import kinds as the upload page offers them: who may import which, in plain words.

The adapters in ``likvard_core.ingest.kinds`` describe kinds and columns in English (for logs and
the CLI); the Swedish text comes from the message catalogue through the msgids listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext, gettext_noop

from likvard.access.policy import (
    Action,
    Viewer,
    allowed,
    student_data_organizers,
)
from likvard.organisations.labels import LabelKind, label
from likvard.organisations.models import Region
from likvard.organisations.selectors import region_list
from likvard_core.ingest.kinds import KINDS, ColumnMeaning
from likvard_core.ingest.kinds.row_kind import RowKind

DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "imports"

REGIONAL_KINDS: frozenset[str] = frozenset({"admissions", "survey_answers"})
"""Student-level kinds a region may import as one joint file: the admissions office's rounds
cover the applicants of every organizer in the region (the rows must name school units in the
region's municipalities; each unit's figures stay its organizer's)."""


# The adapters' English descriptions and column meanings, marked for the catalogue.
DESCRIPTIONS = (
    gettext_noop("Students enrolled on 15 October: one row per student and school unit."),
    gettext_noop("Subject grades in year 6 and the year-9 final certificate (slutbetyg)."),
    gettext_noop("National test results (provbetyg) per student and subject or course."),
    gettext_noop("Upper-secondary course grades."),
    gettext_noop("Absence per student and term, in minutes of scheduled time."),
    gettext_noop("Applications and admission results per round (preliminary, final, reserve)."),
    gettext_noop("Skolverket 'Sök statistik' exports (CSV or XLSX) in long form."),
    gettext_noop("Kolada key figures: the API's JSON answer per KPI, municipality and year."),
    gettext_noop("SCB population by municipality, age and gender (31 December)."),
    gettext_noop(
        "Komvux course and programme starts: places, applicants, admitted, enrolled, "
        "completed and interrupted."
    ),
    gettext_noop("Komvux follow-up: completers in work or studies some months after completing."),
    gettext_noop("Survey results from a vendor: one row per respondent, a column per question."),
    gettext_noop("Upper-secondary diplomas (examen) and study certificates (studiebevis)."),
    gettext_noop("Reported incidents of degrading treatment: one row per case."),
)
MEANINGS = (
    gettext_noop("all absence, minutes"),
    gettext_noop("admission round"),
    gettext_noop("admitted, ja/nej"),
    gettext_noop("born abroad, ja/nej"),
    gettext_noop("choice rank, 1 = first choice"),
    gettext_noop("course code"),
    gettext_noop("course points (gymnasiepoäng), 1-2500"),
    gettext_noop("legal gender F/M"),
    gettext_noop("grade A-F"),
    gettext_noop("årskurs 0-9 (1-4 in upper secondary), empty for komvux/sfi"),
    gettext_noop("årskurs 6 or 9"),
    gettext_noop("årskurs 6 or 9; 10 for upper-secondary course tests"),
    gettext_noop("home municipality (folkbokföringskommun), kommunkod"),
    gettext_noop("moderna språk taken as språkval (counts as 17th merit subject), ja/nej"),
    gettext_noop("newly arrived (registered in Sweden in the last 4 years), ja/nej"),
    gettext_noop("organizer (huvudman), organisationsnummer"),
    gettext_noop("parents' education on SALSA's 1-3 scale"),
    gettext_noop("programme or study path code"),
    gettext_noop("programme code (NA, EK, IMV ...)"),
    gettext_noop("programme code (NA, IMV ...), empty in grundskola"),
    gettext_noop("scheduled time, minutes"),
    gettext_noop("skolform"),
    gettext_noop("skolenhetskod, 8 digits"),
    gettext_noop("school year (läsår), 2024/25 or its spring year 2025"),
    gettext_noop("the year studies start (2025 or 2025/26 for autumn 2025)"),
    gettext_noop("personnummer or samordningsnummer, pseudonymised on import"),
    gettext_noop("subject code (MA, EN, SV, SVA, M2 ...)"),
    gettext_noop("subject or course code (MA, EN, SV, SVA, MATMAT01a ...)"),
    gettext_noop("term, HT or VT"),
    gettext_noop("test grade A-F"),
    gettext_noop("unexcused (ogiltig) absence, minutes"),
    gettext_noop("ignored"),
    gettext_noop("organizer type"),
    gettext_noop("subject"),
    gettext_noop("group"),
    gettext_noop("measure"),
    gettext_noop("period (year)"),
    gettext_noop("status of the value"),
    # komvux_starts and komvux_followup
    gettext_noop("organizing municipality (kommunkod)"),
    gettext_noop("start identifier, unique within the municipality"),
    gettext_noop("start date"),
    gettext_noop("course or programme code"),
    gettext_noop("course or programme name"),
    gettext_noop("kurs or program"),
    gettext_noop("provider (anordnare), by name"),
    gettext_noop("provider type: egen regi, upphandlad or annan kommun"),
    gettext_noop("kommunal or regional (regionalt yrkesvux)"),
    gettext_noop("offered places"),
    gettext_noop("applicants, all choices"),
    gettext_noop("first-hand applicants"),
    gettext_noop("eligible applicants"),
    gettext_noop("admitted"),
    gettext_noop("check date of the enrolled count"),
    gettext_noop("enrolled at the check date"),
    gettext_noop("completed"),
    gettext_noop("interrupted"),
    gettext_noop("months after completing, 1-60"),
    gettext_noop("completers followed up"),
    gettext_noop("in work"),
    gettext_noop("in studies (not in work)"),
    # diplomas and incidents
    gettext_noop("diploma (yrkesexamen, högskoleförberedande examen) or studiebevis"),
    gettext_noop("the case system's case number"),
    gettext_noop("date reported to the principal"),
    gettext_noop("kind: elev mot elev, personal mot elev, diskriminering, annat"),
    gettext_noop("date the investigation started, empty if none"),
    gettext_noop("date measures were taken, empty if none"),
    gettext_noop("date the case was closed, empty while open"),
)
_PREFIXES = {
    "value: ": (gettext_noop("value"), ": "),
    "area code ": (gettext_noop("area code"), " "),
}


@dataclass(frozen=True, slots=True)
class KindOption:
    """One import kind offered to a viewer: name, Swedish label and description, docs."""

    name: str
    label: str
    description: str
    student_level: bool

    @property
    def has_docs(self) -> bool:
        """True when ``docs/imports/<name>.md`` exists."""
        return (DOCS_DIR / f"{self.name}.md").is_file()


def kind_is_student_level(kind: str) -> bool:
    """True when files of ``kind`` hold student-level data (owned by an organizer)."""
    return any(table.student_level for table in KINDS[kind].tables)


def kind_label(name: str) -> str:
    """The label of a file kind or of the fact table of the same name, in the active language
    (from the labelling layer, ``organisations.labels.TABLES``)."""
    return label(LabelKind.TABLE, name)


def kind_option(kind: str) -> KindOption:
    """The ``KindOption`` of ``kind`` (which must be in ``KINDS``), in the active language."""
    adapter = KINDS[kind]
    return KindOption(
        name=kind,
        label=kind_label(kind),
        description=gettext(adapter.description),
        student_level=kind_is_student_level(kind),
    )


def regional_import_regions(viewer: Viewer) -> list[Region]:
    """The regions whose joint files ``viewer`` may import (``REGIONAL_KINDS``)."""
    return [
        region
        for region in region_list()
        if allowed(viewer, Action.IMPORT_REGIONAL_DATA, region=region.code)
    ]


def import_kinds(*, viewer: Viewer) -> list[KindOption]:
    """The kinds ``viewer`` may import: student-level kinds for an organizer analyst (of their
    own organizers), a region's joint files (``REGIONAL_KINDS``) for its regional coordinator,
    public statistics and population for administrators."""
    may_student = any(
        allowed(viewer, Action.IMPORT_STUDENT_DATA, organizer=code)
        for code in student_data_organizers(viewer)
    )
    may_regional = bool(viewer.coordinated_regions)
    may_public = allowed(viewer, Action.IMPORT_PUBLIC_DATA)
    return [
        kind_option(name)
        for name in KINDS
        if (
            (may_student or (may_regional and name in REGIONAL_KINDS))
            if kind_is_student_level(name)
            else may_public
        )
    ]


KIND_READING: dict[str, tuple[str, ...]] = {
    "public_stats": (
        gettext_noop(
            "Download the table from Skolverket's Sök statistik as CSV or XLSX and upload it "
            "as it is: the lines above the header (title, chosen school year, type of "
            "organizer) are read too."
        ),
        gettext_noop(
            "The header is the first row naming a municipality, school unit or county code. "
            "Every other column holds values: each cell becomes one figure, with its school "
            "year, subject or programme, group (all, girls, boys) and measure."
        ),
        gettext_noop(
            "Marks are kept as published: '.' no data, '..' too few students, '-' not "
            "applicable, '~100' rounded. A mark is never read as zero."
        ),
    ),
    "kolada": (
        gettext_noop(
            "Save Kolada's answer (JSON) for the key figures, municipalities and years you "
            "want, as the API gives it. When the answer is split into pages, put every page "
            "in one JSON list; a file whose last page names a next page is refused."
        ),
        gettext_noop(
            "Every value becomes one figure with its key figure, municipality, year and "
            "gender (total, women, men)."
        ),
    ),
    "survey_answers": (
        gettext_noop(
            "Upload the vendor's result file as it is delivered (CSV or XLSX): one row per "
            "respondent and one column per question, headed by the question's code in the "
            "survey definition (F1, F2 ...)."
        ),
        gettext_noop(
            "The column enkät names the survey version (gr-elev/2025). A file whose question "
            "columns are not that version's is refused, naming the first column that differs; "
            "an answer outside the question's scale names its row and column."
        ),
    ),
    "population": (
        gettext_noop(
            "Export the table of population by region, age, sex and year from SCB's "
            "Statistikdatabasen as CSV or XLSX, in long form (year and number of persons) or "
            "with one column per year."
        ),
        gettext_noop(
            "Columns: region (the municipality code, with or without its name), age (15, "
            "15 år, 100+ år), sex (men or women) and the number of persons. Rows for the "
            "whole country, a county, all ages or both sexes are totals and are skipped."
        ),
    ),
}
"""How the kinds that are not one row per student are read (their files follow the source's
own layout); the Swedish text of the column help."""


@dataclass(frozen=True, slots=True)
class ColumnHelp:
    """One column of a kind as the column help shows it: the Swedish header to use, other
    headers that are accepted, whether it is required, and what it holds (translated)."""

    header: str
    also: tuple[str, ...]
    required: bool
    meaning: str


@dataclass(frozen=True, slots=True)
class KindHelp:
    """The column help of one import kind, in the active language."""

    kind: KindOption
    columns: tuple[ColumnHelp, ...]
    reading: tuple[str, ...]
    example: str
    example_language: str


def kind_help(kind: str) -> KindHelp | None:
    """The column help of ``kind`` in the active language: its columns from the adapter, how a
    file of the source's own layout is read, and the example file from ``docs/imports``; None
    for an unknown kind."""
    if kind not in KINDS:
        return None
    adapter = KINDS[kind]
    columns = tuple(
        ColumnHelp(c.names[0], c.names[1:], c.required, gettext(c.meaning))
        for c in (adapter.columns if isinstance(adapter, RowKind) else ())
    )
    example, language = _docs_example(kind)
    reading = tuple(gettext(text) for text in KIND_READING.get(kind, ()))
    return KindHelp(kind_option(kind), columns, reading, example, language)


def _docs_example(kind: str) -> tuple[str, str]:
    """The first fenced example file of ``docs/imports/<kind>.md`` after its "Example" heading
    (or its first ``json`` block) and its language, or empty strings."""
    path = DOCS_DIR / f"{kind}.md"
    if not path.is_file():
        return "", ""
    text = path.read_text(encoding="utf-8")
    start = text.find("## Example")
    pattern = re.compile(r"```(csv|json)\n(.*?)```", re.DOTALL)
    match = pattern.search(text, start if start >= 0 else 0) or pattern.search(text)
    return (match.group(2).rstrip(), match.group(1)) if match else ("", "")


def meaning_display(column: ColumnMeaning) -> str:
    """What a file column was recognised as, in the active language."""
    for prefix, (msgid, separator) in _PREFIXES.items():
        if column.meaning.startswith(prefix):
            return gettext(msgid) + separator + column.meaning.removeprefix(prefix)
    return gettext(column.meaning)
