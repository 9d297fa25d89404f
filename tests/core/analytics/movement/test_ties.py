"""The region report's tables released together with their ties (#15): a municipality's
residents in the other-organizer share are the sum of its matrix row and of its Sankey home
links, so a hidden matrix cell is not the share minus the shown cells.

Example: municipality 1003 has 10 residents, 8 at schools in 1003 and 2 at a school in 1001.
Released table by table, the share shows 10 and the matrix hides the 2 (primary rule) but shows
the 8: 10 - 8 = 2. The LP check (SciPy's HiGHS, counts non-negative) sets up the ties from the
tables' definitions, not from the cube.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

from likvard_core.analytics.movement.flows import FlowLevel
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.tables import movement_tables
from likvard_core.analytics.movement.ties import links_tied, matrix_tied, share_by_home
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress, suppress_cube
from likvard_core.warehouse.snapshot import Snapshot
from tests.core.analytics.movement.test_flows import LOOKUPS, enrolments

REGION = ["1001", "1002", "1003"]
STAGES = (FlowLevel.HOME, FlowLevel.ORGANIZER, FlowLevel.SCHOOL_UNIT, FlowLevel.PROGRAMME)


def _world():
    rows = [(f"a{i}", "1001", "A-KOMMUN", "NA") for i in range(12)]
    rows += [(f"b{i}", "1002", "B-KOMMUN", "NA") for i in range(12)]
    rows += [(f"c{i}", "1003", "C-KOMMUN", "NA") for i in range(8)]
    rows += [(f"d{i}", "1003", "A-KOMMUN", "NA") for i in range(2)]
    with Snapshot.from_tables({"enrolments": enrolments(rows)}, "v") as db:
        tables = movement_tables(db, LOOKUPS, Scope.of(municipalities=REGION))
    links = links_tied([tables.links(a, b) for a, b in itertools.pairwise(STAGES)])
    return {
        "share": share_by_home(tables.other_organizer_share, region_code="gr"),
        "matrix": matrix_tied(tables.origin_destination),
        **{f"links{i}": link for i, link in enumerate(links)},
    }


def _exposed(released: dict) -> list[tuple[str, dict]]:
    """Hidden share, matrix and home-link rows pinned to one value by the ties."""
    cells: list[tuple[str, dict]] = [
        (name, row) for name in ("share", "matrix", "links0") for row in released[name]
    ]
    hidden = [i for i, (_n, r) in enumerate(cells) if r["n"] is None]
    var = {cell: j for j, cell in enumerate(hidden)}
    a_eq, b_eq = [], []

    def tie(total: int, parts: list[int]) -> None:
        row, constant = np.zeros(len(hidden)), 0.0
        for member, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if member in var:
                row[var[member]] += sign
            else:
                constant -= sign * cells[member][1]["n"]
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)

    shares = [i for i, (n, _r) in enumerate(cells) if n == "share"]
    for i in shares:
        year, home = cells[i][1]["school_year"], cells[i][1]["home_municipality_code"]
        if home is None:  # the region: the sum of its municipalities
            tie(i, [j for j in shares if cells[j][1]["home_municipality_code"] is not None
                    and cells[j][1]["school_year"] == year])  # fmt: skip
            continue
        for table in ("matrix", "links0"):  # the municipality: the sum of its row
            row = [
                j
                for j, (n, r) in enumerate(cells)
                if n == table and (r["school_year"], r["home_municipality_code"]) == (year, home)
            ]
            tie(i, row)
    found = []
    for j, cell in enumerate(hidden):
        goal = np.zeros(len(hidden))
        goal[j] = 1.0
        low = linprog(goal, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None)).fun
        high = -linprog(-goal, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None)).fun
        if high - low < 0.5:
            found.append((cells[cell][0], cells[cell][1]))
    return found


def test_tables_released_one_by_one_leak_across_tables():
    released = {
        name: suppress(a, min_group=SKOLVERKET_THRESHOLDS).table.to_pylist()
        for name, a in _world().items()
    }
    exposed = _exposed(released)
    assert ("matrix", "1003", "1001") in {
        (n, r["home_municipality_code"], r.get("school_municipality_code")) for n, r in exposed
    }


def test_tables_released_together_with_their_ties_leak_nothing():
    decided = suppress_cube(_world(), min_group=SKOLVERKET_THRESHOLDS)
    released = {name: result.table.to_pylist() for name, result in decided.items()}
    assert any(r["n"] is None for r in released["matrix"])
    assert _exposed(released) == []
