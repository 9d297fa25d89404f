"""A tiny two-municipality region whose planning figures are computed by hand in the tests.

Municipalities A = 1111 and B = 2222. Population (31 December, both genders summed):

| municipality | year | age 14 | age 15 | age 16 |
|---|---|---|---|---|
| A | 2023 | 10 | 20 | 30 |
| A | 2024 | 8 | 12 | 22 |
| B | 2023 | – | 10 | 10 |
| B | 2024 | – | 5 | 10 |

First-year students enrolled on 15 October 2023 (school_year 2024, the 2023 cohort): home A 18
in NA at unit U1 (in A) and 9 in EE at unit U2 (in B); home B 8 in NA at U1.
First choices in the final round of 2023: A 20 NA + 10 EE, B 6 NA + 2 EE.
"""

from __future__ import annotations

import pyarrow as pa

from likvard_core.warehouse.snapshot import Snapshot

A, B = "1111", "2222"
U1, U2 = "11110001", "22220001"
SCHOOL_MUNICIPALITY = {U1: A, U2: B}
ORG_A, ORG_B = "2120000001", "2120000002"

POPULATION = {
    (A, 2023): {14: 10, 15: 20, 16: 30},
    (A, 2024): {14: 8, 15: 12, 16: 22},
    (B, 2023): {15: 10, 16: 10},
    (B, 2024): {15: 5, 16: 10},
}


def population_rows() -> list[dict[str, object]]:
    """SCB-like rows, each count split between genders to check the sum over gender."""
    rows = []
    for (code, year), ages in POPULATION.items():
        for age, persons in ages.items():
            girls = persons // 2
            for gender, n in (("F", girls), ("M", persons - girls)):
                rows.append(
                    {"year": year, "municipality_code": code, "age": age, "gender": gender,
                     "persons": n}
                )  # fmt: skip
    return rows


def enrolment_rows() -> list[dict[str, object]]:
    """First-year students on 15 October 2023 (school_year 2024)."""
    groups = [(A, U1, ORG_A, "NA", 18), (A, U2, ORG_B, "EE", 9), (B, U1, ORG_A, "NA", 8)]
    return [
                {
                    "school_year": 2024, "student_key": f"{home}-{programme}-{i}",
                    "school_unit_code": unit, "organizer_code": organizer,
                    "school_form": "gymnasieskola", "grade_year": 1,
                    "programme_code": programme, "home_municipality_code": home,
                    "gender": "F", "born_abroad": False, "newly_arrived": False,
                    "parents_education": 2.0,
                }
        for home, unit, organizer, programme, n in groups
        for i in range(n)
    ]  # fmt: skip


def admission_rows() -> list[dict[str, object]]:
    """First choices (and a second choice that must not count) in the 2023 final round."""
    groups = [(A, "NA", 20), (A, "EE", 10), (B, "NA", 6), (B, "EE", 2)]
    rows = []
    for home, programme, n in groups:
        for i in range(n):
            key = f"{home}-{programme}-{i}"
            for rank, prog in ((1, programme), (2, "SA")):
                rows.append(
                    {
                        "school_year": 2023, "admission_round": "slutlig", "student_key": key,
                        "home_municipality_code": home, "choice_rank": rank,
                        "school_unit_code": U1, "programme_code": prog, "admitted": rank == 1,
                    }
                )  # fmt: skip
    return rows


def tiny_snapshot() -> Snapshot:
    """An in-memory snapshot of the tiny region."""
    return Snapshot.from_tables(
        {
            "population": pa.Table.from_pylist(population_rows()),
            "enrolments": pa.Table.from_pylist(enrolment_rows()),
            "admissions": pa.Table.from_pylist(admission_rows()),
        },
        "tiny",
    )
