"""Admitted against enrolled: every student counted once, and the cells reconcile."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from likvard_core.analytics.movement.admissions import (
    admissions_reconciliation,
    admissions_vs_enrolment,
)
from likvard_core.analytics.movement.scope import Lookups, Scope
from likvard_core.warehouse.snapshot import Snapshot

LOOKUPS = Lookups(organizers={})
UNITS = ["10000001", "20000001", "30000001"]
PROGRAMMES = ["NA", "EE"]
OPTIONAL = ("born_abroad", "newly_arrived", "parents_education")


def _admission(  # noqa: PLR0917  (one row, written positionally in the examples)
    student: str, rnd: str, rank: int, unit: str, prog: str, admitted: bool
) -> dict[str, object]:
    return {
        "school_year": 2025,
        "admission_round": rnd,
        "student_key": student,
        "home_municipality_code": "1001",
        "choice_rank": rank,
        "school_unit_code": unit,
        "programme_code": prog,
        "admitted": admitted,
    }


def _enrolment(student: str, unit: str, prog: str) -> dict[str, object]:
    return {
        "school_year": 2026,
        "student_key": student,
        "school_unit_code": unit,
        "organizer_code": "ORG",
        "school_form": "gymnasieskola",
        "grade_year": 1,
        "programme_code": prog,
        "home_municipality_code": "1001",
        "gender": "F",
        **dict.fromkeys(OPTIONAL),
    }


@st.composite
def admission_years(draw: st.DrawFn) -> tuple[pa.Table, pa.Table, dict[str, object]]:
    """Students with two ranked choices, a final admission to at most one, and maybe an
    enrolment anywhere; returns admissions, enrolments and the expected per-student facts."""
    n = draw(st.integers(1, 40))
    admissions: list[dict[str, object]] = []
    enrolments: list[dict[str, object]] = []
    final: dict[str, tuple[str, str]] = {}
    enrolled: dict[str, tuple[str, str]] = {}
    for i in range(n):
        student = f"s{i}"
        choices = [(draw(st.sampled_from(UNITS)), draw(st.sampled_from(PROGRAMMES))) for _ in "12"]
        admitted_rank = draw(st.sampled_from([0, 1, 2]))  # 0: not admitted
        for rank, (unit, prog) in enumerate(choices, start=1):
            for rnd in ("preliminar", "slutlig"):
                hit = rnd == "slutlig" and rank == admitted_rank
                admissions.append(_admission(student, rnd, rank, unit, prog, hit))
                if hit:
                    final[student] = (unit, prog)
        where = draw(st.sampled_from(["none", "admitted", "elsewhere"]))
        if where == "admitted" and student in final:
            enrolled[student] = final[student]
        elif where == "elsewhere":
            enrolled[student] = (draw(st.sampled_from(UNITS)), draw(st.sampled_from(PROGRAMMES)))
    enrolments = [_enrolment(s, u, p) for s, (u, p) in enrolled.items()]
    empty = pa.schema([(k, pa.string()) for k in _enrolment("x", "y", "z")])
    enrolment_table = pa.Table.from_pylist(enrolments) if enrolments else empty.empty_table()
    return pa.Table.from_pylist(admissions), enrolment_table, {"final": final, "enrolled": enrolled}


@settings(max_examples=25, deadline=None)
@given(admission_years())
def test_admissions_reconcile_with_both_files(data):
    admissions, enrolments, truth = data
    final, enrolled = truth["final"], truth["enrolled"]
    tables = {"admissions": admissions}
    if enrolments.num_rows:
        tables["enrolments"] = enrolments
    with Snapshot.from_tables(tables, "v", threads=1) as db:
        cells = admissions_vs_enrolment(db, LOOKUPS, Scope.of(years=[2025])).table.to_pylist()
        summary = admissions_reconciliation(db, LOOKUPS, Scope.of(years=[2025])).table
    for cell in cells:
        assert cell["enrolled"] == cell["admitted_final"] - cell["outgoing"] + cell["incoming"]
        assert cell["added_flag"] == (cell["enrolled"] > cell["admitted_final"])
        assert cell["added_places"] == max(cell["enrolled"] - cell["admitted_final"], 0)
    # totals reconcile with both files
    assert sum(c["admitted_final"] for c in cells) == len(final)
    assert sum(c["enrolled"] for c in cells) == len(enrolled)
    assert sum(c["first_choice"] for c in cells) == admissions.num_rows // 4
    counts = dict(zip(summary["category"].to_pylist(), summary["n"].to_pylist(), strict=True))
    stayed = sum(1 for s in final if enrolled.get(s) == final[s])
    moved = sum(1 for s in final if s in enrolled and enrolled[s] != final[s])
    assert counts.get("stayed", 0) == stayed
    assert counts.get("moved", 0) == moved
    assert counts.get("left", 0) == sum(1 for s in final if s not in enrolled)
    assert counts.get("arrived", 0) == sum(1 for s in enrolled if s not in final)
    # each student once: the categories add up to everyone in either file
    assert sum(counts.values()) == len(set(final) | set(enrolled))
    assert sum(c["incoming"] for c in cells) == moved + counts.get("arrived", 0)
    assert sum(c["outgoing"] for c in cells) == moved + counts.get("left", 0)


def test_added_places_are_flagged_however_few():
    admissions = pa.Table.from_pylist(
        [
            _admission("a", "slutlig", 1, "10000001", "NA", True),
            _admission("b", "slutlig", 1, "20000001", "NA", True),
        ]
    )
    enrolments = pa.Table.from_pylist(
        [_enrolment("a", "10000001", "NA"), _enrolment("b", "10000001", "NA")]
    )
    with Snapshot.from_tables({"admissions": admissions, "enrolments": enrolments}, "v") as db:
        cells = admissions_vs_enrolment(db, LOOKUPS, Scope()).table.to_pylist()
    by_unit = {c["school_unit_code"]: c for c in cells}
    assert by_unit["10000001"]["added_places"] == 1
    assert by_unit["10000001"]["added_flag"] is True
    assert by_unit["10000001"]["incoming"] == 1
    assert by_unit["20000001"]["outgoing"] == 1
    assert by_unit["20000001"]["added_flag"] is False
