"""The gate's quicker exact and interval rules decide exactly as the plain ones (issue #15).

The exact rule screens each component with random null-space vectors before its pivoted QR
(``recoverable._screened_free``), and the interval rule bounds every hidden cell above by the
cube's sum of counts and solves with the primal simplex (``intervals``). The plain gate is
the same rules without the screening and with one ``linprog`` per bound, an unbounded maximum
taken as wide: on the settled and the linked-tables property tests' worlds both hide the same
cells with the same reasons. And a solve that is no optimum never proves a cell free. A
component of one equation is decided in closed form, as the programmes and the QR decide it
(issue #22: a school-unit level's gender cube is tens of thousands of them). The interval
rule's joint pushes prove no pinned cell free (the plain gate's worlds again, every component
pushed), and the exact rule's formulas found around a target (``recoverable._local_formulas``)
are found for exactly the cells the QR of the whole component finds, and give their counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from unittest import mock

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from likvard_core.disclosure import complementary, intervals, recoverable
from likvard_core.disclosure.cube import Equation
from likvard_core.disclosure.suppress import Thresholds, suppress_cube
from likvard_core.stats import linear
from tests.core.disclosure.test_linked_tables import _aggregate, _rows
from tests.core.disclosure.test_linked_tables import worlds as linked_worlds
from tests.core.disclosure.test_settled import LEVELS, THRESHOLDS, _world
from tests.core.disclosure.test_settled import worlds as settled_worlds

UNBOUNDED = 3


def _plain_pinned(
    equations: Sequence[Equation],
    *,
    counts: npt.NDArray[np.int64],
    hidden: npt.NDArray[np.bool_],
    too_few: npt.NDArray[np.bool_],
    thresholds: npt.NDArray[np.int64],
    targets: Iterable[int],
    certified: set[int] | None = None,
) -> list[int]:
    """The interval rule as one ``linprog`` per bound over all the hidden cells, no ceiling."""
    certified = set() if certified is None else certified
    wanted = sorted({int(t) for t in targets if hidden[t] and int(t) not in certified})
    columns = sorted({m for e in equations for m in e.members if hidden[m]} | set(wanted))
    position = {c: i for i, c in enumerate(columns)}
    touching = [e for e in equations if any(hidden[m] for m in e.members)]
    matrix = np.zeros((len(touching), len(columns)))
    rhs = np.zeros(len(touching))
    for r, equation in enumerate(touching):
        for cell, sign in ((equation.total, 1.0), *((s, -1.0) for s in equation.summands)):
            if hidden[cell]:
                matrix[r, position[cell]] += sign
            else:
                rhs[r] -= sign * float(counts[cell])
    bounds = [(1, int(thresholds[c]) - 1) if too_few[c] else (0, None) for c in columns]
    stuck = []
    for target in wanted:
        cost = np.zeros(len(columns))
        cost[position[target]] = 1.0
        args = {"A_eq": matrix, "b_eq": rhs} if touching else {}
        low = linprog(cost, bounds=bounds, method="highs", **args)
        high = linprog(-cost, bounds=bounds, method="highs", **args)
        if high.status == UNBOUNDED or -high.fun - low.fun >= intervals.WIDTH:
            certified.add(target)
        else:
            stuck.append(target)
    return stuck


def quick(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with every component screened, however small, and every
    interval component's targets pushed jointly, however few."""
    with (
        mock.patch.object(recoverable, "SCREEN_FROM", 0),
        mock.patch.object(intervals, "PUSH_FROM", 1),
    ):
        return function(*args, **kwargs)


