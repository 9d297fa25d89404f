"""A small hand-made world of upper-secondary students for the completion tests."""

from __future__ import annotations

import pyarrow as pa

UNITS = {"11111111": ("1111111111", "1480"), "22222222": ("2222222222", "1401")}
"""School unit → (organizer, municipality)."""


def enrolment(key, year, unit, programme, grade, *, born_abroad=False, form="gymnasieskola"):
    """One enrolment row (home municipality 1480)."""
    return {
        "school_year": year,
        "student_key": key,
        "school_unit_code": unit,
        "organizer_code": UNITS[unit][0],
        "school_form": form,
        "grade_year": grade,
        "programme_code": programme,
        "home_municipality_code": "1480",
        "gender": "F",
        "born_abroad": born_abroad,
        "newly_arrived": False,
        "parents_education": 2.0,
    }


def span(key, start, unit, programme, years, **kw):
    """Enrolments of ``years`` consecutive years from ``start`` in årskurs 1, 2, ..."""
    return [enrolment(key, start + i, unit, programme, i + 1, **kw) for i in range(years)]


U1, U2 = "11111111", "22222222"
ENROLMENTS = [
    *span("A", 2019, U1, "NA", 3),
    *span("B", 2019, U1, "EE", 3),
    enrolment("C", 2019, U1, "EE", 1),
    *[enrolment("C", 2020 + i, U2, "BA", i + 1) for i in range(3)],
    *span("D", 2019, U1, "NA", 2),
    enrolment("E", 2019, U1, "IMV", 1, born_abroad=True),
    *[enrolment("E", 2020 + i, U1, "NA", i + 1, born_abroad=True) for i in range(3)],
    *span("F", 2019, U1, "SA", 4),
    *span("G", 2019, U1, "BA", 3),
    enrolment("H", 2019, U1, "NA", 2),  # not a starter: first seen in årskurs 2
    enrolment("H", 2020, U1, "NA", 3),
    *span("I", 2023, U1, "NA", 2),  # the 2023 cohort: its 3 years are not over in 2024
    # year 9 in 2018 (spring): A and D go on in 2019, J does not; B is in year 9 in 2017.
    *[enrolment(k, 2018, U2, "", 9, form="grundskola") for k in ("A", "D", "J")],
    enrolment("B", 2017, U2, "", 9, form="grundskola"),
]
DIPLOMAS = [
    ("A", 2021, U1, "NA", "preparatory_diploma"),
    ("B", 2021, U1, "EE", "study_certificate"),
    ("B", 2022, U1, "EE", "vocational_diploma"),
    ("C", 2022, U2, "BA", "vocational_diploma"),
    ("E", 2022, U1, "NA", "preparatory_diploma"),
    ("F", 2023, U1, "SA", "preparatory_diploma"),
    ("G", 2021, U1, "BA", "study_certificate"),
]


def tables() -> dict[str, pa.Table]:
    """The enrolments and diplomas as Arrow tables."""
    names = ("student_key", "school_year", "school_unit_code", "programme_code", "certificate")
    return {
        "enrolments": pa.Table.from_pylist(ENROLMENTS),
        "diplomas": pa.Table.from_pylist([dict(zip(names, d, strict=True)) for d in DIPLOMAS]),
    }


def unit_municipalities() -> dict[str, str]:
    """The register's municipality of each school unit."""
    return {unit: muni for unit, (_, muni) in UNITS.items()}


RATES = {  # student: (unit, first year, per-term total absence rates from HT of that year)
    "A": (U1, 2019, [0.02] * 6),
    "B": (U1, 2019, [0.04, 0.06, 0.12, 0.14, 0.16, 0.20]),
    "C": (U1, 2019, [0.12, 0.02, 0.02, 0.02, 0.02, 0.02]),
    "D": (U1, 2019, [0.25, 0.30, 0.30, 0.30]),
    "F": (U1, 2019, [0.02] * 8),
}
INVALID = {"D": 0.05}


def absence_rows() -> list[dict[str, object]]:
    """Absence per term for the hand-made history (G has none; 10 000 minutes a term)."""
    rows = []
    for key, (unit, first, rates) in RATES.items():
        for index, rate in enumerate(rates):
            year = first + index // 2
            rows.append(
                {
                    "school_year": year,
                    "term": "HT" if index % 2 == 0 else "VT",
                    "student_key": key,
                    "school_unit_code": unit,
                    "scheduled_minutes": 10_000,
                    "absent_minutes": round(rate * 10_000),
                    "unexcused_minutes": round(INVALID.get(key, 0.0) * 10_000),
                }
            )
    return rows


def history_tables() -> dict[str, pa.Table]:
    """Enrolments, diplomas and absence of the hand-made history."""
    return {**tables(), "absence": pa.Table.from_pylist(absence_rows())}
