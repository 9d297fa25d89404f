"""Absence per student, school unit and term, in minutes of scheduled time."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.kinds.row_kind import Column, Finding, RowKind
from likvard_core.ingest.kinds.shared_columns import PERSONNUMMER, SCHOOL_UNIT, SCHOOL_YEAR
from likvard_core.ingest.validation import cells
from likvard_core.warehouse.schema import ABSENCE

_MAX_MINUTES = 1_000_000


def minutes_consistent(table: pa.Table) -> Iterable[Finding]:
    """Rows where absence exceeds scheduled time, or unexcused absence exceeds absence."""
    rules = (
        ("absent_minutes", "scheduled_minutes", "frånvaro <= schemalagd tid"),
        ("unexcused_minutes", "absent_minutes", "ogiltig frånvaro <= frånvaro"),
    )
    findings: list[Finding] = []
    for part, whole, expected in rules:
        bad = pc.greater(table[part], table[whole])
        indices = pc.indices_nonzero(bad).to_pylist()
        findings.extend((index, part, "inconsistent_values", expected) for index in indices)
    return findings


def _minutes(field: str, names: tuple[str, ...], meaning: str) -> Column:
    return Column(field, names, cells.integer_parser(0, _MAX_MINUTES), meaning)


ABSENCE_KIND = RowKind(
    name="absence",
    table=ABSENCE,
    description="Absence per student and term, in minutes of scheduled time.",
    columns=(
        PERSONNUMMER,
        SCHOOL_YEAR,
        Column("term", ("termin", "term"), cells.TERM, "term, HT or VT"),
        SCHOOL_UNIT,
        _minutes(
            "scheduled_minutes",
            ("schemalagd tid", "schemalagda minuter", "schemalagd tid (min)"),
            "scheduled time, minutes",
        ),
        _minutes(
            "absent_minutes",
            ("frånvaro", "total frånvaro", "frånvaro (min)"),
            "all absence, minutes",
        ),
        _minutes(
            "unexcused_minutes",
            ("ogiltig frånvaro", "ogiltig frånvaro (min)", "olovlig frånvaro"),
            "unexcused (ogiltig) absence, minutes",
        ),
    ),
    checks=(minutes_consistent,),
)
