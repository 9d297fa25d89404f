"""Pandas reference for ``likvard_core.analytics.adjusted`` (school results and the model fit).

Written the obvious way: a Python function per student for the merit value, ``groupby`` per
school, and a statsmodels OLS fit through the formula API.
"""

from __future__ import annotations

import pandas as pd
import statsmodels.formula.api as smf

from likvard_core.terms import GRADE_POINTS

BACKGROUND = ["parents_education", "share_boys", "share_newly_arrived"]


def merit_value(points: list[float], language_choice: list[bool]) -> float:
    """16 best grades plus the best moderna språk språkval grade as a 17th."""
    languages = sorted(
        (p for p, lc in zip(points, language_choice, strict=True) if lc), reverse=True
    )
    others = [p for p, lc in zip(points, language_choice, strict=True) if not lc]
    extra = languages[:1]
    pool = sorted(others + languages[1:], reverse=True)
    return float(sum(pool[:16]) + sum(extra))


def _home_units(grades: pd.DataFrame) -> pd.DataFrame:
    counts = grades.groupby(["school_year", "student_key", "school_unit_code"]).size()
    counts = counts.rename("count").reset_index()
    counts = counts.sort_values(
        ["school_year", "student_key", "count", "school_unit_code"],
        ascending=[True, True, False, True],
    )
    return counts.drop_duplicates(["school_year", "student_key"])[
        ["school_year", "student_key", "school_unit_code"]
    ]


def _background(enrolments: pd.DataFrame, home: pd.DataFrame) -> pd.DataFrame:
    merged = enrolments.merge(home, on=["school_year", "student_key"], suffixes=("", "_home"))
    merged["at_home"] = merged["school_unit_code"] == merged["school_unit_code_home"]
    merged = merged.sort_values(
        ["school_year", "student_key", "at_home", "school_unit_code"],
        ascending=[True, True, False, True],
    ).drop_duplicates(["school_year", "student_key"])
    return merged[["school_year", "student_key", "gender", "newly_arrived", "parents_education"]]


def school_results_reference(
    final_grades: pd.DataFrame, enrolments: pd.DataFrame, *, grade_year: int = 9
) -> pd.DataFrame:
    """Per school and year: n, mean merit value, share passing all, background means."""
    grades = final_grades[
        (final_grades["grade_year"] == grade_year) & final_grades["grade"].isin(GRADE_POINTS)
    ].copy()
    grades["points"] = grades["grade"].map(GRADE_POINTS)
    home = _home_units(grades)
    rows = []
    for (year, key), block in grades.groupby(["school_year", "student_key"]):
        rows.append(
            {
                "school_year": year,
                "student_key": key,
                "merit_value": merit_value(list(block["points"]), list(block["language_choice"])),
                "passed_all": bool((block["points"] > 0).all()),
            }
        )
    students = pd.DataFrame(rows).merge(home, on=["school_year", "student_key"])
    students = students.merge(
        _background(enrolments, home), on=["school_year", "student_key"], how="left"
    )
    students["parents_education"] = students["parents_education"].astype("float64")
    students["boy"] = (students["gender"] == "M").where(students["gender"].notna())
    students["newly_arrived"] = students["newly_arrived"].astype("float64")
    known = students[["parents_education", "gender", "newly_arrived"]].notna().all(axis=1)
    students["known"] = known.astype("float64")
    grouped = students.groupby(["school_unit_code", "school_year"])
    result = pd.DataFrame(
        {
            "n_students": grouped.size(),
            "merit_value": grouped["merit_value"].mean(),
            "share_passing_all": grouped["passed_all"].mean(),
            "parents_education": grouped["parents_education"].mean(),
            "share_boys": grouped["boy"].apply(lambda s: s.astype("float64").mean()),
            "share_newly_arrived": grouped["newly_arrived"].mean(),
            "background_coverage": grouped["known"].mean(),
        }
    )
    return result.reset_index()


def fit_reference(frame: pd.DataFrame, outcome: str = "merit_value"):
    """statsmodels OLS of ``outcome`` on the background through the formula interface."""
    formula = f"{outcome} ~ " + " + ".join(BACKGROUND)
    return smf.ols(formula, data=frame).fit()


def share_fit_reference(frame: pd.DataFrame, outcome: str, weights: pd.Series | None = None):
    """The fractional logit of a share through the formula API: a binomial GLM of the share,
    with robust (HC1) standard errors, every school weighing the same unless ``weights``."""
    import statsmodels.api as sm  # noqa: PLC0415

    formula = f"{outcome} ~ " + " + ".join(BACKGROUND)
    model = smf.glm(formula, data=frame, family=sm.families.Binomial(), var_weights=weights)
    return model.fit(cov_type="HC1", use_t=True)
