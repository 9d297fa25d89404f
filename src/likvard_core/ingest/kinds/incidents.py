"""Reported incidents of degrading treatment (kränkande behandling) from a school's case system.

One row per case: the school unit, the case number, when it was reported, its kind, and when
it was investigated, when measures were taken and when it was closed (empty while not done).
No personnummer: the case number is the system's own; the figures made from these rows are
counts per school unit, and the rows are shown only inside their own school.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.kinds.row_kind import Column, Finding, RowKind
from likvard_core.ingest.kinds.shared_columns import SCHOOL_UNIT
from likvard_core.ingest.validation import cells
from likvard_core.terms import IncidentKind
from likvard_core.warehouse.schema import INCIDENTS

_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_CASE = re.compile(r"[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9/_.:-]{0,39}")
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
DATE_EXPECTED = "a date such as 2025-03-14"


def date_parser(*, optional: bool) -> cells.Parser:
    """A parser of ISO dates (2025-03-14 or 20250314, a time after it ignored); optional ones
    give None for an empty cell."""

    def parse(cell: str) -> dt.date | None:
        text = cell.strip()
        if not text:
            if optional:
                return None
            raise cells.CellError("required_value", DATE_EXPECTED)
        match = _DATE.fullmatch(text)
        if match is None:
            raise cells.CellError("invalid_date", DATE_EXPECTED)
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise cells.CellError("invalid_date", DATE_EXPECTED) from None
        if not EARLIEST <= day <= LATEST:
            raise cells.CellError("out_of_range", f"{EARLIEST}-{LATEST}")
        return day

    return parse


def case_id(cell: str) -> str:
    """The case system's number: letters, digits and - / _ . : (at most 40)."""
    text = cell.strip()
    if not text:
        raise cells.CellError("required_value", "the case number (ärendenummer)")
    if _CASE.fullmatch(text) is None:
        raise cells.CellError("invalid_code", "letters, digits and - / _ . : (at most 40)")
    return text


_KIND_WORDS = {
    IncidentKind.STUDENT_TO_STUDENT: (
        "elev mot elev", "elev-elev", "elev elev", "kränkning elev", "kränkande behandling",
        "student to student",
    ),
    IncidentKind.STAFF_TO_STUDENT: (
        "personal mot elev", "personal-elev", "personal elev", "vuxen mot elev",
        "staff to student",
    ),
    IncidentKind.DISCRIMINATION: (
        "diskriminering", "trakasserier", "sexuella trakasserier", "discrimination",
    ),
    IncidentKind.OTHER: ("annat", "övrigt", "other"),
}  # fmt: skip
KIND = cells.choice_parser(
    {cells.normalise_header(w): kind.value for kind, words in _KIND_WORDS.items() for w in words},
    "elev mot elev, personal mot elev, diskriminering or annat",
)


def dates_in_order(table: pa.Table) -> Iterable[Finding]:
    """Rows where a later step is dated before the report."""
    findings: list[Finding] = []
    for field, expected in (
        ("investigated_on", "utredd >= anmäld"),
        ("measures_on", "åtgärdad >= anmäld"),
        ("closed_on", "avslutad >= anmäld"),
    ):
        early = pc.fill_null(pc.less(table[field], table["reported_on"]), False)
        findings.extend(
            (index, field, "inconsistent_values", expected)
            for index in pc.indices_nonzero(early).to_pylist()
        )
    return findings


INCIDENTS_KIND = RowKind(
    name="incidents",
    table=INCIDENTS,
    description="Reported incidents of degrading treatment: one row per case.",
    columns=(
        SCHOOL_UNIT,
        Column(
            "case_id",
            ("ärendenummer", "ärende", "ärendenr", "diarienummer", "case number"),
            case_id,
            "the case system's case number",
        ),
        Column(
            "reported_on",
            ("anmäld", "anmälningsdatum", "datum anmält", "anmält", "reported"),
            date_parser(optional=False),
            "date reported to the principal",
        ),
        Column(
            "incident_kind",
            ("typ", "kategori", "ärendetyp", "kind"),
            KIND,
            "kind: elev mot elev, personal mot elev, diskriminering, annat",
        ),
        Column(
            "investigated_on",
            ("utredd", "utredning påbörjad", "utredningsdatum", "investigated"),
            date_parser(optional=True),
            "date the investigation started, empty if none",
            required=False,
        ),
        Column(
            "measures_on",
            ("åtgärdad", "åtgärder", "åtgärdsdatum", "measures"),
            date_parser(optional=True),
            "date measures were taken, empty if none",
            required=False,
        ),
        Column(
            "closed_on",
            ("avslutad", "avslutat", "avslutsdatum", "closed"),
            date_parser(optional=True),
            "date the case was closed, empty while open",
            required=False,
        ),
    ),
    checks=(dates_in_order,),
)
