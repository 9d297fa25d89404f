"""Bounds of unknowns under linear ties: the minimum and maximum of each by a real LP solver.

A ``System`` has unknowns with bounds and linear constraints (``= rhs`` or ``<= rhs``). For
each unknown asked about, ``intervals`` solves two linear programmes with SciPy's HiGHS
(``likvard_core.stats.linear``: one model per component, only the objective and bounds
change between solves): minimise it and maximise it subject to every
constraint of its connected component (unknowns that share no constraint cannot inform each
other, so each component is solved alone, which keeps the programmes small).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

from likvard_core.stats.linear import LinearProgram

_INF = math.inf
_INFEASIBLE, _UNBOUNDED = 2, 3
"""``linprog``'s status codes (``likvard_core.stats.linear`` keeps them)."""
_CAP = 1e7
_SCREEN_FROM = 4
_SCREEN_ROUNDS = 3
_PUSH_ROUNDS = 60
_PUSH_GAIN = 2
"""A push that proves fewer open targets wide than this ends the screening (a target's own
solve costs about half a push's: GR's completion, 2017)."""
_LOCAL_FROM = 200
_LOCAL_TIE = 40
_BATCH = 1000
"""Unknowns of small components screened and bounded together in one programme (``_Together``)."""
_TOLERANCE = 1e-6
"""How far a tie of known figures alone may miss (rates are rounded floats)."""
_PROPAGATE_ROUNDS = 50
_MARGIN = 1e-6
"""How far below ``enough`` a width implied by the ties' bounds must be to prove a target
narrow (the implied bounds are floats: a true width of exactly ``enough`` stays undecided)."""
_FIXED = 1e-9
"""Implied bounds this close fix an unknown: its only feasible value."""


class InconsistentError(ValueError):
    """The ties and released figures admit no solution: a tie is wrong or a figure is."""


@dataclass(frozen=True, slots=True)
class Constraint:
    """``sum(coef * unknown) (== or <=) rhs``."""

    coefs: Mapping[Hashable, float]
    rhs: float
    equal: bool = True
    kind: str = ""
    """What the tie is (``total:group``, ``span``, ``reference`` ...), for diagnostics."""


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

    def add(
        self, coefs: Mapping[Hashable, float], rhs: float, *, equal: bool = True, kind: str = ""
    ) -> None:
        """Add ``sum(coefs) == rhs`` (or ``<= rhs``); unknowns must be declared first."""
        kept = {k: float(v) for k, v in coefs.items() if v != 0}
        missing = [k for k in kept if k not in self.bounds]
        if missing:
            raise KeyError(f"undeclared unknowns: {missing[:3]}")
        if not kept:
            if (equal and abs(rhs) > _TOLERANCE) or (not equal and rhs < -_TOLERANCE):
                raise InconsistentError(f"a {kind or 'tie'} of shown figures fails by {rhs:g}")
            return
        self.constraints.append(Constraint(kept, float(rhs), equal, kind))


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


def intervals(
    system: System,
    asked: Iterable[Hashable],
    *,
    enough: float = _INF,
    seconds: dict[Hashable, float] | None = None,
) -> dict[Hashable, Interval]:
    """The minimum and maximum of each ``asked`` unknown subject to the whole system.

    With ``enough``, an unknown already seen to range at least that wide over a few feasible
    points is not solved exactly: its interval is the range seen (narrower than the truth, and
    at least ``enough``). Pass the protection width to audit quickly; leave it for exact ends.
    ``seconds``, when given, receives each asked unknown's share of its component's time.
    """
    result: dict[Hashable, Interval] = {}
    pending = _pending(system, set(asked), enough, result, seconds)
    for batch in _batches(pending):
        started = time.perf_counter()
        together = _Together(batch) if len(batch) > 1 else None
        wide = together.screen(enough) if together is not None else None
        if together is not None and wide is not None:
            wide.update(together.exact([[t for t in c[2] if t not in wide] for c in batch]))
        shared = (time.perf_counter() - started) / sum(len(c[2]) for c in batch)
        for names, constraints, targets, own_system in batch:
            begun = time.perf_counter()
            if wide is None:
                result.update(_solve_component(own_system, names, constraints, targets, enough))
            else:
                result.update((t, wide[t]) for t in targets if t in wide)
                rest = [t for t in targets if t not in wide]
                if rest:
                    result.update(
                        _solve_component(own_system, names, constraints, rest, enough, screen=False)
                    )
            if seconds is not None:
                own = (time.perf_counter() - begun) / len(targets)
                seconds.update((name, own + shared) for name in targets)
    return result


