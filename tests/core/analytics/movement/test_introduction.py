"""Introduction-programme follow-up: a hand-made example with every outcome and its margins."""

from __future__ import annotations

import pyarrow as pa

from likvard_core.analytics.movement.introduction import (
    Outcome,
    introduction_cells,
    introduction_followup,
    introduction_from_cells,
)
from likvard_core.analytics.movement.scope import Scope
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.movement.test_flows import LOOKUPS, enrolments

ALL = None  # a total: null in the margin column (ADR 0003)

# 2025: five IMV students of municipality 1001, two IMS students of 1002, one NA student.
FIRST = [(f"v{i}", "1001", "A-KOMMUN", "IMV") for i in range(5)]
FIRST += [("s0", "1002", "B-KOMMUN", "IMS"), ("s1", "1002", "B-KOMMUN", "IMS")]
FIRST += [("n0", "1001", "A-KOMMUN", "NA")]
# 2026: v0, v1 on a national programme, v2 still IMV, v3 on IMY, v4 gone; s0 on EE, s1 gone.
SECOND = [("v0", "1001", "A-KOMMUN", "EE"), ("v1", "1001", "FRISKOLA", "NA")]
SECOND += [("v2", "1001", "A-KOMMUN", "IMV"), ("v3", "1001", "A-KOMMUN", "IMY")]
SECOND += [("s0", "1002", "C-KOMMUN", "EE"), ("n0", "1001", "A-KOMMUN", "NA")]


def _counts(scope: Scope) -> dict[tuple[object, ...], int]:
    table = pa.concat_tables([enrolments(FIRST, 2025), enrolments(SECOND, 2026)])
    with Snapshot.from_tables({"enrolments": table}, "v") as db:
        result = introduction_followup(db, LOOKUPS, scope)
    rows = result.table.to_pylist()
    assert result.margins == ("home_municipality_code", "programme_code", "outcome")
    return {
        (r["school_year"], r["home_municipality_code"], r["programme_code"], r["outcome"]): r["n"]
        for r in rows
    }


def test_each_student_is_followed_to_one_outcome():
    counts = _counts(Scope())
    assert counts[(2025, "1001", "IMV", Outcome.NATIONAL.value)] == 2
    assert counts[(2025, "1001", "IMV", Outcome.INTRODUCTION.value)] == 2
    assert counts[(2025, "1001", "IMV", Outcome.LEFT.value)] == 1
    assert counts[(2025, "1001", "IMV", ALL)] == 5
    assert counts[(2025, "1002", "IMS", Outcome.NATIONAL.value)] == 1
    assert counts[(2025, ALL, ALL, ALL)] == 7
    assert counts[(2025, ALL, ALL, Outcome.LEFT.value)] == 2
    assert not any(key[0] == 2026 for key in counts)  # the last year has no next year
    assert not any(key[2] == "NA" for key in counts)  # national students are not followed


def test_scope_keeps_the_residents_of_the_area():
    counts = _counts(Scope.of(municipalities=["1002"]))
    assert counts[(2025, ALL, ALL, ALL)] == 2
    assert (2025, "1001", "IMV", ALL) not in counts


def test_kept_national_cells_sliced_equal_the_direct_query():
    table = pa.concat_tables([enrolments(FIRST, 2025), enrolments(SECOND, 2026)])
    with Snapshot.from_tables({"enrolments": table}, "v") as db:
        cells = introduction_cells(db, LOOKUPS, Scope())
        for code in ("1001", "1002"):
            direct = introduction_followup(db, LOOKUPS, Scope.of(municipalities=[code]))
            sliced = introduction_from_cells(
                cells, data_version="v", label="x", municipalities=[code]
            )
            assert sliced.table.to_pylist() == direct.table.to_pylist()
            assert sliced.population.organizers == direct.population.organizers
    assert sliced.population.organizers == frozenset({"B-KOMMUN"})
