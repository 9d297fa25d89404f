"""Skolverket's regional planning basis (regionalt planeringsunderlag) as an importable table.

Skolverket publishes its assessment per county every third year, in no fixed machine-readable
layout (the labels of its assessment categories are unverified), so Likvärd defines one long
table that a coordinator fills from the published report, as CSV or XLSX:

| header | also accepted | meaning |
|---|---|---|
| ``programkod`` | ``program``, ``programme`` | programme code, e.g. ``EE``, ``NA``, ``IMY`` |
| ``år`` | ``läsår``, ``year`` | the year the figure is about, e.g. ``2027`` |
| ``mått`` | ``measure`` | one of ``MEASURES`` (Swedish word, e.g. ``bedömning``) |
| ``värde`` | ``value`` | a number; for ``bedömning`` −1 (dimension down), 0 (keep), 1 (up) |

The file is read with the ingest readers (delimiter, encoding and header row detected; an XLSX
sheet works the same) and validated whole: every problem is an ``Issue`` naming file, row and
column, and nothing is returned unless the whole file is valid (all or nothing). A row repeating
an earlier row's programme, year and measure is ``duplicate_key``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.issues import Issue, IssueLog
from likvard_core.ingest.kinds.base import Context
from likvard_core.ingest.kinds.row_kind import Column, Finding, RowKind
from likvard_core.ingest.readers import ReadError
from likvard_core.ingest.validation import cells
from likvard_core.warehouse.schema import FactTable

MEASURES: dict[str, str] = {
    "bedömning": "assessment",
    "platser": "places",
    "sökande": "applicants",
    "elever": "students",
    "behov": "labour_market_need",
}
"""Swedish measure words accepted in the file → the stored measure."""

ASSESSMENT_VALUES = frozenset({-1.0, 0.0, 1.0})

PLANNING_BASIS = FactTable(
    name="planning_basis",
    schema=pa.schema(
        [
            pa.field("programme_code", pa.string(), nullable=False),
            pa.field("year", pa.int16(), nullable=False),
            pa.field("measure", pa.string(), nullable=False),
            pa.field("value", pa.float64(), nullable=False),
        ]
    ),
    key=("programme_code", "year", "measure"),
    student_level=False,
    description="Skolverket's regional planning basis per programme, year and measure.",
)
"""The table's layout. Not a warehouse fact table: the planning app stores the rows."""


def _required_number(cell: str) -> float:
    value = _NUMBER(cell)
    if value is None:
        raise cells.CellError("required_value", "a number")
    return float(str(value))


_NUMBER = cells.number_parser(-1_000_000_000, 1_000_000_000)
_MEASURE = cells.choice_parser(
    {cells.normalise_header(word): stored for word, stored in MEASURES.items()},
    ", ".join(MEASURES),
)


def _assessment_values(table: pa.Table) -> Iterable[Finding]:
    """An assessment (bedömning) must be −1, 0 or 1."""
    is_assessment = pc.equal(table.column("measure"), "assessment")
    allowed = pa.array(sorted(ASSESSMENT_VALUES), pa.float64())
    wrong = pc.and_(is_assessment, pc.invert(pc.is_in(table.column("value"), value_set=allowed)))
    for index in pc.indices_nonzero(wrong).to_pylist():
        yield (index, "value", "out_of_range", "-1, 0 or 1 for bedömning")


PLANNING_BASIS_KIND = RowKind(
    name="planning_basis",
    table=PLANNING_BASIS,
    description=PLANNING_BASIS.description,
    columns=(
        Column(
            "programme_code",
            ("programkod", "program", "programme"),
            cells.required_programme_code,
            "programme code",
        ),
        Column("year", ("år", "läsår", "year"), cells.integer_parser(2000, 2100), "year"),
        Column("measure", ("mått", "measure"), _MEASURE, "measure: " + ", ".join(MEASURES)),
        Column("value", ("värde", "value"), _required_number, "value, a number"),
    ),
    checks=(_assessment_values,),
)


@dataclass(frozen=True, slots=True)
class BasisRead:
    """A read planning basis: the table when the file is valid, else the issues (never both)."""

    table: pa.Table | None
    issues: tuple[Issue, ...]

    @property
    def valid(self) -> bool:
        """True when the whole file is valid."""
        return self.table is not None


def _no_personnummer(cell: str) -> str:
    raise cells.CellError("invalid_code", "no personnummer column in a planning basis")


def read_planning_basis(path: Path, *, file_name: str) -> BasisRead:
    """Read and validate a planning-basis file (all or nothing); issues name ``file_name``."""
    ctx = Context(file=file_name, pseudonymise=_no_personnummer)
    try:
        tables = PLANNING_BASIS_KIND.read(path, ctx)
    except ReadError as error:
        log = IssueLog(file_name)
        log.add(error.row, "", error.code, error.expected)
        return BasisRead(None, tuple(log.issues()))
    issues = tuple(_renamed(issue, path.name, file_name) for issue in ctx.log.issues())
    if issues or PLANNING_BASIS.name not in tables:
        return BasisRead(None, issues)
    return BasisRead(tables[PLANNING_BASIS.name], ())


def _renamed(issue: Issue, stored: str, file_name: str) -> Issue:
    """The issue under the uploaded file's name (readers name the stored file, ``#sheet``)."""
    name = file_name + issue.file[len(stored) :] if issue.file.startswith(stored) else file_name
    return Issue(name, issue.row, issue.column, issue.code, issue.expected, issue.value_hint)