_Component = tuple[list[Hashable], list[Constraint], list[Hashable], System]
"""A component's unknowns, its constraints, the unknowns asked about in it and the system
whose bounds hold for them (the whole system's, or a presolved component's: ``_presolved``)."""


def _pending(
    system: System,
    wanted: set[Hashable],
    enough: float,
    result: dict[Hashable, Interval],
    seconds: dict[Hashable, float] | None,
) -> list[_Component]:
    """The components holding a wanted unknown, to be screened and solved; the intervals
    known without a solve (an unknown in no tie; a large component's cells its ties' implied
    bounds decide, with ``enough``: ``_presolved``) go to ``result``."""
    pending: list[_Component] = []
    for names, constraints in components(system):
        targets = [n for n in names if n in wanted]
        if not targets:
            continue
        if not constraints:
            for name in targets:
                low, high = system.bounds[name]
                result[name] = Interval(low, high)
        elif len(names) <= _LOCAL_FROM or math.isinf(enough):
            pending.append((names, constraints, targets, system))
        else:
            begun = time.perf_counter()
            narrow, pieces = _presolved(system, names, constraints, targets, enough)
            result.update(narrow)
            if seconds is not None and narrow:
                own = (time.perf_counter() - begun) / len(narrow)
                seconds.update((name, own) for name in narrow)
            pending += pieces
    return pending


def _presolved(
    system: System,
    names: list[Hashable],
    constraints: list[Constraint],
    targets: list[Hashable],
    enough: float,
) -> tuple[dict[Hashable, Interval], list[_Component]]:
    """A large component's targets proven narrow by the bounds its ties imply, and the rest
    of it, with every unknown those bounds fix substituted, split into its components.

    ``_implied`` bounds hold at every feasible point, so a target whose implied bounds are
    narrower than ``enough`` (by ``_MARGIN``) is narrow (its reported interval is the
    implied one, which holds the true one), and an unknown they fix has that one value at
    every feasible point: putting it in leaves the feasible values of every other unknown as
    they were. The rest keep their own bounds, and each of their components is screened and
    solved as any other (no target's verdict rests on the implied bounds but a narrow one's).
    """
    index = {name: i for i, name in enumerate(names)}
    lower, upper = _implied(system, index, constraints)
    narrow: dict[Hashable, Interval] = {}
    for name in targets:
        low, high = float(lower[index[name]]), float(upper[index[name]])
        if high - low < enough - _MARGIN:
            narrow[name] = Interval(low, high)
    fixed = {name: float(lower[i]) for name, i in index.items() if upper[i] - lower[i] <= _FIXED}
    if not fixed:
        left = [t for t in targets if t not in narrow]
        return narrow, [(names, constraints, left, system)] if left else []
    reduced = System({n: system.bounds[n] for n in names if n not in fixed})
    for constraint in constraints:
        coefs = {n: c for n, c in constraint.coefs.items() if n not in fixed}
        known = sum(c * fixed[n] for n, c in constraint.coefs.items() if n in fixed)
        scale = 1.0 + abs(constraint.rhs) + abs(known)
        if coefs:
            reduced.constraints.append(
                Constraint(coefs, constraint.rhs - known, constraint.equal, constraint.kind)
            )
        elif (constraint.equal and abs(constraint.rhs - known) > _TOLERANCE * scale) or (
            not constraint.equal and constraint.rhs - known < -_TOLERANCE * scale
        ):
            raise InconsistentError(f"no figures satisfy a {constraint.kind or 'tie'}")
    wanted = {t for t in targets if t not in narrow}
    pieces: list[_Component] = []
    for piece, ties in components(reduced):
        left = [n for n in piece if n in wanted]
        if left and ties:
            pieces.append((piece, ties, left, reduced))
        elif left:
            narrow.update((n, Interval(*reduced.bounds[n])) for n in left)
    return narrow, pieces


