"""Pandas reference for the komvux measures (``likvard_core.analytics.komvux.measures``).

Written from the working definitions: each measure over the starts that report its count,
its parts (admitted and not admitted; completed, interrupted, continuing and not reported;
in work, in studies and neither), summed per year and breakdown and per year, and the figures
(söktryck, fill rate, completion and interruption rates, outcome and work rates, with Wilson
intervals). The baseline of ``bench/komvux.py``, which times the Parquet reading too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bench.reference.completion import wilson

START_COLUMNS = ("municipality_code", "start_id", "start_date", "course_code", "provider_type",
                 "places", "applicants", "first_hand", "eligible", "admitted", "enrolled",
                 "completed", "interrupted")  # fmt: skip
FOLLOWUP_COLUMNS = ("municipality_code", "start_id", "months", "followed_up", "in_work",
                    "in_studies")  # fmt: skip
PARTS = {
    "applications": ("applicants", ("admitted", "not_admitted")),
    "first_hand": ("first_hand", ()),
    "eligible": ("eligible", ()),
    "enrolment": ("enrolled", ("completed", "interrupted", "continuing", "not_reported")),
    "outcomes": ("followed_up", ("in_work", "in_studies", "neither")),
}


def read_starts(
    start_paths: Sequence[Path], followup_paths: Sequence[Path], months: int
) -> pd.DataFrame:
    """Every start with its follow-up ``months`` after completing (NaN when none)."""
    starts = pd.read_parquet([str(p) for p in start_paths], columns=list(START_COLUMNS))
    followup = pd.read_parquet([str(p) for p in followup_paths], columns=list(FOLLOWUP_COLUMNS))
    followup = followup[followup["months"] == months].drop(columns="months")
    frame = starts.merge(followup, on=["municipality_code", "start_id"], how="left")
    frame["year"] = pd.to_datetime(frame["start_date"]).dt.year
    frame["start_key"] = frame["municipality_code"] + "/" + frame["start_id"]
    return frame


def _reporting(starts: pd.DataFrame, measure: str) -> pd.DataFrame:
    count, _ = PARTS[measure]
    rows = starts[starts[count].notna()].copy()
    if measure == "enrolment":
        ended = rows["completed"].notna()
        rows["enrolled_ended"] = rows["enrolled"].where(ended, 0)
        settled = rows["completed"].fillna(0) + rows["interrupted"].fillna(0)
        rows["continuing"] = (rows["enrolled"] - settled).where(ended)
        rows["not_reported"] = rows["enrolled"].where(~ended)
    if measure == "applications":
        admitted = rows["admitted"]
        rows["not_admitted"] = (rows["applicants"] - admitted).where(
            admitted.notna(), rows["applicants"]
        )
        rows["admitted"] = admitted.fillna(0)
    if measure == "outcomes":
        rows["neither"] = rows["followed_up"] - (rows["in_work"] + rows["in_studies"])
    return rows


def measure_by(starts: pd.DataFrame, measure: str, by: str) -> pd.DataFrame:
    """``measure`` per year and ``by`` and per year (``by`` None): counts and figures."""
    count, parts = PARTS[measure]
    rows = _reporting(starts, measure)
    extra = ["enrolled_ended"] if measure == "enrolment" else []
    counts = ["places", count, *parts, *extra]
    sparse = {"completed", "interrupted", "continuing"} if measure == "enrolment" else set()
    for column in counts:
        values = rows[column].astype("float64")
        rows[column] = values if column in sparse else values.fillna(0.0)
    summed = [
        rows.groupby(["year", by], as_index=False)[counts].sum(min_count=1),
        rows.groupby("year", as_index=False)[counts].sum(min_count=1).assign(**{by: None}),
    ]
    table = pd.concat(summed, ignore_index=True)
    sums = {c: np.nan_to_num(table[c].to_numpy(float)) for c in counts}
    places = sums["places"]

    def share(hits: np.ndarray, total: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, hits / np.maximum(total, 1.0), np.nan)

    if measure in ("applications", "first_hand", "eligible"):
        table["soktryck"] = share(sums[count], places)
    elif measure == "enrolment":
        completed, interrupted = sums["completed"], sums["interrupted"]
        ended = completed + interrupted
        table["fill_rate"] = share(sums["enrolled"], places)
        table["completion_rate"] = share(completed, sums["enrolled_ended"])
        table["completion_low"], table["completion_high"] = wilson(
            completed, sums["enrolled_ended"]
        )
        table["interruption_rate"] = share(interrupted, ended)
        table["interruption_low"], table["interruption_high"] = wilson(interrupted, ended)
    else:
        followed, hits = sums["followed_up"], sums["in_work"] + sums["in_studies"]
        table["outcome_rate"] = share(hits, followed)
        table["outcome_low"], table["outcome_high"] = wilson(hits, followed)
        table["work_rate"] = share(sums["in_work"], followed)
    return table
