"""How a region's school units spread per subject and year, from released rows (no names)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard.analyses.equity.selection import subject_label


@dataclass(frozen=True, slots=True)
class DistributionRow:
    """How the schools of a region spread in one subject and year (no school named)."""

    subject_code: str
    school_year: int
    schools: int
    hidden: int
    share_min: float | None
    share_median: float | None
    share_max: float | None
    flagged_higher: int
    flagged_lower: int
    """Units flagged for grading above (``flagged_higher``) or below their tests more often
    than the other units; a unit flagged for doing so *less* often is not counted here."""
    subject: str = ""
    """The subject's name (``selection.subject_label``)."""


def distribution_rows(table: pa.Table) -> list[DistributionRow]:
    """Per subject and year: how many units, their spread, how many flagged (released rows)."""
    everyone = table.filter(pc.equal(table.column("group"), "all"))
    if everyone.num_rows == 0:
        return []
    shown = pc.is_valid(everyone.column("share_higher"))
    columns = {"shown": shown}
    for measure in ("higher", "lower"):
        flagged = pc.and_(
            pc.fill_null(everyone.column(f"flag_{measure}"), False),
            pc.fill_null(everyone.column(f"above_{measure}"), False),
        )
        columns[f"up_{measure}"] = pc.and_(shown, flagged)
    small = everyone.select(["subject_code", "school_year", "share_higher"])
    for name, values in columns.items():
        small = small.append_column(name, values)
    grouped = small.group_by(["subject_code", "school_year"]).aggregate(
        [
            ("subject_code", "count"),
            ("shown", "sum"),
            ("share_higher", "min"),
            ("share_higher", "max"),
            ("up_higher", "sum"),
            ("up_lower", "sum"),
        ]
    )
    grouped = grouped.sort_by([("subject_code", "ascending"), ("school_year", "ascending")])
    medians = _exact_medians(small)
    return [
        DistributionRow(
            subject=subject_label(str(r["subject_code"])),
            subject_code=str(r["subject_code"]),
            school_year=int(r["school_year"]),
            schools=int(r["subject_code_count"]),
            hidden=int(r["subject_code_count"]) - int(r["shown_sum"] or 0),
            share_min=r["share_higher_min"],
            share_median=medians.get((str(r["subject_code"]), int(r["school_year"]))),
            share_max=r["share_higher_max"],
            flagged_higher=int(r["up_higher_sum"] or 0),
            flagged_lower=int(r["up_lower_sum"] or 0),
        )
        for r in grouped.to_pylist()
    ]


def _exact_medians(small: pa.Table) -> dict[tuple[str, int], float]:
    """The exact median share per subject and year over the shown rows."""
    shown = small.filter(pc.is_valid(small.column("share_higher")))
    lists = shown.group_by(["subject_code", "school_year"]).aggregate([("share_higher", "list")])
    return {
        (str(r["subject_code"]), int(r["school_year"])): statistics.median(r["share_higher_list"])
        for r in lists.to_pylist()
    }
