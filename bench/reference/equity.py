"""Pandas reference for ``likvard_core.analytics.equity.grade_vs_test_by_school``.

Deliberately plain: merge, loop over the groups, count. Used as the oracle in hypothesis tests
and as the baseline in the benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from likvard_core.terms import GRADE_STEPS

GROUP_GENDERS = {"all": None, "girls": "F", "boys": "M"}


def grade_vs_test_reference(
    final_grades: pd.DataFrame,
    national_tests: pd.DataFrame,
    enrolments: pd.DataFrame,
    *,
    school_units: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    grade_year: int = 9,
    subjects: Sequence[str] | None = None,
    by_gender: bool = True,
) -> pd.DataFrame:
    """One row per school unit, subject, year and group with counts, shares and mean step."""
    finals = final_grades[final_grades["grade_year"] == grade_year]
    if school_units is not None:
        finals = finals[finals["school_unit_code"].isin(list(school_units))]
    if years is not None:
        finals = finals[finals["school_year"].isin(list(years))]
    if subjects is not None:
        finals = finals[finals["subject_code"].isin(list(subjects))]
    keys = ["school_year", "student_key", "grade_year", "subject_code"]
    tests = national_tests[[*keys, "test_grade"]]
    pairs = finals.merge(tests, on=keys, how="inner")
    pairs = pairs[pairs["grade"].isin(GRADE_STEPS) & pairs["test_grade"].isin(GRADE_STEPS)]
    genders = enrolments.groupby(["school_year", "student_key"], as_index=False)["gender"].min()
    pairs = pairs.merge(genders, on=["school_year", "student_key"], how="left")
    rows = []
    groups = GROUP_GENDERS if by_gender else {"all": None}
    for (unit, subject, year), block in pairs.groupby(
        ["school_unit_code", "subject_code", "school_year"]
    ):
        for group, gender in groups.items():
            members = block if gender is None else block[block["gender"] == gender]
            if members.empty:
                continue
            diffs = [
                GRADE_STEPS[f] - GRADE_STEPS[t]
                for f, t in zip(members["grade"], members["test_grade"], strict=True)
            ]
            n = len(diffs)
            lower = sum(1 for d in diffs if d < 0)
            same = sum(1 for d in diffs if d == 0)
            higher = sum(1 for d in diffs if d > 0)
            rows.append(
                {
                    "school_unit_code": unit,
                    "subject_code": subject,
                    "school_year": int(year),
                    "group": group,
                    "n": n,
                    "n_lower": lower,
                    "n_same": same,
                    "n_higher": higher,
                    "share_lower": lower / n,
                    "share_same": same / n,
                    "share_higher": higher / n,
                    "mean_step_difference": sum(diffs) / n,
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    order = ["school_unit_code", "subject_code", "school_year", "group"]
    return frame.sort_values(order).reset_index(drop=True)
