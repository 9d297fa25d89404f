"""Which hidden cells can be computed exactly from the released ones, and how.

With the released and known cells as constants, the margin equations restricted to the hidden
cells form ``A x = b``. A hidden cell ``j`` is exactly recoverable iff every solution of
``A x = 0`` has ``x_j = 0``, i.e. iff the unit vector ``e_j`` lies in the row space of ``A``.
``A`` is block diagonal over the connected components of hidden cells (cells sharing an
equation), so each component is solved on its own by a pivoted QR decomposition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.linalg import qr, solve_triangular

from likvard_core.disclosure.cube import Equation

TOLERANCE = 1e-8
"""Coefficients are small integers; anything below this is a rounding zero."""

Certificate = dict[int, float]
"""A recovering formula: the value of a hidden cell as ``sum(coef * value[cell])`` over
non-hidden cells."""


def recoverable(
    equations: Sequence[Equation],
    hidden: npt.NDArray[np.bool_],
    targets: Iterable[int],
) -> dict[int, Certificate]:
    """The targets that are exactly recoverable, each with a formula over non-hidden cells.

    ``hidden`` marks the cells whose values the viewer lacks; every other cell counts as seen.
    Targets must be hidden. A target whose formula is empty is fixed by the equations alone.
    """
    wanted = sorted({t for t in targets if hidden[t]})
    if not wanted:
        return {}
    touching = _pruned([e for e in equations if any(hidden[m] for m in e.members)], hidden, wanted)
    component = hidden_components(touching, hidden, wanted)
    found: dict[int, Certificate] = {}
    by_component: dict[int, list[int]] = {}
    for target in wanted:
        by_component.setdefault(component[target], []).append(target)
    rows: dict[int, list[Equation]] = {}
    for equation in touching:
        rows.setdefault(component[_first_hidden(equation, hidden)], []).append(equation)
    for root, members in sorted(by_component.items()):
        found.update(_solve_component(rows.get(root, []), hidden, members))
    return found


def _pruned(
    equations: list[Equation], hidden: npt.NDArray[np.bool_], targets: Sequence[int]
) -> list[Equation]:
    """``equations`` without those that recover nothing: an equation holding a hidden cell
    that no other equation holds (and that is no target), beside other hidden cells.

    That cell can take any value, so every combination of equations that recovers a target
    gives the equation weight 0. Dropping it is exact, and splits the components: a count's
    equation with the unshown rest of its parts (``measures``) no longer ties each part's
    layer to the count's, so the pivoted QRs are of a layer each, not of them all.
    """
    wanted = set(targets)
    live = equations
    while True:
        uses: dict[int, int] = {}
        for equation in live:
            for cell in {m for m in equation.members if hidden[m]}:
                uses[cell] = uses.get(cell, 0) + 1
        kept = [e for e in live if not _has_free_cell(e, hidden, uses, wanted)]
        if len(kept) == len(live):
            return kept
        live = kept


def _has_free_cell(
    equation: Equation, hidden: npt.NDArray[np.bool_], uses: dict[int, int], wanted: set[int]
) -> bool:
    secret = {m for m in equation.members if hidden[m]}
    return len(secret) > 1 and any(uses[m] == 1 and m not in wanted for m in secret)


def hidden_components(
    equations: Sequence[Equation], hidden: npt.NDArray[np.bool_], wanted: Sequence[int]
) -> dict[int, int]:
    """Union-find over hidden cells linked by shared equations: cell -> component root.

    Every equation must have a hidden member; ``wanted`` cells are included even if alone.
    """
    parent: dict[int, int] = {t: t for t in wanted}

    def find(cell: int) -> int:
        parent.setdefault(cell, cell)
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for equation in equations:
        cells = [m for m in equation.members if hidden[m]]
        first = find(cells[0])
        for other in cells[1:]:
            root = find(other)
            if root != first:
                parent[max(root, first)] = min(root, first)
                first = min(root, first)
    return {cell: find(cell) for cell in list(parent)}


def _first_hidden(equation: Equation, hidden: npt.NDArray[np.bool_]) -> int:
    return next(m for m in equation.members if hidden[m])


def _solve_component(
    rows: Sequence[Equation], hidden: npt.NDArray[np.bool_], targets: Sequence[int]
) -> dict[int, Certificate]:
    if not rows:
        return {}
    columns = sorted({m for e in rows for m in e.members if hidden[m]})
    position = {cell: i for i, cell in enumerate(columns)}
    matrix = np.zeros((len(rows), len(columns)))
    for r, equation in enumerate(rows):
        for cell, sign in _signed(equation):
            if hidden[cell]:
                matrix[r, position[cell]] += sign
    # Pivoted QR of the transpose: A^T[:, pivots] = Q R, so Q[:, :rank] spans the row space.
    q, r, pivots = qr(matrix.T, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int(np.count_nonzero(diagonal > TOLERANCE * max(1.0, float(diagonal.max(initial=0.0)))))
    basis = q[:, :rank]
    exposed = [t for t in targets if float(basis[position[t]] @ basis[position[t]]) > 1.0 - 1e-6]
    if not exposed:
        return {}
    # e_j = A^T w with w zero outside the pivot rows: R[:rank, :rank] z = Q_r^T e_j.
    solved = solve_triangular(r[:rank, :rank], basis[[position[t] for t in exposed]].T)
    weights = np.zeros((len(rows), len(exposed)))
    weights[pivots[:rank]] = solved
    return {t: _certificate(rows, weights[:, i], hidden) for i, t in enumerate(exposed)}


def _certificate(
    rows: Sequence[Equation], weights: npt.NDArray[np.float64], hidden: npt.NDArray[np.bool_]
) -> Certificate:
    """Combine the equations by ``weights``: hidden cell = -sum of the seen cells' terms."""
    terms: dict[int, float] = {}
    for weight, equation in zip(weights, rows, strict=True):
        if abs(weight) <= TOLERANCE:
            continue
        for cell, sign in _signed(equation):
            if not hidden[cell]:
                terms[cell] = terms.get(cell, 0.0) - weight * sign
    return {cell: coef for cell, coef in sorted(terms.items()) if abs(coef) > TOLERANCE}


def _signed(equation: Equation) -> list[tuple[int, float]]:
    return [(equation.total, 1.0), *((s, -1.0) for s in equation.summands)]
