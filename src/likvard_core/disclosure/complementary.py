"""Deciding which cells of a cube to hide: primary rule, then complementary suppression.

1. Primary: a published cell with ``0 < n < threshold`` that the viewer does not know is hidden.
   Unpublished (virtual) cells are hidden by nature; they need protection only when small.
2. Margin rule, to a fixpoint: an equation whose only unknown hidden member needs protection
   gets one more member hidden, the smallest released unknown one.
3. Exact check: a protected cell still recoverable through any combination of equations (see
   ``recoverable``) gets one more cell of its recovering formula hidden, the smallest; then back
   to 2, until nothing protected is recoverable.
4. Interval check: with every count non-negative and every cell marked ``too_few`` known to lie
   in 1..threshold-1, a protected non-zero cell whose smallest and largest possible values
   differ by less than one is pinned (``intervals``). A pinned cell marked too few loses that
   mark (it is shown as hidden for protection, which bounds nothing); otherwise one more
   released cell of an equation it takes part in is hidden, the smallest; if none is left, a
   marked cell of its equations loses its mark. Then back to 2.
Parts of a total shown as 0 (and their parts) are 0 for anyone who sees the total: they count
as seen in every rule, so they are neither protected nor chosen, and are released.
Choices are by (zero count last, count, finer breakdown first, cell order), so the result is
deterministic and hides small cells before totals. Cells the viewer can compute from known cells
alone are treated as known: hiding them protects nothing.
Each round examines only the parts of the cube (cells linked by equations, ``_Blocks``) that
changed since a rule last examined them: a part left as it was gives every rule the same
answer, nothing, so the decision is that of examining the whole cube every round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from likvard_core.disclosure.cube import Cube, Equation
from likvard_core.disclosure.intervals import pinned
from likvard_core.disclosure.recoverable import recoverable

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Decision:
    """Per cell: hidden, hidden by the primary rule, and known to the viewer."""

    hidden: BoolArray
    primary: BoolArray
    known: BoolArray


@dataclass(frozen=True, slots=True)
class Settled:
    """Cells an earlier release already decided (the totals released before their breakdown).

    ``shown`` cells are public: known (constants of every rule) and never hidden. ``hidden``
    cells stay hidden, protected like any hidden cell; ``marked`` ones (among them) were shown
    as too few, a bound the attacker has, and keep that mark.
    """

    shown: BoolArray
    hidden: BoolArray
    marked: BoolArray


def decide(
    cube: Cube,
    thresholds: npt.NDArray[np.int64],
    known: BoolArray,
    *,
    parts: BoolArray | None = None,
    groups: Sequence[npt.NDArray[np.int64]] = (),
    settled: Settled | None = None,
    rests: BoolArray | None = None,
) -> Decision:
    """Hide cells of ``cube`` so that no protected cell is exactly recoverable.

    ``parts`` marks cells that count a part of a row's students (``measures``): never hidden
    for being small, protected once hidden. Each of ``groups`` (a row's cells) is hidden as a
    whole as soon as one of its cells is. ``settled`` cells keep an earlier release's decision.
    ``rests`` marks the remainders of splits the viewer is assumed to know (students of unknown
    gender, ``partitions``): known, but no figure shown, so they free no total of 0.
    """
    counts = np.asarray(cube.counts, dtype=np.int64)
    published = np.asarray(cube.published, dtype=bool)
    parts = np.zeros(len(counts), dtype=bool) if parts is None else parts
    fixed = settled or Settled(*(np.zeros(len(counts), dtype=bool) for _ in range(3)))
    together = _Together(len(counts), groups)
    small = (counts > 0) & (counts < thresholds) & ~parts
    known = (known | fixed.shown) & ~fixed.hidden
    primary = (published & small & ~known) | fixed.marked
    hidden = together.spread(primary | ~published | fixed.hidden, published)
    known = known | _determined_by(cube.equations, known, np.flatnonzero(~known & small))
    known &= ~fixed.hidden
    needs = (primary | (~published & small) | fixed.hidden) & ~known
    certified: set[int] = set()
    marked = primary.copy()
    of_cell = _equations_of(cube)
    zero_totals = _ZeroTotals(
        cube.equations,
        counts,
        published & ~(np.zeros_like(published) if rests is None else rests),
        rising=parts,
    )
    blocks = _Blocks(len(counts), cube.equations, groups)
    dirty = blocks.every()  # for the margin rule: the parts the last round changed
    last_exact: _State | None = None  # the cells as each rule last examined them
    last_interval: _State | None = None
    proved = _Proved()  # cells the exact rule has found free
    while True:
        start = _State(hidden, known, marked)
        hidden = _margins_closed(
            cube, blocks, dirty, counts=counts, hidden=hidden, known=known, marked=marked,
            needs=needs, together=together, zero_totals=zero_totals,
        )  # fmt: skip
        now = _State(hidden, known, marked)
        free = zero_totals.parts(hidden=hidden, known=known)
        seen = known | free
        protect = (needs | (hidden & published & ~known)) & ~free
        todo = blocks.changed(last_exact, now)
        last_exact = now
        exposed = _exact_rule(
            cube,
            blocks.equations(todo),
            counts=counts,
            hidden=hidden,
            known=known,
            protect=protect & blocks.cells(todo),
            free=free,
            proved=proved,
        )
        unmark: set[int] = set()
        if not exposed:
            todo = blocks.changed(last_interval, now)  # as it reads them: ``now``
            last_interval = now
            exposed, unmark = _interval_rule(
                cube,
                blocks.equations(todo),
                counts=counts,
                thresholds=thresholds,
                hidden=hidden,
                known=seen,
                marked=marked,
                protect=protect & blocks.cells(todo),
                certified=certified,
                zeros=published,
                fixed=fixed.marked,
                of_cell=of_cell,
            )
        if not exposed and not unmark:
            break
        hidden[sorted(exposed)] = True
        hidden = together.spread(hidden, published)
        marked[sorted(unmark)] = False
        dirty = blocks.changed(start, _State(hidden, known, marked))
    seen = (known | zero_totals.parts(hidden=hidden, known=known)) & ~fixed.hidden
    return Decision(hidden=hidden & published & ~seen, primary=marked, known=seen)


def _equations_of(cube: Cube) -> list[list[Equation]]:
    """Per cell, the equations it is a member of, in the cube's order."""
    of_cell: list[list[Equation]] = [[] for _ in cube.counts]
    for equation in cube.equations:
        for member in dict.fromkeys(equation.members):
            of_cell[member].append(equation)
    return of_cell


class _ZeroTotals:
    """The parts of totals shown as 0, which the total already gives away.

    A total shown as 0 says of every part of it that it is 0 (counts are never negative): a
    hidden part then holds nothing the total does not say, and protecting it (it is pinned to
    0) would only hide more. Such parts, and the parts of those parts, count as seen. Hiding
    only grows, so the set only shrinks; it is worked out anew each round.
    """

    def __init__(
        self,
        equations: Sequence[Equation],
        counts: npt.NDArray[np.int64],
        published: BoolArray | None = None,
        rising: BoolArray | None = None,
    ) -> None:
        self.below: dict[int, list[int]] = {}
        self.above: dict[int, list[Equation]] = {}
        for equation in equations:
            if counts[equation.total] == 0:
                self.below.setdefault(equation.total, []).extend(equation.summands)
                for summand in equation.summands:
                    self.above.setdefault(summand, []).append(equation)
        self.size = len(counts)
        self.published = np.ones(self.size, dtype=bool) if published is None else published
        self.rising = np.zeros(self.size, dtype=bool) if rising is None else rising

    def parts(self, *, hidden: BoolArray, known: BoolArray) -> BoolArray:
        """Cells not ``known`` under a total of 0 that is shown (not hidden, or known),
        through any chain of totals of 0; and totals of 0 whose every part is such a cell or
        shown (a published cell not hidden, or known): the parts say the same of everyone
        in the total. An unpublished part (the unknown rest of a split, a remainder) is not
        shown, so a total with one is not freed that way. Only ``rising`` totals are freed so
        (parts of a row, ``measures``: their row's count keeps a hidden row hidden); a count
        freed so would be released, and with it that the rows it lacks count no one."""
        free = np.zeros(self.size, dtype=bool)
        shown = known | ~hidden
        seen = shown & self.published
        stack = [t for t in self.below if shown[t]]
        stack += [c for c in self.above if seen[c]]
        while stack:
            cell = stack.pop()
            for part in self.below.get(cell, ()) if shown[cell] or free[cell] else ():
                if not free[part]:
                    free[part] = True
                    stack.append(part)
            for equation in self.above.get(cell, ()):
                total = equation.total
                if free[total] or shown[total] or not self.rising[total]:
                    continue
                if all(free[p] or seen[p] for p in equation.summands):
                    free[total] = True
                    stack.append(total)
        return free & ~known


class _Together:
    """Cells hidden together: the union of overlapping groups, by a label per cell."""

    def __init__(self, size: int, groups: Sequence[npt.NDArray[np.int64]]) -> None:
        parent = np.arange(size)

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = int(parent[x])
            return x

        for group in groups:
            first = find(int(group[0]))
            for other in group[1:].tolist():
                root = find(other)
                if root != first:
                    parent[root] = first
        self.label = np.array([find(i) for i in range(size)], dtype=np.int64)
        self.active = bool(groups)

    def spread(self, hidden: BoolArray, published: BoolArray) -> BoolArray:
        """``hidden`` plus every published cell grouped with a hidden published cell."""
        if not self.active:
            return hidden
        roots = np.unique(self.label[hidden & published])
        return hidden | (published & np.isin(self.label, roots))


@dataclass(frozen=True, slots=True)
class _State:
    """A copy of what the rules read and change: hidden, known and marked cells."""

    hidden: BoolArray
    known: BoolArray
    marked: BoolArray

    def __init__(self, hidden: BoolArray, known: BoolArray, marked: BoolArray) -> None:
        object.__setattr__(self, "hidden", hidden.copy())
        object.__setattr__(self, "known", known.copy())
        object.__setattr__(self, "marked", marked.copy())


class _Blocks:
    """The cube's independent parts: cells linked by equations or hidden together.

    Every rule reads and changes the cells of one part through that part's equations alone
    (its counts, its hidden, known and marked cells), so a part that no round has changed
    since a rule last examined it gives that rule the same answer: nothing (had it given
    something, the part would have changed). The gate examines each round only the parts
    changed since (at national scale the parts are school units' subjects: most settle in
    a round or two, a few take twenty), and decides exactly as when it examines them all.
    """

    def __init__(
        self, size: int, equations: Sequence[Equation], groups: Sequence[npt.NDArray[np.int64]]
    ) -> None:
        heads = [e.total for e in equations for _ in e.summands]
        tails = [s for e in equations for s in e.summands]
        for group in groups:
            heads.extend([int(group[0])] * (len(group) - 1))
            tails.extend(group[1:].tolist())
        graph = coo_array(
            (np.ones(len(heads), dtype=np.int8), (np.array(heads, dtype=np.int64),
             np.array(tails, dtype=np.int64))), shape=(size, size),
        )  # fmt: skip
        self.count, self.label = connected_components(graph, directed=False)
        self._equations = list(equations)
        self._of_equation = self.label[np.array([e.total for e in equations], dtype=np.int64)]

    def every(self) -> BoolArray:
        """Every part."""
        return np.ones(self.count, dtype=bool)

    def changed(self, before: _State | None, after: _State) -> BoolArray:
        """The parts with a cell whose state differs between ``before`` and ``after`` (every
        part when there is no ``before``)."""
        if before is None:
            return self.every()
        cells = (
            (after.hidden != before.hidden)
            | (after.known != before.known)
            | (after.marked != before.marked)
        )
        parts = np.zeros(self.count, dtype=bool)
        parts[self.label[cells]] = True
        return parts

    def cells(self, parts: BoolArray) -> BoolArray:
        """The cells of ``parts``."""
        mask: BoolArray = parts[self.label]
        return mask

    def equations(self, parts: BoolArray) -> list[Equation]:
        """The equations of ``parts``, in the cube's order."""
        if parts.all():
            return self._equations
        return [self._equations[i] for i in np.flatnonzero(parts[self._of_equation]).tolist()]


def _determined_by(
    equations: list[Equation], known: BoolArray, targets: Iterable[int]
) -> BoolArray:
    """Cells fixed by the known cells alone (the viewer can compute them already)."""
    determined = np.zeros_like(known)
    if known.any():
        determined[list(recoverable(equations, ~known, targets))] = True
    return determined


def _choice_key(cube: Cube, counts: npt.NDArray[np.int64], cell: int) -> tuple[bool, int, int, int]:
    count = int(counts[cell])
    return (count == 0, count, -len(cube.signatures[cell]), cell)


def _margins_closed(
    cube: Cube,
    blocks: _Blocks,
    dirty: BoolArray,
    *,
    counts: npt.NDArray[np.int64],
    hidden: BoolArray,
    known: BoolArray,
    marked: BoolArray,
    needs: BoolArray,
    together: _Together,
    zero_totals: _ZeroTotals,
) -> BoolArray:
    """``hidden`` after the margin rule, a row's cells hidden together, to a fixpoint.

    The rule runs over the ``dirty`` parts, then over the parts its last pass changed: the
    others are at their fixpoint already (``_Blocks``).
    """
    published = np.asarray(cube.published, dtype=bool)
    live = dirty
    while True:
        free = zero_totals.parts(hidden=hidden, known=known)
        step = _State(hidden, known, marked)
        _margin_rule(
            cube,
            blocks.equations(live),
            counts=counts,
            hidden=hidden,
            known=known | free,
            needs=(needs | (hidden & published)) & ~free,
        )
        before = int(hidden.sum())
        hidden = together.spread(hidden, published)
        if int(hidden.sum()) == before:
            return hidden
        live = blocks.changed(step, _State(hidden, known, marked))


def _margin_rule(
    cube: Cube,
    equations: Sequence[Equation],
    *,
    counts: npt.NDArray[np.int64],
    hidden: BoolArray,
    known: BoolArray,
    needs: BoolArray,
) -> None:
    """Hide cells in place until none of ``equations`` has exactly one unknown hidden member
    in need.

    ``needs`` grows with ``hidden``: a cell hidden here is protected in turn.
    """
    changed = True
    while changed:
        changed = False
        for equation in equations:
            members = [m for m in equation.members if not known[m]]
            secret = [m for m in members if hidden[m]]
            if len(secret) != 1 or not needs[secret[0]]:
                continue
            candidates = [m for m in members if not hidden[m]]
            if candidates:
                chosen = min(candidates, key=lambda c: _choice_key(cube, counts, c))
                hidden[chosen] = needs[chosen] = True
                changed = True


def _exact_rule(
    cube: Cube,
    equations: Sequence[Equation],
    *,
    counts: npt.NDArray[np.int64],
    hidden: BoolArray,
    known: BoolArray,
    protect: BoolArray,
    free: BoolArray,
    proved: _Proved,
) -> set[int]:
    """Cells to hide next so that each recovering formula found now is broken.

    ``free`` cells count as seen (``_ZeroTotals``) but, unlike ``known``, only for this round.
    Targets in ``proved`` are not examined again (see ``_Proved``).
    """
    seen = known | free
    unknown = hidden & ~seen
    proved.keep_if_wider(unknown)
    targets = [t for t in np.flatnonzero(protect).tolist() if t not in proved.cells]
    formulas = recoverable(equations, unknown, targets)
    proved.cells.update(t for t in targets if unknown[t] and t not in formulas)
    chosen: set[int] = set()
    for target in sorted(formulas):
        released = [c for c in formulas[target] if not seen[c] and not hidden[c]]
        if not released:
            if not free[list(formulas[target])].any():
                known[target] = True  # fixed by known cells through hidden ones: not a secret
            continue
        if chosen.intersection(released):
            continue
        chosen.add(min(released, key=lambda c: _choice_key(cube, counts, c)))
    return chosen


class _Proved:
    """Cells the exact rule found free, not examined by it again while they stay so.

    A cell is free when some solution of the equations' homogeneous system over the unknown
    cells moves it. With more unknown cells (hiding only grows) that solution, with 0 for
    the new ones, is still a solution: the cell stays free. When a cell becomes seen (known,
    or a part of a total of 0 that is shown), that no longer holds, and the set is emptied.
    A completion cube at national scale proves a few thousand cells free each round, and
    its rounds add a handful of hidden cells each.
    """

    def __init__(self) -> None:
        self.cells: set[int] = set()
        self._unknown: BoolArray | None = None

    def keep_if_wider(self, unknown: BoolArray) -> None:
        """Empty the set unless ``unknown`` holds every cell unknown when it was last kept."""
        if self._unknown is not None and (self._unknown & ~unknown).any():
            self.cells.clear()
        self._unknown = unknown.copy()


def _interval_rule(
    cube: Cube,
    equations: Sequence[Equation],
    *,
    counts: npt.NDArray[np.int64],
    thresholds: npt.NDArray[np.int64],
    hidden: BoolArray,
    known: BoolArray,
    marked: BoolArray,
    protect: BoolArray,
    certified: set[int],
    zeros: BoolArray,
    fixed: BoolArray,
    of_cell: Sequence[Sequence[Equation]],
) -> tuple[set[int], set[int]]:
    """Cells to hide and marks to drop next, so that each pinned protected cell gets room.

    A hidden cell counting no one is a target too when it is in ``zeros`` (a published cell:
    a hidden '..' that can only be 0 says that nobody in the group ...). A ``fixed`` mark was
    published by an earlier release: it is never dropped.
    """
    targets = np.flatnonzero(protect & hidden & ~known & ((counts > 0) | zeros))
    stuck = pinned(
        equations,
        counts=counts,
        hidden=hidden & ~known,
        too_few=marked,
        thresholds=thresholds,
        targets=targets,
        certified=certified,
    )
    chosen: set[int] = set()
    unmark: set[int] = set()
    for target in stuck:
        if marked[target] and not fixed[target]:
            unmark.add(target)
            continue
        linked = {m for e in of_cell[target] for m in e.members}
        released = {m for m in linked if not hidden[m] and not known[m]}
        if not released:
            released = _nearest_released(of_cell, target, hidden, known)
        if released:
            if not chosen.intersection(released):
                chosen.add(min(released, key=lambda c: _choice_key(cube, counts, c)))
        else:
            unmark.update(m for m in linked if marked[m] and not fixed[m])
    return chosen, unmark


def _nearest_released(
    of_cell: Sequence[Sequence[Equation]], start: int, hidden: BoolArray, known: BoolArray
) -> set[int]:
    """The released cells one equation away from the hidden cells linked to ``start``."""
    seen, frontier = {start}, [start]
    while frontier:
        cell = frontier.pop()
        for equation in of_cell[cell]:
            released = {m for m in equation.members if not hidden[m] and not known[m]}
            if released:
                return released
            for m in equation.members:
                if m not in seen and hidden[m]:
                    seen.add(m)
                    frontier.append(m)
    return set()