def plain(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with the plain gate: no screening, one ``linprog`` per
    bound."""
    with (
        mock.patch.object(recoverable, "_screened_free", return_value=set()),
        mock.patch.object(complementary, "pinned", _plain_pinned),
    ):
        return function(*args, **kwargs)


def _statuses(results) -> list[list[str]]:
    return [r.table.column("status").to_pylist() for r in results]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(settled_worlds())
def test_the_settled_worlds_are_decided_as_by_the_plain_gate(world):
    placement, atoms = world
    totals, joint, _members = _world(placement, atoms)
    first = quick(suppress_cube, [totals], min_group=THRESHOLDS)
    assert _statuses(first) == _statuses(plain(suppress_cube, [totals], min_group=THRESHOLDS))
    settled = (
        first[0]
        .table.select([*LEVELS, "n", "status"])
        .append_column("group", pa.nulls(first[0].table.num_rows, pa.string()))
    )
    fast = quick(suppress_cube, [joint], min_group=THRESHOLDS, settled={0: settled})
    slow = plain(suppress_cube, [joint], min_group=THRESHOLDS, settled={0: settled})
    assert _statuses(fast) == _statuses(slow)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_worlds())
def test_the_linked_tables_worlds_are_decided_as_by_the_plain_gate(world):
    placement, years, atoms, known_org = world
    tables = {}
    for level in ("unit", "organizer", "municipality", "region"):
        for with_year in (True, False):
            rows = _rows(placement, years, atoms, level, with_year=with_year)
            tables[f"{level}-{with_year}"] = _aggregate(rows, with_year=with_year)
    kwargs = {
        "min_group": Thresholds(default=5, by_dim={"school_unit_code": 10}),
        "known": {"organizer_code": {known_org}} if known_org else None,
    }
    fast = quick(suppress_cube, tables, **kwargs)
    slow = plain(suppress_cube, tables, **kwargs)
    assert {k: v.table.column("status").to_pylist() for k, v in fast.items()} == {
        k: v.table.column("status").to_pylist() for k, v in slow.items()
    }


def _chain() -> tuple[list[Equation], dict[str, npt.NDArray[np.int64] | npt.NDArray[np.bool_]]]:
    """Cells 0 = 1 + 3 and 1 = 2 + 3, 0-2 hidden (no shown total above them), 3 shown: every
    maximum is unbounded without a ceiling; two equations, so the programmes run (a single
    equation is decided in closed form)."""
    counts = np.array([30, 21, 12, 9], dtype=np.int64)
    hidden = np.array([True, True, True, False])
    return [Equation(0, (1, 3)), Equation(1, (2, 3))], {
        "counts": counts,
        "hidden": hidden,
        "too_few": np.zeros(4, dtype=bool),
        "thresholds": np.full(4, 5, dtype=np.int64),
    }


@st.composite
def one_equations(draw):
    """A total and 1-4 parts (a cell may come twice), some hidden, some marked too few."""
    parts = draw(st.lists(st.integers(0, 12), min_size=1, max_size=4))
    counts = np.array([sum(parts), *parts], dtype=np.int64)
    size = len(counts)
    summands = tuple(range(1, size)) + ((1,) if draw(st.booleans()) and size > 2 else ())
    if len(summands) > size - 1:
        counts[0] += counts[1]
    hidden = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    thresholds = np.full(size, 5, dtype=np.int64)
    too_few = (
        hidden
        & (counts > 0)
        & (counts < thresholds)
        & np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    )
    return [Equation(0, summands)], {
        "counts": counts, "hidden": hidden, "too_few": too_few, "thresholds": thresholds,
    }  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(one_equations())
def test_one_equation_is_decided_in_closed_form_as_by_the_programmes(world):
    equations, arrays = world
    targets = [int(t) for t in np.flatnonzero(arrays["hidden"])]
    twice = [*equations, *equations]  # the same constraint twice: the programmes and the QR
    assert intervals.pinned(equations, targets=targets, **arrays) == intervals.pinned(
        twice, targets=targets, **arrays
    )
    assert recoverable.recoverable(equations, arrays["hidden"], targets) == (
        recoverable.recoverable(twice, arrays["hidden"], targets)
    )


def test_one_equation_runs_no_programme(monkeypatch):
    monkeypatch.setattr(intervals, "LinearProgram", None)  # any programme would fail
    counts = np.array([9, 4, 5], dtype=np.int64)
    arrays = {"counts": counts, "hidden": np.array([False, True, True]),
              "too_few": np.array([False, True, False]), "thresholds": np.full(3, 5)}  # fmt: skip
    assert intervals.pinned([Equation(0, (1, 2))], targets=[1, 2], **arrays) == []


def test_no_interval_programme_is_unbounded(monkeypatch):
    statuses = []
    solve = linear.LinearProgram.solve

    def recording(self, cost, bounds=None):
        result = solve(self, cost, bounds)
        statuses.append(result.status)
        return result

    monkeypatch.setattr(linear.LinearProgram, "solve", recording)
    equations, arrays = _chain()
    assert intervals.pinned(equations, targets=[0, 1, 2], **arrays) == []
    assert statuses
    assert set(statuses) == {linear.OPTIMAL}


def test_a_solve_without_an_optimum_proves_no_cell_free(monkeypatch):
    class Failing(linear.LinearProgram):
        def solve(self, cost, bounds=None):
            return linear.Solved(linear.OTHER, float("nan"), np.zeros(0), "time limit")

    monkeypatch.setattr(intervals, "LinearProgram", Failing)
    equations, arrays = _chain()
    certified: set[int] = set()
    assert intervals.pinned(equations, targets=[0, 1, 2], certified=certified, **arrays) == [
        0,
        1,
        2,
    ]
    assert certified == set()


def test_the_screening_keeps_every_recoverable_cell():
    # a + b = 10 (shown total), a = 4 + c: with c shown, a and b are recoverable; d, e free.
    equations = [Equation(0, (1, 2)), Equation(1, (3, 4)), Equation(5, (6, 7))]
    hidden = np.array([False, True, True, False, False, False, True, True])
    with mock.patch.object(recoverable, "SCREEN_FROM", 0):
        found = recoverable.recoverable(equations, hidden, [1, 2, 6, 7])
    assert sorted(found) == [1, 2]


@st.composite
def crossed_tables(draw):
    """A two-way table with its row, column and grand totals (consistent counts), any cells
    hidden."""
    rows, cols = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    inner = np.array(draw(st.lists(st.integers(0, 9), min_size=rows * cols,
                                   max_size=rows * cols))).reshape(rows, cols)  # fmt: skip
    counts = [*inner.ravel().tolist(), *inner.sum(axis=1).tolist(), *inner.sum(axis=0).tolist()]
    counts.append(int(inner.sum()))
    cell = lambda r, c: r * cols + c  # noqa: E731
    row_total = lambda r: rows * cols + r  # noqa: E731
    col_total = lambda c: rows * cols + rows + c  # noqa: E731
    grand = len(counts) - 1
    equations = [Equation(row_total(r), tuple(cell(r, c) for c in range(cols)))
                 for r in range(rows)]  # fmt: skip
    equations += [Equation(col_total(c), tuple(cell(r, c) for r in range(rows)))
                  for c in range(cols)]  # fmt: skip
    equations += [Equation(grand, tuple(row_total(r) for r in range(rows)))]
    equations += [Equation(grand, tuple(col_total(c) for c in range(cols)))]
    hidden = np.array(draw(st.lists(st.booleans(), min_size=len(counts), max_size=len(counts))))
    return equations, np.array(counts, dtype=np.int64), hidden


@settings(max_examples=200, deadline=None)
@given(crossed_tables())
def test_local_formulas_find_what_the_whole_qr_finds(world):
    equations, counts, hidden = world
    targets = [int(t) for t in np.flatnonzero(hidden)]
    with mock.patch.object(recoverable, "SCREEN_FROM", 10**9):
        whole = recoverable.recoverable(equations, hidden, targets)
    with (
        mock.patch.object(recoverable, "SCREEN_FROM", 0),
        mock.patch.object(recoverable, "LOCAL_FROM", 0),
        mock.patch.object(recoverable, "LOCAL_SHARE", 0.3),
    ):
        local = recoverable.recoverable(equations, hidden, targets)
    assert sorted(local) == sorted(whole)
    for target, formula in local.items():  # each formula gives the cell's count
        assert abs(sum(a * counts[c] for c, a in formula.items()) - counts[target]) < 1e-6
        assert not any(hidden[c] for c in formula)
