"""A release cube as cells and margin equations, the input of complementary suppression.

Every row of every aggregate in a cube is a *cell*: a count over the students matching its key.
A row's *signature* is its set of breakdown columns, without the margin columns it is a total
over (a null in a margin column marks a total, as DuckDB's ``GROUP BY CUBE``/``ROLLUP`` gives).
The same cell published twice is one cell, also across tables. For every pair of signatures
``C`` ⊂ ``F`` whose difference lies in the margin columns, each cell of ``C`` equals the sum of
the ``F`` cells that project onto it: one *equation* (kept only when no signature lies between
the two, since it then follows from the two shorter ones). Signatures met by two others but not
published themselves are added as unpublished (*virtual*) cells, so all linear ties between
published cells are explicit.

A release need not show every part of a total: a municipality beside some of its school units,
the nation beside one region's units. Where the parts of a cell add up to less than it, the
equation gets an unpublished *remainder* cell (the students in no shown part), hidden by nature
and protected like any other cell; where a part has no total, the total is added unpublished.
Parts that add up to more than their total are an error (``CubeError``): the figures disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from likvard_core.disclosure.aggregate import Aggregate

REST = "\x00rest"
"""The breakdown value of a remainder cell: the students of a total in none of its shown parts."""

Signature = tuple[str, ...]
Key = tuple[object, ...]
Known = Mapping[str, Collection[object]]
"""Cells the viewer already sees in full: a cell is known when one of its breakdown columns
named here has one of the listed values (e.g. ``{"organizer_code": {"2120001355"}}``)."""


class CubeError(ValueError):
    """The aggregates do not form a consistent cube (a margin is not the sum of its parts)."""


@dataclass(frozen=True, slots=True)
class Equation:
    """``total`` is the sum of ``summands`` (cell indices)."""

    total: int
    summands: tuple[int, ...]
    members: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """The total followed by its summands (kept: the rules read it millions of times)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", (self.total, *self.summands))


@dataclass(slots=True)
class Cube:
    """Cells (index-aligned lists), equations, and each aggregate's rows as cell indices."""

    signatures: list[Signature] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    published: list[bool] = field(default_factory=list)
    equations: list[Equation] = field(default_factory=list)
    rows: list[npt.NDArray[np.int64]] = field(default_factory=list)
    index: dict[tuple[Signature, Key], int] = field(default_factory=dict)
    remainders: set[int] = field(default_factory=set)
    """Cells added as the unshown rest of a total: they take part in that total's equation only."""
    by_signature: dict[Signature, list[int]] = field(default_factory=dict)
    """The indices of each signature's cells, in order (``cells_of``)."""

    def add(self, signature: Signature, key: Key, count: int, *, published: bool) -> int:
        """The index of the cell ``(signature, key)``, added if new; equal counts enforced."""
        found = self.index.get((signature, key))
        if found is not None:
            if self.counts[found] != count:
                raise CubeError(f"cell {_describe(signature, key)} appears with different counts")
            self.published[found] = self.published[found] or published
            return found
        self.index[(signature, key)] = len(self.counts)
        self.signatures.append(signature)
        self.keys.append(key)
        self.counts.append(count)
        self.published.append(published)
        self.by_signature.setdefault(signature, []).append(len(self.counts) - 1)
        return len(self.counts) - 1

    def cells_of(self, signature: Signature) -> list[int]:
        """Indices of the cells with ``signature``."""
        return list(self.by_signature.get(signature, ()))


def build_cube(aggregates: Sequence[Aggregate]) -> Cube:
    """The cells and margin equations of ``aggregates``; ``CubeError`` when not additive."""
    summable = frozenset(m for a in aggregates for m in a.margins)
    cube = Cube()
    for aggregate in aggregates:
        unknown = set(aggregate.margins) - set(aggregate.dims)
        if unknown:
            raise CubeError(f"margins {sorted(unknown)} are not breakdown columns")
        cube.rows.append(_add_rows(cube, aggregate))
    _add_virtual_signatures(cube, summable)
    signatures = sorted(set(cube.signatures), key=lambda s: (len(s), s))
    pairs = [
        (coarse, fine)
        for coarse, fine in combinations(signatures, 2)
        if _nested(coarse, fine, summable) and not _between(signatures, coarse, fine, summable)
    ]
    _add_missing_totals(cube, pairs)
    _settle_virtual_counts(cube, pairs)
    for coarse, fine in pairs:
        cube.equations.extend(_equations(cube, coarse, fine))
    return cube


def known_mask(cube: Cube, known: Known | None) -> npt.NDArray[np.bool_]:
    """True for the cells the viewer sees in full."""
    mask = np.zeros(len(cube.counts), dtype=bool)
    if not known:
        return mask
    for i, (signature, key) in enumerate(zip(cube.signatures, cube.keys, strict=True)):
        mask[i] = any(d in known and v in known[d] for d, v in zip(signature, key, strict=True))
    return mask


