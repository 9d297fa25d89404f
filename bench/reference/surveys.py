"""Pandas reference for the survey indices (``likvard_core.analytics.surveys``): vectorised.

Each answer gets its item score from ``scores_table(version)`` (the definition's scale, reversed
items inverted, "vet ej" and blanks without a score) by a merge; a respondent's index is the
mean of their scores where they scored at least the index's ``min_answered`` items; a school
unit's index is the mean of its respondents' indices, ``n`` the respondents with a value.
The baseline of ``bench/surveys.py``, which times ``read_answers`` too: pandas reads the same
Parquet file and columns as the product's query does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

COLUMNS = ("respondent_key", "school_unit_code", "question_code", "value")


def read_answers(path: Path, *, survey: str, version: str) -> pd.DataFrame:
    """The answers of one survey version in the Parquet file ``path`` (pyarrow engine)."""
    return pd.read_parquet(
        str(path),
        columns=list(COLUMNS),
        filters=[("survey_key", "==", survey), ("version", "==", version)],
    )


def unit_indices(answers: pd.DataFrame, scores: pa.Table) -> pd.DataFrame:
    """school_unit_code, index_key, n, index_value: every index of every school unit."""
    table = scores.to_pandas()
    table["value"] = table["value"].astype("int64")
    answers = answers.dropna(subset=["value"]).astype({"value": "int64"})
    scored = answers.merge(table, on=["question_code", "value"], how="inner")
    per_respondent = scored.groupby(
        ["respondent_key", "school_unit_code", "index_key"], sort=False
    ).agg(index_value=("score", "mean"), items=("score", "size"), minimum=("min_answered", "min"))
    valid = per_respondent[per_respondent["items"] >= per_respondent["minimum"]].reset_index()
    out = valid.groupby(["school_unit_code", "index_key"], sort=False).agg(
        n=("index_value", "size"), index_value=("index_value", "mean")
    )
    return out.reset_index()
