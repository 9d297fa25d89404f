"""Pandas reference for ``likvard_core.quality.indicators`` at municipality and nation level.

Vectorised pandas (no Python loop over students): per-student merit value, passing all
subjects and eligibility from the year-9 final grades, the student's school unit (most
grades) and background from the enrolments, then ``groupby`` sums per home municipality and
per nation, for all students and by gender. Used as the oracle in tests and as the baseline
in the benchmark.
"""

from __future__ import annotations

import pandas as pd

from likvard_core.terms import GRADE_POINTS

CORE = {"SV", "SVA", "EN", "MA"}
SOCIAL = {"GE", "HI", "SH", "RE"}
SCIENCE = {"BI", "FY", "KE"}
MERIT_SUBJECTS = 16


def _merit(grades: pd.DataFrame) -> pd.Series:
    """16 best grades plus the best moderna språk språkval grade as a 17th, per student."""
    keys = ["school_year", "student_key"]
    lang = grades[grades["language_choice"]].sort_values("pts", ascending=False)
    best_lang = lang.groupby(keys).head(1)
    pool = grades.drop(index=best_lang.index)
    pool = pool.assign(rank=pool.groupby(keys)["pts"].rank(method="first", ascending=False))
    top = pool[pool["rank"] <= MERIT_SUBJECTS].groupby(keys)["pts"].sum()
    extra = best_lang.groupby(keys)["pts"].sum()
    return top.add(extra, fill_value=0.0)


def students_reference(final_grades: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    """One row per year-9 student and year: unit, gender, home municipality and outcomes."""
    keys = ["school_year", "student_key"]
    grades = final_grades[
        (final_grades["grade_year"] == 9) & final_grades["grade"].isin(GRADE_POINTS)
    ].copy()
    grades["pts"] = grades["grade"].map(GRADE_POINTS).astype(float)
    grades["passed"] = grades["pts"] > 0
    subject = grades["subject_code"]
    other = grades["passed"] & ~subject.isin(CORE)
    flags = grades.assign(
        sv=grades["passed"] & subject.isin({"SV", "SVA"}),
        en=grades["passed"] & (subject == "EN"),
        ma=grades["passed"] & (subject == "MA"),
        other=other,
        social=grades["passed"] & subject.isin(SOCIAL),
        science=grades["passed"] & subject.isin(SCIENCE),
    )
    per = flags.groupby(keys).agg(
        passed_all=("passed", "all"), any_pass=("passed", "any"), sv=("sv", "any"),
        en=("en", "any"), ma=("ma", "any"), other=("other", "sum"),
        social=("social", "sum"), science=("science", "sum"),
    )  # fmt: skip
    per["merit_value"] = _merit(grades)
    core = per["sv"] & per["en"] & per["ma"]
    per["eligible_vocational"] = core & (per["other"] >= 5)
    per["eligible_es"] = core & (per["other"] >= 9)
    per["eligible_ek_hu_sa"] = per["eligible_es"] & (per["social"] == len(SOCIAL))
    per["eligible_na_te"] = per["eligible_es"] & (per["science"] == len(SCIENCE))
    counts = grades.groupby([*keys, "school_unit_code"]).size().rename("c").reset_index()
    counts = counts.sort_values(
        [*keys, "c", "school_unit_code"], ascending=[True, True, False, True]
    )
    unit = counts.drop_duplicates(keys).set_index(keys)["school_unit_code"]
    per = per.join(unit).reset_index()
    enrol = enrolments.merge(per[[*keys, "school_unit_code"]], on=keys, suffixes=("", "_home"))
    enrol["order"] = (enrol["school_unit_code"] != enrol["school_unit_code_home"]).astype(int)
    enrol = enrol.sort_values([*keys, "order", "school_unit_code"]).drop_duplicates(keys)
    background = enrol[[*keys, "gender", "home_municipality_code"]]
    return per.merge(background, on=keys, how="left")


def municipality_values_reference(students: pd.DataFrame) -> pd.DataFrame:
    """Values per home municipality (and ``"nation"``), year, group and indicator.

    Columns ``code, school_year, group, indicator, n, value`` (percent or merit points);
    ``group`` is ``None`` for all students, ``girls``/``boys`` otherwise.
    """
    frame = students.assign(
        merit_num=students["merit_value"].where(students["any_pass"], 0.0),
        group=students["gender"].map({"F": "girls", "M": "boys"}).fillna("unknown"),
    )
    shares = {
        "gr9_pass_all": "passed_all",
        "gr9_eligible_vocational": "eligible_vocational",
        "gr9_eligible_es": "eligible_es",
        "gr9_eligible_ek_hu_sa": "eligible_ek_hu_sa",
        "gr9_eligible_na_te": "eligible_na_te",
    }
    for column in shares.values():
        frame[column] = frame[column].astype(float)
    frame["any_pass"] = frame["any_pass"].astype(float)
    sums = ["merit_num", "any_pass", *shares.values()]
    parts = []
    for code_column in ("home_municipality_code", None):
        keys = ["school_year"] if code_column is None else [code_column, "school_year"]
        for by_group in (False, True):
            group_keys = [*keys, "group"] if by_group else keys
            agg = frame.groupby(group_keys)[sums].sum()
            agg["n"] = frame.groupby(group_keys).size()
            agg = agg.reset_index()
            if not by_group:
                agg["group"] = None
            agg["code"] = "nation" if code_column is None else agg[code_column]
            parts.append(agg)
    totals = pd.concat(parts, ignore_index=True)
    rows = [
        totals.assign(indicator=name, value=100.0 * totals[column] / totals["n"])
        for name, column in shares.items()
    ]
    rows.append(
        totals.assign(indicator="gr9_merit_value", value=totals["merit_num"] / totals["any_pass"])
    )
    out = pd.concat(rows, ignore_index=True)
    return out[["code", "school_year", "group", "indicator", "n", "value"]]
