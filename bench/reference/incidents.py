"""Pandas reference for the incident follow-up (``likvard_core.analytics.incidents.followup``).

Written from the definitions: a case's school year is that of its report (1 July starts a new
one), its stage at the end of the data, the cases investigated and with measures within the
chosen days, mean days, and reports per 100 enrolled students of the units that delivered at
least one case. The baseline of ``bench/incidents.py``, which times the Parquet reading too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

STAGES = ("not_investigated", "investigating", "measures_taken", "closed")
SUMMED = ("reports", *STAGES, "investigated_within", "measures_within", "days_investigated_sum",
          "investigated", "days_measures_sum", "measured")  # fmt: skip
CASE_COLUMNS = ("school_unit_code", "reported_on", "investigated_on", "measures_on",
                "closed_on")  # fmt: skip


def read_cases(paths: Sequence[Path]) -> pd.DataFrame:
    """The cases' unit and dates."""
    return pd.read_parquet([str(p) for p in paths], columns=list(CASE_COLUMNS))


def read_students(paths: Sequence[Path], units: Sequence[str]) -> pd.DataFrame:
    """Enrolled students per school year and unit, of ``units`` only."""
    rows = pd.read_parquet(
        [str(p) for p in paths],
        columns=["school_year", "school_unit_code", "student_key"],
        filters=[("school_unit_code", "in", list(units))],
    )
    return (
        rows.groupby(["school_year", "school_unit_code"], as_index=False)["student_key"]
        .nunique()
        .rename(columns={"student_key": "students"})
    )


def case_cells(
    cases: pd.DataFrame, unit_organizers: Mapping[str, str], within_days: int
) -> pd.DataFrame:
    """Per case: school year, organizer, unit and its 0/1 counts and days."""
    frame = cases.copy()
    frame["organizer_code"] = frame["school_unit_code"].map(unit_organizers)
    frame = frame[frame["organizer_code"].notna()]
    reported = pd.to_datetime(frame["reported_on"])
    frame["school_year"] = reported.dt.year + (reported.dt.month >= 7).astype(int)
    days_inv = (pd.to_datetime(frame["investigated_on"]) - reported).dt.days
    days_mea = (pd.to_datetime(frame["measures_on"]) - reported).dt.days
    inv, mea, clo = (frame[c].notna() for c in ("investigated_on", "measures_on", "closed_on"))
    return pd.DataFrame({
        "school_year": frame["school_year"], "organizer_code": frame["organizer_code"],
        "school_unit_code": frame["school_unit_code"], "reports": 1,
        "not_investigated": (~inv & ~clo & ~mea).astype(int),
        "investigating": (inv & ~mea & ~clo).astype(int),
        "measures_taken": (mea & ~clo).astype(int),
        "closed": clo.astype(int),
        "investigated_within": (days_inv <= within_days).astype(int),
        "measures_within": (days_mea <= within_days).astype(int),
        "days_investigated_sum": days_inv.fillna(0).astype("int64"),
        "investigated": inv.astype(int),
        "days_measures_sum": days_mea.fillna(0).astype("int64"),
        "measured": mea.astype(int),
    })  # fmt: skip


def _ratio(top: pd.Series, bottom: pd.Series, scale: float) -> np.ndarray:
    t = top.to_numpy(dtype=float, na_value=np.nan)
    b = bottom.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, t * scale / b, np.nan)


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    table["closed_share"] = _ratio(table["closed"], table["reports"], 1.0)
    table["investigated_within_share"] = _ratio(table["investigated_within"], table["reports"], 1.0)
    table["measures_within_share"] = _ratio(table["measures_within"], table["reports"], 1.0)
    table["mean_days_investigated"] = _ratio(
        table["days_investigated_sum"], table["investigated"], 1.0
    )
    table["mean_days_measures"] = _ratio(table["days_measures_sum"], table["measured"], 1.0)
    table["per_100"] = _ratio(table["reports"], table["students"], 100.0)
    return table


def followup(cells: pd.DataFrame, students: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per school year and ``by`` (``organizer_code`` or ``school_unit_code``), with the year's
    total (``by`` None): the summed counts, students and figures; a unit row has its
    organizer."""
    detail = cells.groupby(["school_year", by], as_index=False)[list(SUMMED)].sum()
    total = cells.groupby("school_year", as_index=False)[list(SUMMED)].sum()
    if by == "organizer_code":
        pairs = cells[["school_unit_code", "organizer_code"]].drop_duplicates()
        enrolled = (
            students.merge(pairs, on="school_unit_code")
            .groupby(["school_year", by], as_index=False)["students"]
            .sum()
        )
    else:
        enrolled = students
    detail = detail.merge(enrolled, on=["school_year", by], how="left")
    total = total.merge(
        students.groupby("school_year", as_index=False)["students"].sum(),
        on="school_year", how="left",
    )  # fmt: skip
    total[by] = None
    table = _finish(pd.concat([detail, total], ignore_index=True))
    if by == "school_unit_code":
        owner = cells.drop_duplicates("school_unit_code").set_index("school_unit_code")[
            "organizer_code"
        ]
        table["organizer_code"] = table["school_unit_code"].map(owner)
    return table
