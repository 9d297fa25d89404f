"""Parts of a total shown as 0 are released, not protected (ADR 0003).

A total shown as 0 already says of every part of it that it is 0: nobody in the year is still
running a course, so no course of the year has anyone still running. Hiding such a part says
nothing, and protecting it (it is pinned to 0 by the shown total and non-negativity) made the
gate hide row after row (#20: komvux's not-reported enrolled took minutes on the demo). The
gate now treats those parts as known; the auditor counts them as zeros of totals, not exposed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from likvard_core.audit.audit import audit
from likvard_core.audit.model import ReleasedTable, Total
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.complementary import decide
from likvard_core.disclosure.cube import Cube, Equation
from likvard_core.disclosure.suppress import suppress_cube

POPULATION = Population("region:test", frozenset({"1"}), Level.REGION)
PARTS = ("done", "running")


def _enrolment(rows: list[tuple[str | None, int, int, int]]) -> Aggregate:
    """Per course (None: the year's total): enrolled, of them done and still running."""
    return Aggregate(
        pa.table(
            {
                "year": [2024] * len(rows),
                "course": [r[0] for r in rows],
                "n": [r[1] for r in rows],
                "done": [r[2] for r in rows],
                "running": [r[3] for r in rows],
            }
        ),
        dims=("year", "course"),
        count="n",
        values=PARTS,
        population=POPULATION,
        data_version="v1",
        margins=("course",),
        parts=PARTS,
    )


def test_rows_beside_a_hidden_row_stay_shown_when_its_zero_part_has_a_zero_total():
    # Everyone is done: 'running' is 0 in every row and in the total. Course A (3) is too
    # few, B hides beside it (the total minus C would give A); C and the total stay shown.
    rows = [(None, 30, 30, 0), ("A", 3, 3, 0), ("B", 12, 12, 0), ("C", 15, 15, 0)]
    (released,) = suppress_cube([_enrolment(rows)], min_group=5)
    status = dict(zip(released.table.column("course").to_pylist(),
                      released.table.column("status").to_pylist(), strict=True))  # fmt: skip
    assert status == {
        None: "exists",
        "A": "too_few",
        "B": "suppressed_complementary",
        "C": "exists",
    }


def test_a_hidden_total_of_parts_shown_as_zero_is_released_like_them():
    # total 0 = a + b, with the total hidden beside a too-few cell of its row and both parts
    # shown as 0. The parts say of everyone in the total what its 0 would: nobody (ADR 0003,
    # 2026-12-06; this test hid a part before, to give the total room it needs for nothing).
    cube = Cube()
    small = cube.add(("m",), ("x",), 3, published=True)
    total = cube.add(("t",), ("T",), 0, published=True)
    a = cube.add(("t", "p"), ("T", "a"), 0, published=True)
    b = cube.add(("t", "p"), ("T", "b"), 0, published=True)
    cube.equations.append(Equation(total, (a, b)))
    thresholds = np.full(len(cube.counts), 5, dtype=np.int64)
    known = np.zeros(len(cube.counts), dtype=bool)
    parts = np.array([False, True, True, True])  # counts of the row's moved, say
    decision = decide(cube, thresholds, known, parts=parts, groups=[np.array([small, total])])
    assert decision.hidden.tolist() == [True, False, False, False]


def test_a_zero_under_a_hidden_total_with_an_unshown_rest_is_still_protected():
    # The same with a rest of the split the viewer is assumed to know (students of unknown
    # gender): known, but no figure shown, so the parts do not cover the total. One hides.
    cube = Cube()
    small = cube.add(("m",), ("x",), 3, published=True)
    total = cube.add(("t",), ("T",), 0, published=True)
    a = cube.add(("t", "p"), ("T", "a"), 0, published=True)
    b = cube.add(("t", "p"), ("T", "b"), 0, published=True)
    rest = cube.add(("t", "p"), ("T", "rest"), 0, published=True)
    cube.equations.append(Equation(total, (a, b, rest)))
    thresholds = np.full(len(cube.counts), 5, dtype=np.int64)
    known = np.array([False, False, False, False, True])
    rests = np.array([False, False, False, False, True])
    parts = np.array([False, True, True, True, True])
    decision = decide(
        cube, thresholds, known, parts=parts, groups=[np.array([small, total])], rests=rests
    )
    assert decision.hidden.tolist() == [True, True, True, False, False]


def test_a_hidden_total_of_zero_parts_is_released_like_them():
    # An organizer of 3 (hidden) has no introduction starters: its movers are its national
    # movers, 0 under the region's national 0 (shown). Its all-row's 0 says what that zero
    # says; protecting it hid the one organizer with movers (the region's movers minus its
    # gave it), and the region's introduction row and total after it (#21).
    cube = Cube()
    small = cube.add(("o",), ("C",), 3, published=True)
    moved = cube.add(("m", "o"), ("moved", "C"), 0, published=True)
    national = cube.add(("g", "m", "o"), ("national", "moved", "C"), 0, published=True)
    region_national = cube.add(("g", "m"), ("national", "moved"), 0, published=True)
    other_national = cube.add(("g", "m", "o"), ("national", "moved", "B"), 0, published=True)
    region = cube.add(("m",), ("moved",), 9, published=True)
    mover = cube.add(("m", "o"), ("moved", "A"), 9, published=True)
    cube.equations.extend(
        [
            Equation(moved, (national,)),
            Equation(region_national, (national, other_national)),
            Equation(region, (moved, mover)),
        ]
    )
    thresholds = np.full(len(cube.counts), 5, dtype=np.int64)
    known = np.zeros(len(cube.counts), dtype=bool)
    parts = np.array([False, True, True, True, True, True, True])
    decision = decide(
        cube, thresholds, known, parts=parts, groups=[np.array([small, moved, national])]
    )
    assert np.flatnonzero(decision.hidden).tolist() == [small]
    assert decision.known[[moved, national]].all()


@given(
    st.lists(st.tuples(st.integers(0, 14), st.booleans()), min_size=2, max_size=6),
    st.booleans(),
)
def test_the_auditor_finds_no_exposed_cell_when_zero_parts_are_released(courses, ended):
    # Each course: enrolled, and whether all its students are done (else all still running);
    # with ``ended`` every course is done, so 'running' is 0 everywhere, the total included.
    rows: list[tuple[str | None, int, int, int]] = []
    for number, (n, done) in enumerate(courses):
        finished = done or ended
        rows.append((f"C{number}", n, n if finished else 0, 0 if finished else n))
    total = tuple(sum(r[i] for r in rows) for i in (1, 2, 3))
    rows.insert(0, (None, *total))
    (released,) = suppress_cube([_enrolment(rows)], min_group=5)
    table = ReleasedTable(
        analysis="komvux",
        name="course",
        family="komvux.enrolment",
        dims=("year", "course"),
        counts=("n", *PARTS),
        rows=released.table.to_pylist(),
        min_group=5,
        totals={"course": Total(None)},
        parts={"n": PARTS},
    )
    assert audit([table]).exposed == 0
