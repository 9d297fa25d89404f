"""A tiny hand-built warehouse with known indicator values (worked out in the comments)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

SUBJECTS = ("BI", "BL", "EN", "FY", "GE", "HI", "HKK", "IDH", "KE", "MA", "MU", "RE", "SH",
            "SL", "SV", "TK")  # fmt: skip
YEAR = 2025

# student: (gender, unit, organizer, home municipality, grades {subject: grade}, languages)
# s1 F U1: 16 x E + M2 A (språkval)      -> merit 160 + 20 = 180, passes all, eligible everywhere
# s2 M U1: 15 x C, MA F                   -> merit 225, fails MA, eligible nowhere
# s3 F U2: 13 x A, BI/FY/KE F             -> merit 260, not all, vocational/ES/EK-HU-SA, not NA-TE
# s4 M U3: 16 x B + M2 E + ML C (språkval) -> merit 280 + 15 = 295 (E joins the pool, not top 16)
# s5 M U3: 16 x F                         -> counted in shares, not in the merit mean (no E)
STUDENTS = {
    "s1": ("F", "U1", "O1", "1480", dict.fromkeys(SUBJECTS, "E"), {"M2": "A"}),
    "s2": ("M", "U1", "O1", "1480", {**dict.fromkeys(SUBJECTS, "C"), "MA": "F"}, {}),
    "s3": ("F", "U2", "O1", "1401", {**dict.fromkeys(SUBJECTS, "A"), "BI": "F", "FY": "F",
                                     "KE": "F"}, {}),
    "s4": ("M", "U3", "O2", "1401", dict.fromkeys(SUBJECTS, "B"), {"M2": "E", "ML": "C"}),
    "s5": ("M", "U3", "O2", "1401", dict.fromkeys(SUBJECTS, "F"), {}),
}  # fmt: skip
SCHOOL_MUNICIPALITY = {"U1": "1480", "U2": "1480", "U3": "1401"}


def tiny_tables(year: int = YEAR) -> dict[str, pa.Table]:
    """Enrolments, final grades, national tests and absence of the four students."""
    enrol, grades = [], []
    for key, (gender, unit, org, home, subjects, languages) in STUDENTS.items():
        enrol.append(
            {"school_year": year, "student_key": key, "school_unit_code": unit,
             "organizer_code": org, "school_form": "grundskola", "grade_year": 9,
             "programme_code": None, "home_municipality_code": home, "gender": gender,
             "born_abroad": key == "s3", "newly_arrived": False,
             "parents_education": 2.0 if org == "O1" else 2.5}
        )  # fmt: skip
        for subject, grade in subjects.items():
            grades.append(_grade(year, key, unit, subject, grade, lang=False))
        for subject, grade in languages.items():
            grades.append(_grade(year, key, unit, subject, grade, lang=True))
    # s1: MA test F, grade E (higher); EN test E, grade E (same). s2: MA test E, grade F (lower).
    tests = [
        {"school_year": year, "student_key": k, "school_unit_code": "U1", "grade_year": 9,
         "subject_code": s, "test_grade": g}
        for k, s, g in (("s1", "MA", "F"), ("s1", "EN", "E"), ("s2", "MA", "E"))
    ]  # fmt: skip
    # s1: 100 of 1000 minutes absent, s2: 300 of 1000 -> U1 20 %.
    absence = [
        {"school_year": year, "term": t, "student_key": k, "school_unit_code": "U1",
         "scheduled_minutes": 500, "absent_minutes": a, "unexcused_minutes": 0}
        for k, t, a in (("s1", "HT", 60), ("s1", "VT", 40), ("s2", "HT", 150), ("s2", "VT", 150))
    ]  # fmt: skip
    return {
        "enrolments": pa.Table.from_pylist(enrol),
        "final_grades": pa.Table.from_pylist(grades),
        "national_tests": pa.Table.from_pylist(tests),
        "absence": pa.Table.from_pylist(absence),
    }


def _grade(
    year: int, key: str, unit: str, subject: str, grade: str, *, lang: bool
) -> dict[str, object]:
    return {"school_year": year, "student_key": key, "school_unit_code": unit, "grade_year": 9,
            "subject_code": subject, "grade": grade, "language_choice": lang}  # fmt: skip


def model_tables(schools: int, *, seed: int, year: int = YEAR) -> dict[str, pa.Table]:
    """``schools`` school units of 16-45 year-9 students whose grades follow their background.

    One organizer (``2120000000``); parents' education drives the grades, so the SALSA-style
    model has something to explain.
    """
    rng = np.random.default_rng(seed)
    enrol: list[dict[str, object]] = []
    grades: list[dict[str, object]] = []
    letters = np.array(["F", "E", "D", "C", "B", "A"])
    for school in range(schools):
        unit, level = f"6000{school:04d}", rng.uniform(1.6, 2.8)
        for i in range(int(rng.integers(16, 46))):
            key, education = f"{unit}-{i}", float(np.clip(rng.normal(level, 0.4), 1.0, 3.0))
            enrol.append(
                {"school_year": year, "student_key": key, "school_unit_code": unit,
                 "organizer_code": "2120000000", "school_form": "grundskola", "grade_year": 9,
                 "programme_code": None, "home_municipality_code": f"{1480 + school % 3}",
                 "gender": str(rng.choice(["F", "M"])), "born_abroad": False,
                 "newly_arrived": bool(rng.random() < 0.1), "parents_education": education}
            )  # fmt: skip
            steps = np.clip(np.round(rng.normal(1.4 * education - 0.4, 1.2, 16)), 0, 5)
            grades.extend(
                _grade(year, key, unit, subject, str(letters[int(step)]), lang=False)
                for subject, step in zip(SUBJECTS, steps, strict=True)
            )
    return {"enrolments": pa.Table.from_pylist(enrol), "final_grades": pa.Table.from_pylist(grades)}
