"""Which hidden cells can be computed exactly from the released ones, and how.

With the released and known cells as constants, the margin equations restricted to the hidden
cells form ``A x = b``. A hidden cell ``j`` is exactly recoverable iff every solution of
``A x = 0`` has ``x_j = 0``, i.e. iff the unit vector ``e_j`` lies in the row space of ``A``.
``A`` is block diagonal over the connected components of hidden cells (cells sharing an
equation), so each component is solved on its own by a pivoted QR decomposition.

The dense pivoted QR of a large component takes minutes (Skaraborg's completion cube of one
start year: components of 1,000-1,600 equations over 1,500-2,900 hidden cells, 20-54 s each
under load), and most targets are free. So each component is first screened: a hidden cell is
free iff some solution of ``A x = 0`` has ``x_j != 0``, and the projection of a random vector
onto the null space of ``A`` (a sparse least-squares solve) is such a solution, with ``x_j``
of the order of the cell's distance from the row space. Targets it proves free are dropped;
the QR runs only on components where a target is left, so its formulas (and the gate's
choices, which follow them) are exactly those of the QR alone. A component of one equation
needs no QR: its row space is the row itself, so a target is recoverable iff it is the
equation's only hidden cell (with a non-zero coefficient), by the equation over its sign
(``_one_equation``; a school-unit level's gender cube is tens of thousands of them, #22).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy.linalg import get_lapack_funcs, qr, solve_triangular
from scipy.sparse import csr_array
from scipy.sparse.linalg import lsmr

from likvard_core.disclosure.cube import Equation

TOLERANCE = 1e-8
"""Coefficients are small integers; anything below this is a rounding zero."""
SCREEN_FROM = 200
"""Components with fewer hidden cells go straight to the QR, which is quicker there than three
sparse solves (GR's equity release has 16,703 components, nearly all small)."""
LOCAL_FROM = 1_000
"""Components with this many hidden cells or more look for each target's formula among the
rows around it first (``_local_formulas``) before the QR of the whole component."""
LOCAL_SHARE = 0.5
"""A target's rows around it are given up on beyond this share of its component's rows (the
QR of more would cost about as much as the whole)."""
SCREEN_DRAWS = 3
"""Random null-space vectors per component in the screening."""
SCREEN_FREE = 1e-2
"""A target whose entry in a screening vector exceeds this is free. The vector is the
null-space projection of a standard normal draw, so its entry is normal with variance
``1 - P_jj`` (``P`` the projection onto the row space): exactly 0 for a recoverable cell, and
below this with odds of 1e-23 or less for any cell the QR calls recoverable (``P_jj > 1 -
1e-6``)."""
SCREEN_RESIDUAL = 1e-9
"""A screening vector is used only when ``|A x|`` is below this everywhere: a recoverable
cell's entry is then at most its formula's weights times this, far below ``SCREEN_FREE``."""

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
    if len(rows) == 1:
        return _one_equation(rows[0], hidden, targets)
    columns = sorted({m for e in rows for m in e.members if hidden[m]})
    if len(columns) < SCREEN_FROM:
        return _formulas(rows, hidden, targets)
    position = {cell: i for i, cell in enumerate(columns)}
    sparse = _matrix(rows, hidden, position)
    free = _screened_free(sparse, [position[t] for t in targets])
    targets = [t for t in targets if position[t] not in free]
    if not targets or len(columns) < LOCAL_FROM:
        return _formulas(rows, hidden, targets) if targets else {}
    found = _local_formulas(rows, hidden, targets)
    free = _solved_free(sparse, [position[t] for t in targets if t not in found])
    targets = [t for t in targets if t not in found and position[t] not in free]
    return found | _formulas(rows, hidden, targets) if targets else found


def _local_formulas(
    rows: Sequence[Equation], hidden: npt.NDArray[np.bool_], targets: Sequence[int]
) -> dict[int, Certificate]:
    """The ``targets`` recoverable through a part of ``rows`` around them, with its formula.

    A target's rows are those holding it, then those sharing a hidden cell with them, and so
    on, until the QR of those rows alone (every hidden cell they hold a column) puts the target
    in their row space, or they are more than ``LOCAL_SHARE`` of ``rows``. A formula over some
    of the rows is one over all of them, so a target found so is recoverable; one not found
    is left to the QR of the whole component (exactly what that QR alone would say of it, with
    perhaps another formula). Skaraborg's and GR's completion cubes at national scale have
    components of 5,000-6,000 equations over as many hidden cells, whose dense QR takes
    minutes, while a target's formula lies within a third of them. Each QR of a target's rows
    is asked for every target they hold.
    """
    of_cell: dict[int, list[int]] = {}
    for r, equation in enumerate(rows):
        for cell in dict.fromkeys(equation.members):
            if hidden[cell]:
                of_cell.setdefault(cell, []).append(r)
    limit = LOCAL_SHARE * len(rows)
    found: dict[int, Certificate] = {}
    for target in targets:
        near = set(of_cell.get(target, ()))
        cells = {target}
        while target not in found and near and len(near) <= limit:
            part = [rows[r] for r in sorted(near)]
            reached = {m for e in part for m in e.members if hidden[m]} - cells
            cells |= reached
            # every target the part holds, not only this one: one QR for all
            found.update(
                _formulas(part, hidden, [t for t in targets if t in cells and t not in found])
            )
            wider = near.union(*(of_cell[m] for m in reached))
            if len(wider) == len(near):
                break  # the whole component: its QR decides
            near = wider
    return found


def _matrix(
    rows: Sequence[Equation], hidden: npt.NDArray[np.bool_], position: dict[int, int]
) -> csr_array:
    """``rows`` over their hidden cells (columns by ``position``), coefficients +1 and -1."""
    entries = [
        (r, position[cell], sign)
        for r, equation in enumerate(rows)
        for cell, sign in _signed(equation)
        if hidden[cell]
    ]
    row_index, col_index, data = (np.array(v) for v in zip(*entries, strict=True))
    return csr_array((data, (row_index, col_index)), shape=(len(rows), len(position)))


def _formulas(
    rows: Sequence[Equation], hidden: npt.NDArray[np.bool_], targets: Sequence[int]
) -> dict[int, Certificate]:
    """The ``targets`` in the row space of ``rows``, each with its formula: by a pivoted QR."""
    columns = sorted({m for e in rows for m in e.members if hidden[m]})
    position = {cell: i for i, cell in enumerate(columns)}
    matrix = _matrix(rows, hidden, position).toarray()
    # Pivoted QR of the transpose: A^T[:, pivots] = Q R, so Q[:, :rank] spans the row space.
    # Q is left as its reflectors: only the targets' rows of it are needed (``_rows_of_q``).
    (reflectors, tau), r, pivots = qr(matrix.T, mode="raw", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int(np.count_nonzero(diagonal > TOLERANCE * max(1.0, float(diagonal.max(initial=0.0)))))
    basis = _rows_of_q(reflectors, tau, [position[t] for t in targets])[:, :rank]
    exposed_at = [i for i in range(len(targets)) if float(basis[i] @ basis[i]) > 1.0 - 1e-6]
    if not exposed_at:
        return {}
    exposed = [targets[i] for i in exposed_at]
    # e_j = A^T w with w zero outside the pivot rows: R[:rank, :rank] z = Q_r^T e_j.
    solved = solve_triangular(r[:rank, :rank], basis[exposed_at].T)
    weights = np.zeros((len(rows), len(exposed)))
    weights[pivots[:rank]] = solved
    return {t: _certificate(rows, weights[:, i], hidden) for i, t in enumerate(exposed)}


def _rows_of_q(
    reflectors: npt.NDArray[np.float64], tau: npt.NDArray[np.float64], rows: Sequence[int]
) -> npt.NDArray[np.float64]:
    """The ``rows`` of the economic ``Q`` of a QR given as LAPACK's reflectors (``qr``'s
    ``raw`` mode): ``Q^T e_j`` for each row ``j``, by applying the reflectors to unit vectors.

    Forming all of ``Q`` costs about as much as the pivoted QR itself (Skaraborg's completion
    cubes: components of 1,000-1,500 equations over 1,500-2,400 hidden cells), and the exact
    rule reads the rows of its targets only, a few dozen once the screening has run.
    """
    size, width = reflectors.shape[0], min(reflectors.shape)
    if not len(rows) or not width:
        return np.zeros((len(rows), width))
    units = np.zeros((size, len(rows)), order="F")
    units[list(rows), np.arange(len(rows))] = 1.0
    (ormqr,) = get_lapack_funcs(("ormqr",), (reflectors,))
    factors = np.asfortranarray(reflectors[:, :width])
    query = ormqr("L", "T", factors, tau[:width], units, lwork=-1)
    lwork = max(1, int(query[1][0].real))
    applied, _work, info = ormqr("L", "T", factors, tau[:width], units, lwork=lwork)
    if info != 0:
        raise np.linalg.LinAlgError(f"ormqr failed ({info})")
    return np.ascontiguousarray(applied[:width].T)


def _one_equation(
    equation: Equation, hidden: npt.NDArray[np.bool_], targets: Sequence[int]
) -> dict[int, Certificate]:
    """``_solve_component`` for one equation: ``e_j`` lies in the span of the row iff the row
    has no hidden cell but ``j`` (coefficients summed, zeros dropped); then the row over its
    coefficient is the formula."""
    coef: dict[int, float] = {}
    for cell, sign in _signed(equation):
        if hidden[cell]:
            coef[cell] = coef.get(cell, 0.0) + sign
    live = [c for c, a in coef.items() if abs(a) > TOLERANCE]
    if len(live) != 1 or live[0] not in targets:
        return {}
    target = live[0]
    return {target: _certificate([equation], np.array([1.0 / coef[target]]), hidden)}


def _screened_free(matrix: csr_array, targets: Sequence[int]) -> set[int]:
    """The ``targets`` (column positions) that random null-space vectors of ``matrix`` prove
    free (see ``SCREEN_FREE``); deterministic (the draws are seeded by the shape)."""
    rows, columns = matrix.shape
    rng = np.random.default_rng(rows * 1_000_003 + columns)
    transposed = matrix.T.tocsr()
    left = list(targets)
    free: set[int] = set()
    for _ in range(SCREEN_DRAWS):
        if not left:
            break
        draw = rng.standard_normal(columns)
        weights = lsmr(transposed, draw, atol=1e-14, btol=1e-14, maxiter=20 * columns)[0]
        vector = draw - transposed @ weights
        if float(np.abs(matrix @ vector).max(initial=0.0)) > SCREEN_RESIDUAL:
            continue  # not converged: this draw proves nothing
        proved = {t for t in left if abs(float(vector[t])) > SCREEN_FREE}
        free |= proved
        left = [t for t in left if t not in proved]
    return free


def _solved_free(matrix: csr_array, targets: Sequence[int]) -> set[int]:
    """The ``targets`` (column positions) proved free one by one: with ``w`` the least-squares
    solution of ``A^T w = e_j`` (sparse), ``x = e_j - A^T w`` is orthogonal to the row space,
    so a solution of ``A x = 0``, with ``x_j`` the squared distance of ``e_j`` from it; it
    proves ``j`` free as a screening vector does (``SCREEN_RESIDUAL``, ``SCREEN_FREE``).
    These are the targets the screening's draws missed, left over from the local formulas."""
    transposed = matrix.T.tocsr()
    free: set[int] = set()
    for target in targets:
        unit = np.zeros(matrix.shape[1])
        unit[target] = 1.0
        weights = lsmr(transposed, unit, atol=1e-14, btol=1e-14, maxiter=20 * matrix.shape[1])[0]
        vector = unit - transposed @ weights
        if float(np.abs(matrix @ vector).max(initial=0.0)) > SCREEN_RESIDUAL:
            continue  # not converged: proves nothing
        if abs(float(vector[target])) > SCREEN_FREE:
            free.add(target)
    return free


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
