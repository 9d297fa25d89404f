"""Totals one way (#15): each movement table's total rows are margins the suppression sees, so
the total minus the shown rows no longer gives a hidden one.

Each case uses counts the primary rule does not hide on its own (only one small cell per
total), exactly the shape that leaked when totals were written as the string ``all``. The
check is independent of ``likvard_core.disclosure.cube``: the ties are derived here from each
table's definition (a total row equals the sum of the rows that differ from it only in that
column), and every hidden count is bounded by a linear programme (SciPy's HiGHS) over the
released counts with counts non-negative. A hidden count is exposed when its minimum equals its
maximum. The tie finder also reads the old ``all`` rows as totals, so these tests fail on the
old shape.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pytest
from scipy.optimize import linprog

from likvard_core.analytics.movement.flows import municipality_balance, other_organizer_share
from likvard_core.analytics.movement.introduction import introduction_followup
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.tables import movement_tables
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.movement.test_flows import LOOKUPS, enrolments

OLD_TOTAL = "all"


def _is_total(value: object) -> bool:
    return value is None or value == OLD_TOTAL


def _ties(keys: list[tuple[object, ...]], dims: Sequence[str], margins: Sequence[str]):
    """Each total row with the rows it sums: those differing from it only in that column."""
    for m in margins:
        at = dims.index(m)
        parts: dict[tuple[object, ...], list[int]] = {}
        for i, key in enumerate(keys):
            if not _is_total(key[at]):
                parts.setdefault(key[:at] + key[at + 1 :], []).append(i)
        for i, key in enumerate(keys):
            if _is_total(key[at]) and parts.get(key[:at] + key[at + 1 :]):
                yield i, parts[key[:at] + key[at + 1 :]]


def exposed_cells(released: pa.Table, dims: Sequence[str], margins: Sequence[str]) -> list[dict]:
    """The hidden rows of ``released`` whose count an LP over the shown counts pins down."""
    rows = released.to_pylist()
    hidden = [i for i, r in enumerate(rows) if r["n"] is None]
    var = {row: j for j, row in enumerate(hidden)}
    a_eq: list[np.ndarray] = []
    b_eq: list[float] = []
    for total, parts in _ties([tuple(r[d] for d in dims) for r in rows], dims, margins):
        coefficients, constant = np.zeros(len(hidden)), 0.0
        for member, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if member in var:
                coefficients[var[member]] += sign
            else:
                constant -= sign * rows[member]["n"]
        if coefficients.any():
            a_eq.append(coefficients)
            b_eq.append(constant)
    if not hidden or not a_eq:
        return []
    found = []
    for j, row in enumerate(hidden):
        objective = np.zeros(len(hidden))
        objective[j] = 1.0
        bounds = []
        for sense in (1.0, -1.0):
            result = linprog(sense * objective, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
            assert result.status == 0, result.message
            bounds.append(sense * result.fun)
        if bounds[1] - bounds[0] < 0.5:
            found.append({**rows[row], "n": bounds[0]})
    return found


def _released(aggregate: Aggregate) -> pa.Table:
    return suppress(aggregate, min_group=SKOLVERKET_THRESHOLDS).table


def _hidden(table: pa.Table) -> int:
    return sum(1 for n in table.column("n").to_pylist() if n is None)


def test_introduction_left_is_not_the_total_minus_the_shown_outcomes():
    # 20 IMV students in 2024/25; the next year 12 on NA, 6 still on IMV, 2 gone.
    first = [(f"s{i:02d}", "1001", "A-KOMMUN", "IMV") for i in range(20)]
    nexts = ["NA"] * 12 + ["IMV"] * 6
    second = [(f"s{i:02d}", "1001", "A-KOMMUN", p) for i, p in enumerate(nexts)]
    table = pa.concat_tables([enrolments(first, 2025), enrolments(second, 2026)])
    with Snapshot.from_tables({"enrolments": table}, "v") as db:
        aggregate = introduction_followup(db, LOOKUPS, Scope())
    released = _released(aggregate)
    assert _hidden(released) > 0  # the two who left are hidden, and what would reveal them
    assert exposed_cells(released, aggregate.dims, aggregate.margins) == []


def test_balance_programme_is_not_every_programme_minus_the_shown_ones():
    # Municipality 1001: 12 residents on NA, 12 on SA, 2 on EE, all at its own schools.
    rows = [(f"n{i}", "1001", "A-KOMMUN", "NA") for i in range(12)]
    rows += [(f"s{i}", "1001", "A-KOMMUN", "SA") for i in range(12)]
    rows += [(f"e{i}", "1001", "A-KOMMUN", "EE") for i in range(2)]
    with Snapshot.from_tables({"enrolments": enrolments(rows)}, "v") as db:
        direct = municipality_balance(db, LOOKUPS, Scope.of(municipalities=["1001"]))
        one_pass = movement_tables(db, LOOKUPS, Scope.of(municipalities=["1001"])).balance
    for aggregate in (direct, one_pass):
        released = _released(aggregate)
        assert _hidden(released) > 0
        assert exposed_cells(released, aggregate.dims, aggregate.margins) == []


def test_other_organizer_share_municipality_is_not_the_region_minus_the_others():
    # Residents: 12 in 1001, 12 in 1002, 2 in 1003; the region's row counts all 26.
    rows = [(f"a{i}", "1001", "A-KOMMUN", "NA") for i in range(12)]
    rows += [(f"b{i}", "1002", "B-KOMMUN", "NA") for i in range(12)]
    rows += [(f"c{i}", "1003", "C-KOMMUN", "NA") for i in range(2)]
    region = Scope.of(municipalities=["1001", "1002", "1003"])
    with Snapshot.from_tables({"enrolments": enrolments(rows)}, "v") as db:
        direct = other_organizer_share(db, LOOKUPS, region)
        one_pass = movement_tables(db, LOOKUPS, region).other_organizer_share
    for aggregate in (direct, one_pass):
        released = _released(aggregate)
        assert _hidden(released) > 0
        assert exposed_cells(released, aggregate.dims, aggregate.margins) == []


def test_the_checker_finds_the_old_shape():
    """The LP check sees the leak in a table shaped as before: ``all`` as a plain value."""
    table = pa.table(
        {
            "school_year": [2025] * 4,
            "outcome": ["all", "national", "introduction", "left"],
            "n": pa.array([20, 12, 6, None], pa.int64()),
        }
    )
    found = exposed_cells(table, ("school_year", "outcome"), ("outcome",))
    assert [(r["outcome"], r["n"]) for r in found] == [("left", pytest.approx(2))]
