"""Bounds of unknowns under linear ties: the minimum and maximum of each by a real LP solver.

A ``System`` has unknowns with bounds and linear constraints (``= rhs`` or ``<= rhs``). For
each unknown asked about, ``intervals`` solves two linear programmes with SciPy's HiGHS
(``scipy.optimize.linprog(method="highs")``): minimise it and maximise it subject to every
constraint of its connected component (unknowns that share no constraint cannot inform each
other, so each component is solved alone, which keeps the programmes small).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

_INF = math.inf
_TOLERANCE = 1e-6
"""How far a tie of known figures alone may miss (rates are rounded floats)."""


class InconsistentError(ValueError):
    """The ties and released figures admit no solution: a tie is wrong or a figure is."""


@dataclass(frozen=True, slots=True)
class Constraint:
    """``sum(coef * unknown) (== or <=) rhs``."""

    coefs: Mapping[Hashable, float]
    rhs: float
    equal: bool = True


@dataclass(slots=True)
class System:
    """Unknowns with lower and upper bounds, and the constraints between them."""

    bounds: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)

    def unknown(self, name: Hashable, low: float = 0.0, high: float = _INF) -> Hashable:
        """Declare ``name`` (or narrow its bounds when already declared); return it."""
        old = self.bounds.get(name, (-_INF, _INF))
        self.bounds[name] = (max(old[0], low), min(old[1], high))
        return name

    def add(self, coefs: Mapping[Hashable, float], rhs: float, *, equal: bool = True) -> None:
        """Add ``sum(coefs) == rhs`` (or ``<= rhs``); unknowns must be declared first."""
        kept = {k: float(v) for k, v in coefs.items() if v != 0}
        missing = [k for k in kept if k not in self.bounds]
        if missing:
            raise KeyError(f"undeclared unknowns: {missing[:3]}")
        if not kept:
            if (equal and abs(rhs) > _TOLERANCE) or (not equal and rhs < -_TOLERANCE):
                raise InconsistentError(f"a tie of known figures fails: 0 vs {rhs}")
            return
        self.constraints.append(Constraint(kept, float(rhs), equal))


@dataclass(frozen=True, slots=True)
class Interval:
    """The feasible range of one unknown."""

    low: float
    high: float

    @property
    def width(self) -> float:
        """``high - low`` (infinite when unbounded)."""
        return self.high - self.low


def components(system: System) -> list[tuple[list[Hashable], list[Constraint]]]:
    """The unknowns grouped by shared constraints, each group with its constraints."""
    parent: dict[Hashable, Hashable] = {k: k for k in system.bounds}

    def find(x: Hashable) -> Hashable:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for constraint in system.constraints:
        names = iter(constraint.coefs)
        first = find(next(names))
        for other in names:
            root = find(other)
            if root != first:
                parent[root] = first
    groups: dict[Hashable, list[Hashable]] = {}
    for name in system.bounds:
        groups.setdefault(find(name), []).append(name)
    ties: dict[Hashable, list[Constraint]] = {}
    for constraint in system.constraints:
        ties.setdefault(find(next(iter(constraint.coefs))), []).append(constraint)
    return [(names, ties.get(root, [])) for root, names in groups.items()]


def intervals(system: System, asked: Iterable[Hashable]) -> dict[Hashable, Interval]:
    """The minimum and maximum of each ``asked`` unknown subject to the whole system."""
    wanted = set(asked)
    result: dict[Hashable, Interval] = {}
    for names, constraints in components(system):
        targets = [n for n in names if n in wanted]
        if not targets:
            continue
        if not constraints:
            for name in targets:
                low, high = system.bounds[name]
                result[name] = Interval(low, high)
            continue
        result.update(_solve_component(system, names, constraints, targets))
    return result


def _solve_component(
    system: System, names: list[Hashable], constraints: list[Constraint], targets: list[Hashable]
) -> dict[Hashable, Interval]:
    index = {name: i for i, name in enumerate(names)}
    a_eq, b_eq, a_ub, b_ub = _matrices(index, constraints)
    bounds = [
        (None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
        for lo, hi in (system.bounds[n] for n in names)
    ]
    result = {}
    for name in targets:
        ends = []
        for sign in (1.0, -1.0):
            cost = np.zeros(len(names))
            cost[index[name]] = sign
            solved = linprog(
                cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
            )
            if solved.status == 2:  # noqa: PLR2004 (linprog's code for infeasible)
                raise InconsistentError(f"no figures satisfy the ties around {name!r}")
            if solved.status == 3:  # noqa: PLR2004 (unbounded)
                ends.append(-_INF if sign > 0 else _INF)
            elif solved.status != 0:
                raise RuntimeError(f"the LP solver failed on {name!r}: {solved.message}")
            else:
                ends.append(sign * float(solved.fun))
        result[name] = Interval(ends[0], ends[1])
    return result


def _matrices(
    index: Mapping[Hashable, int], constraints: list[Constraint]
) -> tuple[csr_matrix | None, np.ndarray | None, csr_matrix | None, np.ndarray | None]:
    out: list[csr_matrix | np.ndarray | None] = []
    for equal in (True, False):
        rows, cols, data, rhs = [], [], [], []
        for row, constraint in enumerate(c for c in constraints if c.equal is equal):
            for name, coef in constraint.coefs.items():
                rows.append(row)
                cols.append(index[name])
                data.append(coef)
            rhs.append(constraint.rhs)
        if rhs:
            out += [csr_matrix((data, (rows, cols)), shape=(len(rhs), len(index))), np.array(rhs)]
        else:
            out += [None, None]
    return out[0], out[1], out[2], out[3]
