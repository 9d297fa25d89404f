"""Pandas reference for ``likvard_core.analytics.quality.indicators`` (the warehouse indicators).

Vectorised pandas (no Python loop over students), the same definitions as the SQL:

- per year-9 student: merit value (16 best grades plus the best moderna språk språkval grade
  as a 17th), passing all subjects, the four eligibilities, counted at the school unit of
  most of their grades (ties: the lowest code);
- per student with national tests: subjects with both a test grade and a final grade
  (``pairs``) and those where the final grade is the higher (``higher``), counted at the
  lowest school unit of those pairs;
- each student's background (gender, organizer, home municipality) from their enrolment at
  that school unit in that year (none: unknown, organizer and municipality missing);
- sums per school unit, organizer, home municipality and the nation, for all students and by
  gender.

Used as the oracle in tests and as the baseline in the benchmark.
"""

from __future__ import annotations

import pandas as pd

from likvard_core.terms import GRADE_POINTS, GRADE_STEPS

CORE = {"SV", "SVA", "EN", "MA"}
SOCIAL = {"GE", "HI", "SH", "RE"}
SCIENCE = {"BI", "FY", "KE"}
MERIT_SUBJECTS = 16
KEYS = ["school_year", "student_key"]
SHARES = {
    "gr9_pass_all": "passed_all",
    "gr9_eligible_vocational": "eligible_vocational",
    "gr9_eligible_es": "eligible_es",
    "gr9_eligible_ek_hu_sa": "eligible_ek_hu_sa",
    "gr9_eligible_na_te": "eligible_na_te",
}
LEVELS = {
    "school_unit": "school_unit_code",
    "organizer": "organizer_code",
    "municipality": "home_municipality_code",
    "nation": None,
}


def _merit(grades: pd.DataFrame) -> pd.Series:
    """16 best grades plus the best moderna språk språkval grade as a 17th, per student."""
    lang = grades[grades["language_choice"]].sort_values("pts", ascending=False)
    best_lang = lang.groupby(KEYS).head(1)
    pool = grades.drop(index=best_lang.index)
    pool = pool.assign(rank=pool.groupby(KEYS)["pts"].rank(method="first", ascending=False))
    top = pool[pool["rank"] <= MERIT_SUBJECTS].groupby(KEYS)["pts"].sum()
    extra = best_lang.groupby(KEYS)["pts"].sum()
    return top.add(extra, fill_value=0.0)


def _grade_outcomes(grades: pd.DataFrame) -> pd.DataFrame:
    """Per student: passing all, any pass, merit value, eligibilities, unit of most grades."""
    subject = grades["subject_code"]
    passed = grades["passed"]
    flags = grades.assign(
        sv=passed & subject.isin({"SV", "SVA"}),
        en=passed & (subject == "EN"),
        ma=passed & (subject == "MA"),
        other=passed & ~subject.isin(CORE),
        social=passed & subject.isin(SOCIAL),
        science=passed & subject.isin(SCIENCE),
    )
    per = flags.groupby(KEYS).agg(
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
    counts = grades.groupby([*KEYS, "school_unit_code"]).size().rename("c").reset_index()
    counts = counts.sort_values(
        [*KEYS, "c", "school_unit_code"], ascending=[True, True, False, True]
    )
    unit = counts.drop_duplicates(KEYS).set_index(KEYS)["school_unit_code"]
    return per.join(unit).reset_index()


def _test_outcomes(grades: pd.DataFrame, tests: pd.DataFrame) -> pd.DataFrame:
    """Per student with test-and-grade pairs: pairs, higher, the lowest unit of the pairs."""
    tested = tests[(tests["grade_year"] == 9) & tests["test_grade"].isin(GRADE_STEPS)]
    tested = tested.assign(t_step=tested["test_grade"].map(GRADE_STEPS))
    pairs = grades.merge(
        tested[[*KEYS, "subject_code", "t_step"]], on=[*KEYS, "subject_code"], how="inner"
    )
    pairs["higher"] = pairs["step"] > pairs["t_step"]
    return (
        pairs.groupby(KEYS)
        .agg(
            pairs=("higher", "size"), higher=("higher", "sum"), school_unit_code=(
                "school_unit_code", "min"),
        )
        .reset_index()
    )  # fmt: skip


def _with_background(students: pd.DataFrame, enrolments: pd.DataFrame) -> pd.DataFrame:
    background = enrolments[
        [*KEYS, "school_unit_code", "gender", "organizer_code", "home_municipality_code"]
    ]
    return students.merge(background, on=[*KEYS, "school_unit_code"], how="left")


def students_reference(
    final_grades: pd.DataFrame, enrolments: pd.DataFrame, national_tests: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Year-9 students with grade outcomes, and students with test pairs, both with background."""
    grades = final_grades[
        (final_grades["grade_year"] == 9) & final_grades["grade"].isin(GRADE_POINTS)
    ].copy()
    grades["pts"] = grades["grade"].map(GRADE_POINTS).astype(float)
    grades["step"] = grades["grade"].map(GRADE_STEPS)
    grades["passed"] = grades["pts"] > 0
    graded = _with_background(_grade_outcomes(grades), enrolments)
    tests = national_tests if national_tests is not None else _no_tests()
    tested = _with_background(_test_outcomes(grades, tests), enrolments)
    return graded, tested


def _no_tests() -> pd.DataFrame:
    columns = ["school_year", "student_key", "grade_year", "subject_code", "test_grade"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _level_sums(frame: pd.DataFrame, sums: list[str]) -> pd.DataFrame:
    """Sums and students per level, code, year and group (``None`` = all students)."""
    frame = frame.assign(
        group=frame["gender"].map({"F": "girls", "M": "boys"}).fillna("unknown"), n=1
    )
    parts = []
    for level, code_column in LEVELS.items():
        keys = ["school_year"] if code_column is None else [code_column, "school_year"]
        for by_group in (False, True):
            group_keys = [*keys, "group"] if by_group else keys
            agg = frame.groupby(group_keys)[[*sums, "n"]].sum().reset_index()
            if not by_group:
                agg["group"] = None
            agg["code"] = "nation" if code_column is None else agg[code_column]
            parts.append(agg.assign(level=level))
    return pd.concat(parts, ignore_index=True)


def municipality_values_reference(students: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """Values per level (school unit, organizer, home municipality, ``"nation"``), year,
    group and indicator.

    Columns ``level, code, school_year, group, indicator, n, value`` (percent or merit
    points); ``group`` is ``None`` for all students, ``girls``/``boys``/``unknown`` otherwise.
    """
    graded, tested = students
    frame = graded.assign(merit_num=graded["merit_value"].where(graded["any_pass"], 0.0))
    for column in [*SHARES.values(), "any_pass"]:
        frame[column] = frame[column].astype(float)
    totals = _level_sums(frame, ["merit_num", "any_pass", *SHARES.values()])
    rows = [
        totals.assign(indicator=name, value=100.0 * totals[column] / totals["n"])
        for name, column in SHARES.items()
    ]
    rows.append(
        totals.assign(indicator="gr9_merit_value", value=totals["merit_num"] / totals["any_pass"])
    )
    if not tested.empty:
        pairs = _level_sums(tested.astype({"pairs": float, "higher": float}), ["pairs", "higher"])
        rows.append(
            pairs.assign(
                indicator="gr9_test_vs_grade", value=100.0 * pairs["higher"] / pairs["pairs"]
            )
        )
    out = pd.concat(rows, ignore_index=True)
    return out[["level", "code", "school_year", "group", "indicator", "n", "value"]]
