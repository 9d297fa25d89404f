"""Pandas reference for the completion follow-up and the early warning's evaluation.

Written from the definitions in ``likvard_core.analytics.completion`` (cohort, warning,
evaluation), not from their SQL: one row per student and school year (the lowest school unit
code when a student has two), starters are first enrolments in årskurs 1, outcomes at 3, 4 and
5 years from the diploma and certificate years and the last year enrolled, terms' rates from
the absence minutes. The baseline of ``bench/completion.py`` and ``bench/early_warning.py``,
which time the reading of the Parquet files too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

HORIZONS = (3, 4, 5)
PREPARATORY = ("EK", "ES", "HU", "NA", "SA", "TE", "IB")
DIPLOMAS = ("preparatory_diploma", "vocational_diploma", "diploma")
STUDY = "study_certificate"
GY_COLUMNS = ("school_year", "student_key", "school_unit_code", "organizer_code",
              "programme_code", "home_municipality_code", "grade_year", "born_abroad")  # fmt: skip
PATHS = ("moved_programme", "moved_organizer", "moved_municipality", "im_to_national")
Z = 1.959963984540054
"""The normal quantile of a two-sided 95 % interval."""


def read_upper_secondary(paths: Sequence[Path]) -> pd.DataFrame:
    """The gymnasieskola enrolments of ``paths`` with the columns the follow-up reads."""
    return pd.read_parquet(
        [str(p) for p in paths],
        columns=list(GY_COLUMNS),
        filters=[("school_form", "==", "gymnasieskola")],
    )


def read_diplomas(paths: Sequence[Path]) -> pd.DataFrame:
    """Certificates: student, school year issued, certificate."""
    return pd.read_parquet(
        [str(p) for p in paths], columns=["school_year", "student_key", "certificate"]
    )


def read_absence(paths: Sequence[Path]) -> pd.DataFrame:
    """Absence minutes per student, school year and term (every unit)."""
    return pd.read_parquet(
        [str(p) for p in paths],
        columns=["school_year", "term", "student_key", "scheduled_minutes", "absent_minutes",
                 "unexcused_minutes"],
    )  # fmt: skip


def starters(
    gy: pd.DataFrame,
    diplomas: pd.DataFrame,
    unit_municipalities: Mapping[str, str],
    last_year: int,
) -> pd.DataFrame:
    """One row per starter: start year, groups, outcome at each horizon, paths, ``last_3``."""
    rows = gy.sort_values(["school_year", "student_key", "school_unit_code"])
    rows = rows.drop_duplicates(["school_year", "student_key"], keep="first").copy()
    rows["programme_code"] = rows["programme_code"].fillna("")
    rows["school_municipality"] = rows["school_unit_code"].map(unit_municipalities).fillna("")
    first = rows.groupby("student_key")["school_year"].transform("min")
    start = rows[(rows["school_year"] == first) & (rows["grade_year"] == 1)].copy()
    start = start.rename(columns={"school_year": "start_year"})
    later = rows[["student_key", "school_year", "programme_code", "organizer_code",
                  "school_municipality"]].merge(
        start[["student_key", "start_year", "programme_code", "organizer_code",
               "school_municipality"]],
        on="student_key", suffixes=("", "_start"),
    )  # fmt: skip
    later = later[
        (later["school_year"] >= later["start_year"])
        & (later["school_year"] <= later["start_year"] + 4)
    ]
    flags = pd.DataFrame({"student_key": later["student_key"]})
    for k in HORIZONS:
        flags[f"last_{k}"] = later["school_year"].where(
            later["school_year"] <= later["start_year"] + k - 1
        )
    flags["moved_programme"] = later["programme_code"] != later["programme_code_start"]
    flags["moved_organizer"] = later["organizer_code"] != later["organizer_code_start"]
    flags["moved_municipality"] = later["school_municipality"] != later["school_municipality_start"]
    flags["im_to_national"] = later["programme_code_start"].str.startswith("IM") & ~later[
        "programme_code"
    ].str.startswith("IM")
    paths = flags.groupby("student_key").agg(
        {**{f"last_{k}": "max" for k in HORIZONS}, **dict.fromkeys(PATHS, "any")}
    )
    start = start.merge(paths, left_on="student_key", right_index=True, how="left")
    issued = diplomas.assign(is_diploma=diplomas["certificate"].isin(DIPLOMAS))
    diploma_year = issued[issued["is_diploma"]].groupby("student_key")["school_year"].min()
    certificate_year = (
        issued[issued["certificate"] == STUDY].groupby("student_key")["school_year"].min()
    )
    start["diploma_year"] = start["student_key"].map(diploma_year)
    start["certificate_year"] = start["student_key"].map(certificate_year)
    for k in HORIZONS:
        end = start["start_year"] + k - 1
        outcome = np.select(
            [end > last_year, start["diploma_year"] <= end, start["certificate_year"] <= end,
             start[f"last_{k}"] >= end],
            [None, "diploma", "certificate", "studying"],
            default="interrupted",
        )  # fmt: skip
        start[f"outcome_{k}"] = pd.Series(outcome, index=start.index).where(end <= last_year)
    programme = start["programme_code"]
    start["programme_group"] = np.where(
        programme.str.startswith("IM"),
        "introduction",
        np.where(programme.isin(PREPARATORY), "preparatory", "vocational"),
    )
    born = start["born_abroad"]
    start["background"] = np.where(
        born.isna(), "unknown", np.where(born.fillna(False).astype(bool), "born_abroad",
                                         "born_in_sweden")
    )  # fmt: skip
    return start


COUNTS = ("n", *(f"observed_{k}" for k in HORIZONS), *(f"diploma_{k}" for k in HORIZONS),
          "studying_4", "certificate_4", "interrupted_4", *PATHS)  # fmt: skip


def wilson(hits: np.ndarray, total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95 % interval of ``hits / total`` (NaN where ``total`` is 0), bounds in [0, 1]
    and around the estimate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = hits / total
        denominator = 1.0 + Z * Z / total
        centre = (p + Z * Z / (2.0 * total)) / denominator
        half = Z * np.sqrt(p * (1.0 - p) / total + Z * Z / (4.0 * total * total)) / denominator
    low = np.where(total > 0, np.minimum(np.clip(centre - half, 0.0, 1.0), p), np.nan)
    high = np.where(total > 0, np.maximum(np.clip(centre + half, 0.0, 1.0), p), np.nan)
    return low, high


def followup_by_home(each: pd.DataFrame) -> pd.DataFrame:
    """Starters and outcomes per start year, programme group (and ``all``) and home
    municipality, with each year and group's total (municipality None), and the shares."""
    counted = pd.DataFrame({
        "start_year": each["start_year"], "programme_group": each["programme_group"],
        "home_municipality_code": each["home_municipality_code"], "n": 1,
    })  # fmt: skip
    for k in HORIZONS:
        counted[f"observed_{k}"] = each[f"outcome_{k}"].notna().astype(int)
        counted[f"diploma_{k}"] = (each[f"outcome_{k}"] == "diploma").astype(int)
    for outcome in ("studying", "certificate", "interrupted"):
        counted[f"{outcome}_4"] = (each["outcome_4"] == outcome).astype(int)
    for path in PATHS:
        counted[path] = each[path].fillna(False).astype(int)
    both = pd.concat([counted, counted.assign(programme_group="all")])
    keys = ["start_year", "programme_group", "home_municipality_code"]
    detail = both.groupby(keys, as_index=False)[list(COUNTS)].sum()
    total = both.groupby(keys[:2], as_index=False)[list(COUNTS)].sum()
    total["home_municipality_code"] = None
    table = pd.concat([detail, total], ignore_index=True)
    n = table["n"].to_numpy(float)
    for k in HORIZONS:
        observed = table[f"observed_{k}"].to_numpy(float)
        hits = table[f"diploma_{k}"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            table[f"diploma_{k}_share"] = np.where(observed > 0, hits / observed, np.nan)
        table[f"diploma_{k}_low"], table[f"diploma_{k}_high"] = wilson(hits, observed)
    observed = table["observed_4"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        for outcome in ("studying", "certificate", "interrupted"):
            hits = table[f"{outcome}_4"].to_numpy(float)
            table[f"{outcome}_4_share"] = np.where(observed > 0, hits / observed, np.nan)
        for path in PATHS:
            table[f"{path}_share"] = np.where(n > 0, table[path].to_numpy(float) / n, np.nan)
    return table


def student_terms(absence: pd.DataFrame, rule: Mapping[str, float]) -> pd.DataFrame:
    """Per student and term: rates, the term before's, the two-term window, rule flags."""
    terms = absence.groupby(["student_key", "school_year", "term"], as_index=False)[
        ["scheduled_minutes", "absent_minutes", "unexcused_minutes"]
    ].sum()
    terms["term_index"] = 2 * terms["school_year"].astype(int) + (terms["term"] == "VT")
    scheduled = terms["scheduled_minutes"].astype(float)
    absent = terms["absent_minutes"].astype(float)
    terms["scheduled"], terms["absent"] = scheduled, absent
    terms["rate"] = absent / scheduled.where(scheduled != 0)
    terms["invalid_rate"] = terms["unexcused_minutes"].astype(float) / scheduled.where(
        scheduled != 0
    )
    before = terms[["student_key", "term_index", "scheduled", "absent"]].copy()
    before["term_index"] += 1
    terms = terms.merge(before, on=["student_key", "term_index"], how="left",
                        suffixes=("", "_before"))  # fmt: skip
    terms["previous_rate"] = terms["absent_before"] / terms["scheduled_before"].where(
        terms["scheduled_before"] != 0
    )
    window = terms["scheduled"] + terms["scheduled_before"].fillna(0.0)
    terms["window_rate"] = (terms["absent"] + terms["absent_before"].fillna(0.0)) / window.where(
        window != 0
    )
    flagged = (
        (terms["rate"] >= rule["level"]).fillna(False)
        | (terms["previous_rate"].notna() & (terms["window_rate"] >= rule["window_level"]))
        | ((terms["rate"] - terms["previous_rate"]) >= rule["rise"]).fillna(False)
        | (terms["invalid_rate"] >= rule["invalid_level"]).fillna(False)
    )
    terms["flagged"] = flagged
    return terms


def evaluation(
    each: pd.DataFrame,
    terms: pd.DataFrame,
    tests: Sequence[tuple[str, float]],
    first_absence_year: int,
) -> pd.DataFrame:
    """Per (kind, threshold): starters in the history, positives, flagged, true positives,
    precision, recall and the median lead time in terms of the true positives."""
    history = each[
        (each["programme_group"] != "introduction")
        & each["outcome_3"].notna()
        & (each["start_year"] >= first_absence_year)
    ][["student_key", "start_year", "last_3", "outcome_3"]].copy()
    history["start_index"] = 2 * history["start_year"].astype(int)
    history["end_index"] = 2 * history["last_3"].astype(int) + 1
    history["positive"] = history["outcome_3"].isin(("certificate", "interrupted"))
    joined = terms.merge(history[["student_key", "start_index", "end_index"]], on="student_key")
    joined = joined[
        (joined["term_index"] >= joined["start_index"])
        & (joined["term_index"] < joined["end_index"])
    ]
    rows = []
    for kind, threshold in tests:
        if kind == "term":
            match = joined["rate"] >= threshold
        elif kind == "window":
            match = joined["previous_rate"].notna() & (joined["window_rate"] >= threshold)
        elif kind == "invalid":
            match = joined["invalid_rate"] >= threshold
        else:
            match = joined["flagged"]
        first = joined[match.fillna(False).astype(bool)].groupby("student_key")["term_index"].min()
        flag = history["student_key"].map(first)
        positive = history["positive"]
        lead = (history["end_index"] - flag)[positive & flag.notna()]
        flagged = int(flag.notna().sum())
        hits = int((flag.notna() & positive).sum())
        positives = int(positive.sum())
        rows.append({
            "kind": kind, "threshold": threshold, "n": len(history), "positives": positives,
            "flagged": flagged, "true_positives": hits,
            "precision": hits / flagged if flagged else np.nan,
            "recall": hits / positives if positives else np.nan,
            "lead_terms": float(lead.median()) if len(lead) else np.nan,
        })  # fmt: skip
    return pd.DataFrame(rows)
