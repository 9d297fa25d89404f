"""Upper-secondary applications and admission results per round."""

from __future__ import annotations

from likvard_core.ingest.kinds.row_kind import Column, RowKind
from likvard_core.ingest.kinds.shared_columns import HOME_MUNICIPALITY, PERSONNUMMER, SCHOOL_UNIT
from likvard_core.ingest.validation import cells
from likvard_core.terms import AdmissionRound
from likvard_core.warehouse.schema import ADMISSIONS


def start_year(cell: str) -> int:
    """The calendar year studies start: ``2025`` or ``2025/26`` both give 2025."""
    try:
        return cells.school_year(cell) - (1 if "/" in cell or "-" in cell.strip() else 0)
    except cells.CellError:
        raise cells.CellError("invalid_school_year", "2025 or 2025/26") from None


ROUND = cells.choice_parser(
    {
        **dict.fromkeys(
            ("preliminär", "preliminar", "preliminärantagning", "prel"),
            AdmissionRound.PRELIMINARY.value,
        ),
        **dict.fromkeys(("slutlig", "slutantagning", "slut"), AdmissionRound.FINAL.value),
        **dict.fromkeys(("reserv", "reservantagning"), AdmissionRound.RESERVE.value),
    },
    "preliminär, slutlig or reserv",
)

ADMISSIONS_KIND = RowKind(
    name="admissions",
    table=ADMISSIONS,
    description="Applications and admission results per round (preliminary, final, reserve).",
    columns=(
        PERSONNUMMER,
        Column(
            "school_year",
            ("antagningsår", "läsår", "år"),
            start_year,
            "the year studies start (2025 or 2025/26 for autumn 2025)",
        ),
        Column("admission_round", ("antagningsomgång", "omgång"), ROUND, "admission round"),
        HOME_MUNICIPALITY,
        Column(
            "choice_rank",
            ("val", "valnummer", "prioritet"),
            cells.integer_parser(1, 30),
            "choice rank, 1 = first choice",
        ),
        SCHOOL_UNIT,
        Column(
            "programme_code",
            ("program", "programkod", "studievägskod"),
            cells.required_programme_code,
            "programme or study path code",
        ),
        Column("admitted", ("antagen", "admitted"), cells.REQUIRED_BOOLEAN, "admitted, ja/nej"),
    ),
)
