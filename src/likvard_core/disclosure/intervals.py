"""Which hidden cells an attacker can pin to one value with linear programming.

The exact check (``recoverable``) asks whether a hidden cell follows from the equations alone.
An attacker also knows that counts are never negative and that a cell marked ``too_few`` holds
between 1 and its threshold minus one. With those bounds, ``8 = a + b`` with both ``a`` and
``b`` marked too few (threshold 5) gives ``a = b = 4``. For each connected component of hidden
cells, this module solves the smallest and largest value of every target with HiGHS and
returns the targets whose interval is narrower than one.

Most targets are far from pinned, so each component is first probed with a few objectives over
all its targets at once: two feasible points that differ by one or more in a target prove that
target free, without an LP of its own. A component's constraints are passed to HiGHS once
(``likvard_core.stats.linear``); each objective after the first starts from the last basis.
Then the targets not yet proved free are pushed away from where the first point holds them, all
at once (minimised where above their lower bound, maximised where on it), while a push proves
a tenth of them free or more (GR's completion cubes: hundreds of targets left after the probes,
each of which took two solves of its own). The rest get their minimum solved, and their
maximum only when no point found so far lies one or more above that minimum.
Hiding more cells only widens what is feasible, so a
target once proved free stays free (``certified``, kept by the caller across rounds).

Every programme is bounded: a hidden cell lies between 0 and the sum of all the cube's counts
(``ceiling``), above anything its equations allow, so the bound changes no interval that was
finite and makes no programme unbounded. Only the objective changes between solves, so the
primal simplex goes on from the last optimal basis (Skaraborg's completion cube of start year
2016, one component of 2,908 hidden cells, 86 solves: 30.5 s with the dual simplex and free
upper bounds, 5.2 s so). A solve that ends other than optimal is tried again with the dual
simplex, and if that fails too the target is taken as pinned, never as free: an answer that is
no optimum proves no width.

A component of one equation (a unit's total and its girls and boys: almost every component of
a school-unit level's gender cube) needs no programme: with the other cells' boxes, the
target's range is its own box cut by the equation's rest, in closed form (``_one_equation``),
the interval the two programmes would find. At national scale that is tens of thousands of
components per year (#22).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array

from likvard_core.disclosure.cube import Equation
from likvard_core.disclosure.recoverable import hidden_components
from likvard_core.stats.linear import OPTIMAL, LinearProgram

PUSHES = 8
"""At most this many joint objectives after the probes (see ``_solve``)."""
PUSH_FROM = 8
"""Fewer targets left than this go one by one at once."""
WIDTH = 1.0 - 1e-6
"""A cell whose feasible values span less than this is pinned (one integer at most)."""


def pinned(
    equations: Sequence[Equation],
    *,
    counts: npt.NDArray[np.int64],
    hidden: npt.NDArray[np.bool_],
    too_few: npt.NDArray[np.bool_],
    thresholds: npt.NDArray[np.int64],
    targets: Iterable[int],
    certified: set[int] | None = None,
) -> list[int]:
    """The targets (hidden cells) whose feasible interval is narrower than one.

    ``hidden`` marks the cells the attacker lacks; every other cell's count is taken as seen.
    ``too_few`` cells are bounded to 1..threshold-1, every hidden cell below by 0. Targets in
    ``certified`` are known to be free; those proved free here are added to it.
    """
    certified = set() if certified is None else certified
    wanted = sorted({int(t) for t in targets if hidden[t] and int(t) not in certified})
    if not wanted:
        return []
    touching = [e for e in equations if any(hidden[m] for m in e.members)]
    groups = hidden_components(touching, hidden, wanted)
    by_root: dict[int, list[int]] = {}
    for target in wanted:
        by_root.setdefault(groups.get(target, target), []).append(target)
    rows_by_root: dict[int, list[Equation]] = {}
    for equation in touching:
        first = next(m for m in equation.members if hidden[m])
        rows_by_root.setdefault(groups[first], []).append(equation)
    found: list[int] = []
    for root, members in sorted(by_root.items()):
        rows = rows_by_root.get(root, [])
        if rows:
            found.extend(
                _solve(
                    rows,
                    counts=counts,
                    hidden=hidden,
                    too_few=too_few,
                    thresholds=thresholds,
                    targets=members,
                    certified=certified,
                )
            )
    return sorted(found)


def _solve(
    rows: Sequence[Equation],
    *,
    counts: npt.NDArray[np.int64],
    hidden: npt.NDArray[np.bool_],
    too_few: npt.NDArray[np.bool_],
    thresholds: npt.NDArray[np.int64],
    targets: Sequence[int],
    certified: set[int],
) -> list[int]:
    if len(rows) == 1:
        return _one_equation(
            rows[0], counts=counts, hidden=hidden, too_few=too_few, thresholds=thresholds,
            targets=targets, certified=certified,
        )  # fmt: skip
    columns = sorted({m for e in rows for m in e.members if hidden[m]})
    position = {cell: i for i, cell in enumerate(columns)}
    data, row_index, col_index = [], [], []
    rhs = np.zeros(len(rows))
    for r, equation in enumerate(rows):
        for cell, sign in ((equation.total, 1.0), *((s, -1.0) for s in equation.summands)):
            if hidden[cell]:
                data.append(sign)
                row_index.append(r)
                col_index.append(position[cell])
            else:
                rhs[r] -= sign * float(counts[cell])
    matrix = csr_array((data, (row_index, col_index)), shape=(len(rows), len(columns)))
    ceiling = max(1.0, float(counts.sum()))
    bounds = [(1.0, float(thresholds[c] - 1)) if too_few[c] else (0.0, ceiling) for c in columns]
    wanted = [t for t in targets if t in position]
    program = LinearProgram(columns=len(columns), bounds=bounds, a_eq=matrix, b_eq=rhs, primal=True)
    points = _Points(program, len(columns))
    indices = np.array([position[t] for t in wanted])
    points.probe(indices, lower=np.array([b[0] for b in bounds]))
    stuck = []
    for target in wanted:
        column = position[target]
        if points.spread(column) >= WIDTH:
            certified.add(target)
            continue
        objective = np.zeros(len(columns))
        objective[column] = 1.0
        low = points.solve(objective)
        if low is not None and points.high[column] - low >= WIDTH:
            certified.add(target)  # a point found lies far enough above the minimum
            continue
        high = points.solve(-objective)
        if low is not None and high is not None and -high - low >= WIDTH:
            certified.add(target)
        else:
            stuck.append(target)  # pinned, or not proved free (no optimum)
    return stuck


class _Points:
    """The optima found so far (feasible points) of one component's programme: each column's
    least and greatest value over them, and the first point."""

    def __init__(self, program: LinearProgram, columns: int) -> None:
        self.program = program
        self.columns = columns
        self.low = np.full(columns, np.inf)
        self.high = np.full(columns, -np.inf)
        self.first: npt.NDArray[np.float64] | None = None

    def spread(self, column: int) -> float:
        """How far apart the points lie in ``column`` (-inf before any point)."""
        return float(self.high[column] - self.low[column])

    def solve(self, objective: npt.NDArray[np.float64]) -> float | None:
        """The minimum of ``objective``, its point kept; None when no optimum was found."""
        result = self.program.solve(objective)
        if result.status != OPTIMAL:  # bounded and feasible: never expected; try the dual
            self.program.use_primal(False)
            result = self.program.solve(objective)
            self.program.use_primal(True)
        if result.status != OPTIMAL:
            return None  # no optimum: the caller proves nothing with it
        point = np.asarray(result.x)
        np.minimum(self.low, point, out=self.low)
        np.maximum(self.high, point, out=self.high)
        if self.first is None:
            self.first = point
        return float(result.fun)

    def probe(self, indices: npt.NDArray[np.int64], *, lower: npt.NDArray[np.float64]) -> None:
        """Points that set the ``indices`` columns apart: their sum minimised and maximised, two
        random directions, then pushes of those not yet apart (see the module)."""
        rng = np.random.default_rng(self.columns)
        for sign in (1.0, -1.0):
            objective = np.zeros(self.columns)
            objective[indices] = sign
            self.solve(objective)
        for _ in range(2):
            objective = np.zeros(self.columns)
            objective[indices] = rng.standard_normal(len(indices))
            self.solve(objective)
        for _ in range(PUSHES):
            left = indices[~(self.high[indices] - self.low[indices] >= WIDTH)]
            if len(left) < PUSH_FROM or self.first is None:
                return
            objective = np.zeros(self.columns)
            objective[left] = np.where(self.first[left] > lower[left] + 0.5, 1.0, -1.0)
            if self.solve(objective) is None:
                return
            if np.count_nonzero(~(self.high[left] - self.low[left] >= WIDTH)) > 0.9 * len(left):
                return  # proved little: the rest one by one


def _one_equation(
    equation: Equation,
    *,
    counts: npt.NDArray[np.int64],
    hidden: npt.NDArray[np.bool_],
    too_few: npt.NDArray[np.bool_],
    thresholds: npt.NDArray[np.int64],
    targets: Sequence[int],
    certified: set[int],
) -> list[int]:
    """``_solve`` for a component of one equation ``sum(coef * x) = rhs`` over hidden cells in
    boxes: a target's range is its box cut by ``(rhs - the others' range) / coef`` (exact:
    the equation's feasible set projects onto each coordinate as that interval)."""
    ceiling = max(1.0, float(counts.sum()))
    coef: dict[int, float] = {}
    rhs = 0.0
    for cell, sign in ((equation.total, 1.0), *((s, -1.0) for s in equation.summands)):
        if hidden[cell]:
            coef[cell] = coef.get(cell, 0.0) + sign
        else:
            rhs -= sign * float(counts[cell])
    box = {
        c: (1.0, float(thresholds[c] - 1)) if too_few[c] else (0.0, ceiling) for c in coef
    }  # fmt: skip
    ends = {c: sorted((a * box[c][0], a * box[c][1])) for c, a in coef.items()}
    low_sum = sum(e[0] for e in ends.values())
    high_sum = sum(e[1] for e in ends.values())
    stuck = []
    for target in targets:
        if target not in coef:
            continue
        a, (low, high) = coef[target], box[target]
        if a != 0.0:
            rest_low, rest_high = low_sum - ends[target][0], high_sum - ends[target][1]
            bounds = sorted(((rhs - rest_high) / a, (rhs - rest_low) / a))
            low, high = max(low, bounds[0]), min(high, bounds[1])
        if high - low >= WIDTH:
            certified.add(target)
        else:
            stuck.append(target)
    return stuck
