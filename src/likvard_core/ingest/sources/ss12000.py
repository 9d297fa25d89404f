"""Enrolments from an SS 12000 export (the Swedish school-data standard's JSON API).

Many student-information systems answer the SS 12000 API (SIS TK450, version 2.x). An
organizer saves three of its answers in one JSON file, an *export bundle*::

    {"organisations": {"data": [...]},   # GET /organisations (school units and huvudman)
     "persons": {"data": [...]},         # GET /persons?expand=... with enrolments
     "programmes": {"data": [...]},      # GET /programmes (optional: programme codes)
     "censusDate": "2024-10-15"}         # optional; see below

Each person's enrolments (``enrolments[]``: ``enroledAt`` a school-unit reference,
``schoolType``, ``schoolYear`` = årskurs, ``startDate``/``endDate``, ``cancelled``,
``programme``) that are active on the census date become one row of the enrolments kind, with
the home municipality from the person's ``Folkbokföring`` address and the legal gender from
``sex``. The census date is ``censusDate`` when given, otherwise the latest 15 October on or
before the newest ``meta.modified`` of the persons (when the export was made).

The rows are written as an ordinary enrolments CSV (in memory, never to a disk) and validated
by the same kind as a user's CSV, so every rule (personnummer checksum, codes, school unit in
the register) applies. Issues then name the person's place in the JSON (``row`` = the
person's 1-based position in ``persons.data``, ``column`` = the JSON path), never the
personnummer.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.pipeline import IngestResult

CENSUS_DAY = (10, 15)
HEADER = (
    "personnummer",
    "läsår",
    "skolenhetskod",
    "huvudman",
    "skolform",
    "årskurs",
    "program",
    "hemkommun",
    "kön",
)
_JSON_FIELD = {
    "personnummer": "civicNo.value",
    "läsår": "enrolments[{e}].startDate",
    "skolenhetskod": "enrolments[{e}].enroledAt",
    "huvudman": "enrolments[{e}].enroledAt",
    "skolform": "enrolments[{e}].schoolType",
    "årskurs": "enrolments[{e}].schoolYear",
    "program": "enrolments[{e}].programme",
    "hemkommun": "addresses[Folkbokföring].municipalityCode",
    "kön": "sex",
}
_SEX = {"Kvinna": "F", "Man": "M"}
_ORGANIZER_TYPE = "Huvudman"
_MAX_PARENT_DEPTH = 20
_AUTUMN_MONTH = 7  # a läsår starts in July-August
Json = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Conversion:
    """An SS 12000 bundle as enrolment rows: the CSV text, where each row came from, issues."""

    csv_text: str
    sources: tuple[tuple[int, int], ...]  # per data row: (person index, enrolment index)
    census: date | None
    issues: tuple[Issue, ...]


def looks_like_ss12000(path: Path) -> bool:
    """True when the file starts (after white space and a BOM) with a JSON object."""
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def convert_bundle(document: bytes, *, file_name: str) -> Conversion:
    """The enrolment rows of an SS 12000 export bundle active on its census date."""
    try:
        bundle = json.loads(document.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return _failed(file_name, "a JSON document in UTF-8", type(error).__name__)
    problem = _structure_problem(bundle)
    if problem:
        return _failed(file_name, problem)
    persons: list[Json] = bundle["persons"]["data"]
    census = _census_date(bundle, persons)
    if census is None:
        return _failed(file_name, "censusDate (YYYY-MM-DD) or persons' meta.modified")
    organisations = {str(o.get("id")): o for o in bundle["organisations"]["data"]}
    programmes = {
        str(p.get("id")): p for p in bundle.get("programmes", {}).get("data", []) if "id" in p
    }
    lookup = _Lookup(organisations, programmes, file_name)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    sources: list[tuple[int, int]] = []
    for p_index, person in enumerate(persons):
        for e_index, enrolment in enumerate(person.get("enrolments") or []):
            if not _active(enrolment, census):
                continue
            row = lookup.row(person, enrolment, census, (p_index, e_index))
            if row is not None:
                writer.writerow(row)
                sources.append((p_index, e_index))
    return Conversion(out.getvalue(), tuple(sources), census, tuple(lookup.issues))


def on_converted(path: Path, run: Callable[[Path], T]) -> tuple[T, Conversion]:
    """``run`` on the enrolments CSV converted from the bundle at ``path``, and the conversion.

    The CSV holds clear personnummer, so it is never written to a disk: it lives in an
    anonymous in-memory file (``memfd_create``, Linux) that ``run`` reads through its
    ``/proc/self/fd`` path (so the name ``run`` sees is a number) and that disappears when it
    is closed, before this returns.
    """
    conversion = convert_bundle(path.read_bytes(), file_name=path.name)
    descriptor = os.memfd_create("likvard-ss12000", os.MFD_CLOEXEC)
    try:
        data = conversion.csv_text.encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        return run(Path(f"/proc/self/fd/{descriptor}")), conversion
    finally:
        os.close(descriptor)


def ingest_ss12000(
    path: Path, ingest_csv: Callable[[Path], IngestResult]
) -> tuple[IngestResult, Conversion]:
    """``ingest_csv`` (``ingest_file`` with its options bound) on the converted bundle.

    Returns the result with its ``file`` and issues pointing into the JSON (no tables when
    there is any issue), and the conversion.
    """
    result, conversion = on_converted(path, ingest_csv)
    issues = [*conversion.issues, *(_remap(i, conversion, path.name) for i in result.issues)]
    tables = {} if issues else result.tables
    return replace(result, file=path.name, issues=issues, tables=tables), conversion


def _failed(file_name: str, expected: str, hint: str | None = None) -> Conversion:
    issue = Issue(file_name, 0, "", "invalid_json", expected, hint)
    return Conversion("", (), None, (issue,))


def _structure_problem(bundle: object) -> str:
    if not isinstance(bundle, dict):
        return "an object with organisations and persons"
    for key in ("organisations", "persons"):
        page = bundle.get(key)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            return f'"{key}": {{"data": [...]}} as the SS 12000 API answers'
        if not all(isinstance(item, dict) for item in page["data"]):
            return f"objects in {key}.data"
    return ""


def _census_date(bundle: Json, persons: list[Json]) -> date | None:
    given = bundle.get("censusDate")
    if isinstance(given, str):
        try:
            return date.fromisoformat(given)
        except ValueError:
            return None
    stamps = []
    for person in persons:
        modified = (person.get("meta") or {}).get("modified")
        if isinstance(modified, str):
            try:
                stamps.append(datetime.fromisoformat(modified.replace("Z", "+00:00")).date())
            except ValueError:
                continue
    if not stamps:
        return None
    newest = max(stamps)
    census = date(newest.year, *CENSUS_DAY)
    return census if census <= newest else date(newest.year - 1, *CENSUS_DAY)


def _active(enrolment: Json, census: date) -> bool:
    if enrolment.get("cancelled"):
        return False
    start, end = enrolment.get("startDate"), enrolment.get("endDate")
    try:
        starts = date.fromisoformat(start) if isinstance(start, str) else None
        ends = date.fromisoformat(end) if isinstance(end, str) else None
    except ValueError:
        return True  # let the row through: the validation names the bad date field
    return (starts is None or starts <= census) and (ends is None or census <= ends)


class _Lookup:
    """Resolves references of one bundle and collects the issues it finds."""

    def __init__(
        self, organisations: Mapping[str, Json], programmes: Mapping[str, Json], file_name: str
    ) -> None:
        self.organisations = organisations
        self.programmes = programmes
        self.file_name = file_name
        self.issues: list[Issue] = []

    def row(
        self, person: Json, enrolment: Json, census: date, where: tuple[int, int]
    ) -> list[str] | None:
        unit_id = str((enrolment.get("enroledAt") or {}).get("id", ""))
        unit = self.organisations.get(unit_id)
        if unit is None:
            self._issue(where, "enroledAt", "a school unit listed in organisations.data")
            return None
        organizer = self._organizer(unit)
        if organizer is None:
            self._issue(where, "enroledAt", "a school unit whose parents reach a Huvudman")
            return None
        autumn = census.year if census.month >= _AUTUMN_MONTH else census.year - 1
        return [
            str((person.get("civicNo") or {}).get("value", "")),
            f"{autumn}/{(autumn + 1) % 100:02d}",
            str(unit.get("schoolUnitCode", "")),
            str(organizer.get("organisationNumber", "")),
            str(enrolment.get("schoolType", "")),
            "" if enrolment.get("schoolYear") is None else str(enrolment["schoolYear"]),
            self._programme(enrolment),
            _home_municipality(person),
            _SEX.get(str(person.get("sex", "")), str(person.get("sex", ""))),
        ]

    def _organizer(self, unit: Json) -> Json | None:
        current: Json | None = unit
        for _ in range(_MAX_PARENT_DEPTH):
            if current is None or current.get("organisationType") == _ORGANIZER_TYPE:
                return current
            parent = current.get("parentOrganisation") or {}
            current = self.organisations.get(str(parent.get("id", "")))
        return None

    def _programme(self, enrolment: Json) -> str:
        reference = enrolment.get("programme") or {}
        programme = self.programmes.get(str(reference.get("id", "")), {})
        return str(programme.get("code") or enrolment.get("educationCode") or "")

    def _issue(self, where: tuple[int, int], field: str, expected: str) -> None:
        person, enrolment = where
        column = f"persons.data[{person}].enrolments[{enrolment}].{field}"
        self.issues.append(
            Issue(self.file_name, person + 1, column, "inconsistent_values", expected)
        )


def _home_municipality(person: Json) -> str:
    for address in person.get("addresses") or []:
        if address.get("type") == "Folkbokföring" and address.get("municipalityCode") is not None:
            return f"{int(address['municipalityCode']):04d}"
    return ""


def _remap(issue: Issue, conversion: Conversion, file_name: str) -> Issue:
    """An issue of the generated CSV as a place in the JSON (row 2 is the first person row)."""
    index = issue.row - 2
    if not 0 <= index < len(conversion.sources):
        return replace(issue, file=file_name)
    person, enrolment = conversion.sources[index]
    field = _JSON_FIELD.get(issue.column.lower(), issue.column).format(e=enrolment)
    column = f"persons.data[{person}].{field}" if field else f"persons.data[{person}]"
    return replace(issue, file=file_name, row=person + 1, column=column)
