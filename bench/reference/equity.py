"""Pandas reference for ``likvard_core.analytics.equity.grade_vs_test_by_school``.

The same computation in vectorised pandas, written the way a careful analyst would: merge the
grades with the test grades, look up the students' attributes (gender and background) in the
enrolments of the students that have a pair, count per school unit, subject, year and attribute
combination, then spread those cells into the groups (all, girls/boys, background groups) and
add them up. No Python loop runs over rows or groups. Used as the oracle in the hypothesis
tests and as the baseline of the benchmark, which also times ``load_frames`` (reading the same
Parquet files the analytics function reads).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from likvard_core.analytics.equity.groups import (
    BORN_ABROAD,
    BORN_IN_SWEDEN,
    GROUPS,
    NEWLY_ARRIVED,
    PARENTS_HIGH,
    PARENTS_HIGH_FROM,
    PARENTS_LOW,
    PARENTS_MIDDLE,
    PARENTS_MIDDLE_FROM,
)
from likvard_core.stats.intervals import wilson_interval
from likvard_core.terms import GRADE_STEPS, NATIONAL_TESTS_NOT_HELD

COURSE_GRADE_YEAR = 10
ORDER = ["school_unit_code", "subject_code", "school_year", "group"]
ATTRIBUTES = ["gender", "born_abroad", "newly_arrived", "parents_education"]
COLUMNS = {
    "final_grades": ["school_year", "student_key", "school_unit_code", "grade_year",
                     "subject_code", "grade"],
    "course_grades": ["school_year", "student_key", "school_unit_code", "course_code", "grade"],
    "national_tests": ["school_year", "student_key", "grade_year", "subject_code", "test_grade"],
    "enrolments": ["school_year", "student_key", "school_unit_code", "organizer_code", *ATTRIBUTES],
}  # fmt: skip
"""The columns the comparison reads from each fact table."""


def load_frames(
    files: dict[str, Sequence[Path]], *, grade_year: int = 9
) -> dict[str, pd.DataFrame]:
    """The fact tables the comparison needs, read from Parquet (grade-year filter pushed down)."""
    frames: dict[str, pd.DataFrame] = {}
    grades = "course_grades" if grade_year == COURSE_GRADE_YEAR else "final_grades"
    for name, columns in COLUMNS.items():
        if name in {"final_grades", "course_grades"} and name != grades:
            continue
        filters = [("grade_year", "=", grade_year)] if "grade_year" in columns else None
        paths = [str(p) for p in files.get(name, ())]
        frames[name] = pq.read_table(paths, columns=columns, filters=filters).to_pandas()
    return frames


def _pairs(
    finals: pd.DataFrame,
    national_tests: pd.DataFrame,
    *,
    grade_year: int,
    school_units: Sequence[str] | None,
    years: Sequence[int] | None,
    subjects: Sequence[str] | None,
) -> pd.DataFrame:
    tests = national_tests[national_tests["grade_year"] == grade_year]
    tests = tests[~tests["school_year"].isin(sorted(NATIONAL_TESTS_NOT_HELD))]
    for column, wanted in (("school_year", years), ("subject_code", subjects)):
        if wanted is not None:
            finals = finals[finals[column].isin(list(wanted))]
            tests = tests[tests[column].isin(list(wanted))]
    if school_units is not None:
        finals = finals[finals["school_unit_code"].isin(list(school_units))]
    keys = ["school_year", "student_key", "subject_code"]
    pairs = finals.merge(tests[[*keys, "test_grade"]], on=keys, how="inner")
    steps = [pairs[c].map(GRADE_STEPS).astype("float64") for c in ("grade", "test_grade")]
    diff = steps[0] - steps[1]
    pairs = pairs.assign(diff=diff)[diff.notna()]
    return pairs[["school_unit_code", "subject_code", "school_year", "student_key", "diff"]]


def _students(pairs: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    """Per school year and student with a pair: gender and background attributes."""
    keys = ["school_year", "student_key"]
    wanted = pairs[keys].drop_duplicates()
    rows = enrolments.merge(wanted, on=keys, how="inner")
    rows = rows.assign(
        born_abroad=rows["born_abroad"].astype("boolean"),
        newly_arrived=rows["newly_arrived"].astype("boolean"),
    )
    return rows.groupby(keys, as_index=False).agg(
        gender=("gender", "min"),
        born_abroad=("born_abroad", "max"),
        newly_arrived=("newly_arrived", "max"),
        parents_education=("parents_education", "max"),
    )


def _memberships(cells: pd.DataFrame) -> list[pd.Series]:
    """For each kind of group, the group of every cell (NaN where it has none)."""
    gender = cells["gender"].map({"F": "girls", "M": "boys"})
    born = cells["born_abroad"].map({True: BORN_ABROAD, False: BORN_IN_SWEDEN})
    newly = cells["newly_arrived"].map({True: NEWLY_ARRIVED})
    parents = cells["parents_education"].astype("float64")
    parents_group = (
        pd.Series(PARENTS_LOW, index=cells.index, dtype=object)
        .where(parents.notna())
        .mask(parents >= PARENTS_MIDDLE_FROM, PARENTS_MIDDLE)
        .mask(parents >= PARENTS_HIGH_FROM, PARENTS_HIGH)
    )
    everyone = pd.Series("all", index=cells.index)
    return [everyone, gender, born, newly, parents_group]


def _grouped(pairs: pd.DataFrame, enrolments: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    place = ["school_unit_code", "subject_code", "school_year"]
    pairs = pairs.assign(
        n_lower=pairs["diff"] < 0, n_same=pairs["diff"] == 0, n_higher=pairs["diff"] > 0
    )
    counts = {"n": ("diff", "size"), "diff_sum": ("diff", "sum"),
              **{c: (c, "sum") for c in ("n_lower", "n_same", "n_higher")}}  # fmt: skip
    if list(groups) == ["all"]:
        grouped = pairs.groupby(place, as_index=False).agg(**counts)
        return grouped.assign(group="all")
    pairs = pairs.merge(_students(pairs, enrolments), on=["school_year", "student_key"], how="left")
    cells = pairs.groupby([*place, *ATTRIBUTES], as_index=False, dropna=False).agg(**counts)
    spread = [
        cells.assign(group=members)[lambda frame: frame["group"].isin(list(groups))]
        for members in _memberships(cells)
    ]
    long = pd.concat(spread, ignore_index=True)
    sums = ["n", "n_lower", "n_same", "n_higher", "diff_sum"]
    return long.groupby([*place, "group"], as_index=False)[sums].sum()


def grade_vs_test_reference(
    final_grades: pd.DataFrame,
    national_tests: pd.DataFrame,
    enrolments: pd.DataFrame,
    *,
    course_grades: pd.DataFrame | None = None,
    school_units: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    grade_year: int = 9,
    subjects: Sequence[str] | None = None,
    by_gender: bool = True,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per school unit, subject, year and group: counts, shares, mean step, intervals.

    ``frame.attrs["organizers"]`` holds the organizers enrolling students at the result's
    school units in its years (the population the analytics function describes).
    """
    chosen = list(groups) if groups is not None else (list(GROUPS) if by_gender else ["all"])
    if grade_year == COURSE_GRADE_YEAR:
        finals = (
            course_grades
            if course_grades is not None
            else pd.DataFrame(columns=COLUMNS["course_grades"])
        ).rename(columns={"course_code": "subject_code"})
    else:
        finals = final_grades[final_grades["grade_year"] == grade_year]
    pairs = _pairs(finals, national_tests, grade_year=grade_year, school_units=school_units,
                   years=years, subjects=subjects)  # fmt: skip
    frame = _grouped(pairs, enrolments, chosen)
    n = frame["n"].to_numpy(dtype=np.float64)
    for count in ("n_lower", "n_same", "n_higher"):
        share = f"share_{count[2:]}"
        frame[share] = frame[count].to_numpy(dtype=np.float64) / n
        low, high = wilson_interval(frame[count].to_numpy(dtype=np.float64), n)
        frame[f"{share}_ci_low"], frame[f"{share}_ci_high"] = low, high
    frame["mean_step_difference"] = frame["diff_sum"].to_numpy(dtype=np.float64) / n
    frame = frame.drop(columns=["diff_sum"]).sort_values(ORDER, ignore_index=True)
    where = enrolments["school_unit_code"].isin(frame["school_unit_code"].unique()) & enrolments[
        "school_year"
    ].isin(frame["school_year"].unique())
    frame.attrs["organizers"] = sorted(enrolments.loc[where, "organizer_code"].unique())
    return frame