def _add_rows(cube: Cube, aggregate: Aggregate) -> npt.NDArray[np.int64]:
    table = aggregate.table
    if table.column(aggregate.count).null_count:
        raise CubeError(f"count column {aggregate.count!r} has empty values")
    counts = table.column(aggregate.count).to_pylist()
    columns = {d: table.column(d).to_pylist() for d in aggregate.dims}
    order = sorted(aggregate.dims)
    margins = set(aggregate.margins)
    cells = np.empty(table.num_rows, dtype=np.int64)
    for row in range(table.num_rows):
        present = [d for d in order if not (d in margins and columns[d][row] is None)]
        key = tuple(columns[d][row] for d in present)
        cells[row] = cube.add(tuple(present), key, int(counts[row]), published=True)
    return cells


def _add_virtual_signatures(cube: Cube, summable: frozenset[str]) -> None:
    """Add the meet of any two related signatures that no aggregate publishes."""
    signatures = set(cube.signatures)
    changed = True
    while changed:
        changed = False
        for first, second in combinations(sorted(signatures), 2):
            meet = tuple(d for d in first if d in second)
            if meet in signatures:
                continue
            if _nested(meet, first, summable) and _nested(meet, second, summable):
                for cell in cube.cells_of(first):
                    _add_projection(cube, meet, cell)
                signatures.add(meet)
                changed = True


def _add_missing_totals(cube: Cube, pairs: Sequence[tuple[Signature, Signature]]) -> None:
    """Add an unpublished total for every group of parts whose total no table shows."""
    changed = True
    while changed:
        changed = False
        for coarse, fine in pairs:
            for cell in cube.cells_of(fine):
                key = _project(fine, cube.keys[cell], coarse)
                if (coarse, key) not in cube.index:
                    cube.add(coarse, key, 0, published=False)
                    changed = True


def _settle_virtual_counts(cube: Cube, pairs: Sequence[tuple[Signature, Signature]]) -> None:
    """An unpublished total counts at least as many students as each set of its parts.

    Finest first, so a virtual total made of virtual parts sees their settled counts.
    """
    for coarse, fine in sorted(pairs, key=lambda pair: -len(pair[0])):
        sums: dict[Key, int] = {}
        for cell in cube.cells_of(fine):
            key = _project(fine, cube.keys[cell], coarse)
            sums[key] = sums.get(key, 0) + cube.counts[cell]
        for key, total in sums.items():
            cell = cube.index[(coarse, key)]
            if not cube.published[cell] and cube.counts[cell] < total:
                cube.counts[cell] = total


def _add_projection(cube: Cube, target: Signature, cell: int) -> None:
    key = _project(cube.signatures[cell], cube.keys[cell], target)
    found = cube.index.get((target, key))
    if found is None:
        cube.add(target, key, cube.counts[cell], published=False)
    else:
        cube.counts[found] += cube.counts[cell]


def _nested(coarse: Signature, fine: Signature, summable: frozenset[str]) -> bool:
    extra = set(fine) - set(coarse)
    return bool(extra) and set(coarse) <= set(fine) and extra <= summable


def _between(
    signatures: list[Signature], coarse: Signature, fine: Signature, summable: frozenset[str]
) -> bool:
    """True when a signature lies between the two: their equation follows from two others."""
    return any(
        _nested(coarse, middle, summable) and _nested(middle, fine, summable)
        for middle in signatures
    )


def _equations(cube: Cube, coarse: Signature, fine: Signature) -> list[Equation]:
    parts: dict[Key, list[int]] = {}
    for cell in cube.cells_of(fine):
        if cell not in cube.remainders:
            parts.setdefault(_project(fine, cube.keys[cell], coarse), []).append(cell)
    equations = []
    for cell in cube.cells_of(coarse):
        if cell in cube.remainders:
            continue
        summands = parts.pop(cube.keys[cell], [])
        rest = cube.counts[cell] - sum(cube.counts[s] for s in summands)
        if rest < 0:
            raise CubeError(
                f"cell {_describe(coarse, cube.keys[cell])} is not the sum of its "
                f"{'x'.join(fine)} rows: they count more"
            )
        if rest > 0 and summands:
            summands.append(_remainder(cube, coarse, fine, cell, rest))
        if summands:
            equations.append(Equation(cell, tuple(summands)))
    return equations


def _remainder(cube: Cube, coarse: Signature, fine: Signature, total: int, rest: int) -> int:
    """The unpublished cell of ``total``'s students in none of its shown ``fine`` parts."""
    values = dict(zip(coarse, cube.keys[total], strict=True))
    key = tuple(values.get(d, REST) for d in fine)
    cell = cube.add(fine, key, rest, published=False)
    cube.remainders.add(cell)
    return cell


def _project(signature: Signature, key: Key, target: Signature) -> Key:
    return tuple(key[i] for i in _positions(signature, target))


@cache
def _positions(signature: Signature, target: Signature) -> tuple[int, ...]:
    """Where each of ``target``'s columns stands in ``signature`` (``_project`` runs once per
    cell and pair of signatures: a million times for a region's equity release)."""
    return tuple(signature.index(d) for d in target)


def _describe(signature: Signature, key: Key) -> str:
    pairs = ", ".join(f"{d}={v}" for d, v in zip(signature, key, strict=True))
    return f"({pairs or 'total'})"