def _implied(
    system: System, index: Mapping[Hashable, int], constraints: list[Constraint]
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the unknowns of ``index`` that every point satisfying ``constraints`` and
    the system's bounds satisfies, by propagating bounds through the ties (each tie bounds
    each of its unknowns by the others' bounds) until they change no more.

    Every bound it derives is implied by the ties, so it holds at every feasible point: a
    proof that a value is impossible, never an estimate. A bound improved by less than a
    millionth is left as it was, so the rounds end."""
    lower = np.array([system.bounds[n][0] for n in index], dtype=np.float64)
    upper = np.array([system.bounds[n][1] for n in index], dtype=np.float64)
    rows_, cols_, data_, row_low, row_high = [], [], [], [], []
    for row, constraint in enumerate(constraints):
        for name, coef in constraint.coefs.items():
            rows_.append(row)
            cols_.append(index[name])
            data_.append(coef)
        row_low.append(constraint.rhs if constraint.equal else -_INF)
        row_high.append(constraint.rhs)
    rows, cols, data = np.array(rows_), np.array(cols_), np.array(data_, dtype=np.float64)
    low_of, high_of = np.array(row_low)[rows], np.array(row_high)[rows]
    count, positive = len(constraints), data > 0
    with np.errstate(invalid="ignore"):
        for _ in range(_PROPAGATE_ROUNDS):
            least = np.where(positive, data * lower[cols], data * upper[cols])
            most = np.where(positive, data * upper[cols], data * lower[cols])
            least_inf, most_inf = np.isinf(least), np.isinf(most)
            least_fin, most_fin = np.where(least_inf, 0.0, least), np.where(most_inf, 0.0, most)
            # the other unknowns' least and most of each tie, with their infinite terms
            others_least = np.bincount(rows, least_fin, count)[rows] - least_fin
            others_most = np.bincount(rows, most_fin, count)[rows] - most_fin
            least_open = np.bincount(rows, least_inf, count)[rows] - least_inf > 0
            most_open = np.bincount(rows, most_inf, count)[rows] - most_inf > 0
            term_low = np.where(most_open, -_INF, low_of - others_most)
            term_high = np.where(least_open, _INF, high_of - others_least)
            new_lower, new_upper = lower.copy(), upper.copy()
            np.maximum.at(new_lower, cols, np.where(positive, term_low, term_high) / data)
            np.minimum.at(new_upper, cols, np.where(positive, term_high, term_low) / data)
            slack = _TOLERANCE * (1.0 + np.abs(np.where(np.isinf(upper), lower, upper)))
            if np.any(new_lower > new_upper + slack):
                raise InconsistentError("no figures satisfy the ties: bounds cross")
            crossed = new_lower > new_upper
            new_lower[crossed] = new_upper[crossed] = (new_lower[crossed] + new_upper[crossed]) / 2
            step = 1e-6 * (1.0 + np.minimum(np.abs(lower), np.abs(upper)))
            raised = new_lower > lower + np.where(np.isinf(lower), 0.0, step)
            lowered = new_upper < upper - np.where(np.isinf(upper), 0.0, step)
            if not (raised.any() or lowered.any()):
                break
            lower = np.where(raised, new_lower, lower)
            upper = np.where(lowered, new_upper, upper)
    return lower, upper


def _batches(pending: list[_Component]) -> list[list[_Component]]:
    """Small components gathered into batches of up to ``_BATCH`` unknowns (each large one
    alone): a batch's components are screened in one programme."""
    batches: list[list[_Component]] = []
    current: list[_Component] = []
    size = 0
    for component in pending:
        width = len(component[0])
        if width > _LOCAL_FROM:
            batches.append([component])
            continue
        if current and size + width > _BATCH:
            batches.append(current)
            current, size = [], 0
        current.append(component)
        size += width
    if current:
        batches.append(current)
    return batches


class _Together:
    """Several components side by side as one programme (they share no unknown).

    Its optima are each component's optima, and a point feasible for it is feasible for each:
    a batch of a thousand small components (one unit's subject and year each) is screened
    with a few dozen solves instead of a few thousand, and the targets the screening leaves
    are bounded exactly one per component and solve (``exact``).
    """

    def __init__(self, batch: list[_Component]) -> None:
        self.names = [n for component in batch for n in component[0]]
        self.index = {name: i for i, name in enumerate(self.names)}
        self.batch = batch
        constraints = [c for component in batch for c in component[1]]
        a_eq, b_eq, a_ub, b_ub = _matrices(self.index, constraints)
        self.bounds = [
            (None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
            for names, _constraints, _targets, system in batch
            for lo, hi in (system.bounds[n] for n in names)
        ]
        self.capped: list[tuple[float | None, float | None]] = [
            (-_CAP if lo is None else lo, _CAP if hi is None else hi) for lo, hi in self.bounds
        ]
        self.program = LinearProgram(
            columns=len(self.names), bounds=self.bounds, a_eq=a_eq, b_eq=b_eq, a_ub=a_ub,
            b_ub=b_ub, primal=True,
        )  # fmt: skip

    def screen(self, enough: float) -> dict[Hashable, Interval] | None:
        """``_screen`` over the whole batch. None when ``enough`` is infinite (nothing to
        screen) or a solve fails (each component is then solved on its own, as before)."""
        if math.isinf(enough):
            return None
        targets = [self.index[t] for component in self.batch for t in component[2]]
        failed: list[bool] = []

        def solve(cost: np.ndarray, limits: list[tuple[float | None, float | None]]) -> Any:
            solved = self.program.solve(cost, limits)
            failed.append(solved.status != 0)
            return solved

        seen = _screen(solve, self.names, self.bounds, targets, enough, always=True)
        return None if any(failed) else {n: i for n, i in seen.items() if i.width >= enough}

    def exact(self, rest: list[list[Hashable]]) -> dict[Hashable, Interval]:
        """The exact interval of each of ``rest`` (per component, in the batch's order) that
        the batch can give: in round ``r`` every component's ``r``-th target is minimised
        (then maximised) in one solve, since the minimum of a sum over components that share
        no unknown is each component's minimum. The column bounds are capped (no solve is
        unbounded); a target whose component has a capped column at its cap in the solution
        is left out (its optimum may lie beyond the cap), as is every target of a round whose
        solve fails: those are solved on their own. Where no cap binds, the capped optimum is
        a local, hence the global, optimum of the uncapped programme."""
        spans, start = [], 0
        for names, _constraints, _targets, _system in self.batch:
            spans.append((start, start + len(names)))
            start += len(names)
        low_capped = np.array([lo is None for lo, _hi in self.bounds], dtype=bool)
        high_capped = np.array([hi is None for _lo, hi in self.bounds], dtype=bool)
        ends: tuple[dict[Hashable, float], dict[Hashable, float]] = ({}, {})
        for round_ in range(max((len(r) for r in rest), default=0)):
            chosen = [(c, r[round_]) for c, r in enumerate(rest) if round_ < len(r)]
            columns = np.array([self.index[t] for _c, t in chosen])
            for end, sign in enumerate((1.0, -1.0)):
                cost = np.zeros(len(self.names))
                cost[columns] = sign
                solved = self.program.solve(cost, self.capped)
                if solved.status != 0:
                    break
                x = solved.x
                binding = (low_capped & (x <= -_CAP / 2)) | (high_capped & (x >= _CAP / 2))
                for (component, target), column in zip(chosen, columns, strict=True):
                    first, last = spans[component]
                    if binding[first:last].any():
                        continue
                    ends[end][target] = float(x[column])
        low, high = ends
        return {t: Interval(low[t], high[t]) for t in low if t in high}


def _solve_component(
    system: System,
    names: list[Hashable],
    constraints: list[Constraint],
    targets: list[Hashable],
    enough: float,
    *,
    nested: bool = False,
    screen: bool = True,
) -> dict[Hashable, Interval]:
    index = {name: i for i, name in enumerate(names)}
    a_eq, b_eq, a_ub, b_ub = _matrices(index, constraints)
    bounds = [
        (None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
        for lo, hi in (system.bounds[n] for n in names)
    ]

    program = LinearProgram(
        columns=len(names), bounds=bounds, a_eq=a_eq, b_eq=b_eq, a_ub=a_ub, b_ub=b_ub,
        primal=True,
    )  # fmt: skip

    def solve(cost: np.ndarray, limits: list[tuple[float | None, float | None]]) -> Any:
        return program.solve(cost, limits)

    exact = math.isinf(enough)  # every interval exact: the plain minimum and maximum
    seen = (
        _screen(solve, names, bounds, [index[t] for t in targets], enough)
        if screen and not exact
        else {}
    )
    result = {n: i for n, i in seen.items() if i.width >= enough}
    rest = [t for t in targets if t not in result]
    if len(names) > _LOCAL_FROM and not nested and not exact:
        narrow = _local(system, constraints, rest, enough)
        result.update(narrow)
        rest = [t for t in rest if t not in narrow]
    result.update(_ends(solve, system, names, rest, seen=seen, enough=enough))
    return result


def _ends(
    solve: Callable[[np.ndarray, list[tuple[float | None, float | None]]], Any],
    system: System,
    names: list[Hashable],
    rest: list[Hashable],
    *,
    seen: Mapping[Hashable, Interval],
    enough: float,
) -> dict[Hashable, Interval]:
    """The minimum and maximum of each of ``rest``, solved one after the other; with a
    finite ``enough``, a target seen at least that wide is wide without its solves.

    Every optimum is a feasible point too: what it shows of the targets still to be solved
    is kept with what the screening ``seen``, so many a target is proven wide by the solves
    of others, or by one of its own (the end it has more room towards, first)."""
    exact = math.isinf(enough)
    index = {name: i for i, name in enumerate(names)}
    bounds = [
        (None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
        for lo, hi in (system.bounds[n] for n in names)
    ]
    columns = np.array([index[t] for t in rest], dtype=np.int64)
    low = np.array([seen[t].low if t in seen else _INF for t in rest])
    high = np.array([seen[t].high if t in seen else -_INF for t in rest])
    result: dict[Hashable, Interval] = {}
    for position, name in enumerate(rest):
        if not exact and high[position] - low[position] >= enough:
            result[name] = Interval(float(low[position]), float(high[position]))
            continue
        ends = []
        signs = (1.0, -1.0)
        floor, ceiling = system.bounds[name]
        with np.errstate(invalid="ignore"):
            if not exact and ceiling - low[position] > high[position] - floor:
                signs = (-1.0, 1.0)  # the maximum first: likelier to prove it wide
        for sign in signs:
            cost = np.zeros(len(names))
            cost[index[name]] = sign
            solved = solve(cost, bounds)
            if solved.status == _INFEASIBLE:
                raise InconsistentError(f"no figures satisfy the ties around {name!r}")
            if solved.status == _UNBOUNDED:
                ends.append(-_INF if sign > 0 else _INF)
            elif solved.status != 0:
                raise RuntimeError(f"the LP solver failed on {name!r}: {solved.message}")
            else:
                ends.append(sign * float(solved.fun))
                if not exact:
                    values = solved.x[columns]
                    low, high = np.minimum(low, values), np.maximum(high, values)
            if not exact and high[position] - low[position] >= enough:
                break  # wide: two feasible points this far apart
        if len(ends) == len(signs):
            result[name] = Interval(min(ends), max(ends))
        else:
            result[name] = Interval(float(low[position]), float(high[position]))
    return result


def _local(
    system: System, constraints: list[Constraint], targets: list[Hashable], enough: float
) -> dict[Hashable, Interval]:
    """Targets proven narrow on their neighbourhood alone (the rest need the whole component).

    Dropping constraints can only widen an interval, so a target narrower than ``enough``
    under the ties within two steps of it (ties of more than ``_LOCAL_TIE`` unknowns left out)
    is narrower still under all of them. Its reported interval is the local one, which holds
    the true one.
    """
    by_name: dict[Hashable, list[Constraint]] = {}
    for constraint in constraints:
        if len(constraint.coefs) <= _LOCAL_TIE:
            for name in constraint.coefs:
                by_name.setdefault(name, []).append(constraint)
    result = {}
    for target in targets:
        near = {id(c): c for c in by_name.get(target, [])}
        for constraint in list(near.values()):
            for name in constraint.coefs:
                near.update((id(c), c) for c in by_name.get(name, []))
        ties = list(near.values())
        names = list(dict.fromkeys([target, *(n for c in ties for n in c.coefs)]))
        local = System({n: system.bounds[n] for n in names}, ties)
        found = _solve_component(local, names, ties, [target], _INF, nested=True)[target]
        if found.width < enough:
            result[target] = found
    return result


def _screen(
    solve: Callable[[np.ndarray, list[tuple[float | None, float | None]]], Any],
    names: list[Hashable],
    bounds: list[tuple[float | None, float | None]],
    targets: list[int],
    enough: float,
    *,
    always: bool = False,
) -> dict[Hashable, Interval]:
    """The range of each target over a few feasible points: a target seen at least
    ``enough`` wide is proven wide (no exact interval needed for it).

    Solutions for random objectives are feasible points; a target whose values over them
    already differ by at least ``enough`` has an interval at least that wide (a lower
    bound of its true width). After a few random objectives, each round pushes every target
    not yet seen that wide up, then down, at once (random weights), while that decides more.
    Only the others get their own two programmes. Infinite bounds are capped for the
    screening alone, which keeps its points feasible.
    """
    if len(targets) <= _SCREEN_FROM and not always:
        return {}
    capped: list[tuple[float | None, float | None]] = [
        (-_CAP if lo is None else lo, _CAP if hi is None else hi) for lo, hi in bounds
    ]
    rng = np.random.default_rng(len(names))
    points = []
    for _ in range(_SCREEN_ROUNDS):
        signs = rng.choice([-1.0, 1.0], size=len(names))
        for cost in (signs, -signs):
            solved = solve(cost, capped)
            if solved.status != 0:
                return {}
            points.append(solved.x)
    values = np.array(points)[:, targets]
    low, high = values.min(axis=0), values.max(axis=0)
    columns = np.array(targets)
    floor = np.array([lo for lo, _hi in capped], dtype=np.float64)[columns]
    ceiling = np.array([hi for _lo, hi in capped], dtype=np.float64)[columns]
    for _ in range(_PUSH_ROUNDS):
        open_ = np.flatnonzero(high - low < enough)
        if open_.size == 0:
            break
        # each open target pushed (random weights) the way it has more room: up when what
        # it can still rise above its lowest seen value is more than it can fall below its
        # highest (a count seen only at 0 goes up)
        up = ceiling[open_] - low[open_] >= high[open_] - floor[open_]
        weights = rng.exponential(1.0, size=open_.size) + 0.01
        cost = np.zeros(len(names))
        cost[columns[open_]] = np.where(up, -weights, weights)
        solved = solve(cost, capped)
        if solved.status != 0:
            break
        seen = solved.x[targets]
        low, high = np.minimum(low, seen), np.maximum(high, seen)
        if open_.size - np.count_nonzero(high - low < enough) < _PUSH_GAIN:
            break  # the rest one by one (``_solve_component``, reusing every point)
    return {
        names[t]: Interval(float(lo), float(hi))
        for t, lo, hi in zip(targets, low, high, strict=True)
    }


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
