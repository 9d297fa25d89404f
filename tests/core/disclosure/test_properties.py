"""Property: after suppressing a full cube, no hidden cell is exactly recoverable.

Checked independently of the implementation's equation system: every published cell is a linear
function (an indicator vector) of the atomic cells; a hidden cell is recoverable iff its vector
lies in the row space of the released and known cells' vectors.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from likvard_core.disclosure.suppress import Thresholds, suppress_cube
from tests.core.disclosure.builders import aggregate

DIMS = ("d0", "d1", "d2")


@st.composite
def populations(draw):
    """Atomic counts over 2-3 dimensions of 2-4 levels, many of them small or zero."""
    rank = draw(st.integers(2, 3))
    sizes = draw(st.lists(st.integers(2, 4), min_size=rank, max_size=rank))
    if np.prod(sizes) > 36:
        sizes = [min(s, 3) for s in sizes]
    cells = list(itertools.product(*(range(s) for s in sizes)))
    small = st.integers(0, 12)
    counts = draw(
        st.lists(st.one_of(small, st.integers(0, 40)), min_size=len(cells), max_size=len(cells))
    )
    known_levels = draw(st.sets(st.integers(0, sizes[0] - 1), max_size=sizes[0] - 1))
    threshold = draw(st.integers(3, 10))
    raised = draw(st.booleans())
    return DIMS[:rank], cells, counts, known_levels, threshold, raised


def _cube(dims, cells, counts):
    """One aggregate per subset of dims (all marginals), every cell listed, zeros included."""
    cube, vectors = [], []
    for size in range(len(dims) + 1):
        for subset in itertools.combinations(range(len(dims)), size):
            sums: dict[tuple[int, ...], int] = {}
            members: dict[tuple[int, ...], np.ndarray] = {}
            for position, (cell, count) in enumerate(zip(cells, counts, strict=True)):
                key = tuple(cell[i] for i in subset)
                sums[key] = sums.get(key, 0) + count
                members.setdefault(key, np.zeros(len(cells)))[position] = 1.0
            keys = sorted(sums)
            columns = {dims[i]: [f"v{k[j]}" for k in keys] for j, i in enumerate(subset)}
            columns["n"] = [sums[k] for k in keys]
            names = tuple(dims[i] for i in subset)
            cube.append(aggregate(columns, dims=names, margins=names))
            vectors.append([members[k] for k in keys])
    return cube, vectors


def _in_row_space(rows: list[np.ndarray], vector: np.ndarray) -> bool:
    if not rows:
        return False
    base = np.vstack(rows)
    return np.linalg.matrix_rank(np.vstack([base, vector])) == np.linalg.matrix_rank(base)


@given(populations())
def test_no_hidden_cell_is_recoverable_from_released_and_known_cells(population):
    dims, cells, counts, known_levels, threshold, raised = population
    cube, vectors = _cube(dims, cells, counts)
    known = {"d0": {f"v{level}" for level in known_levels}}
    min_group = Thresholds(threshold, {"d1": threshold + 3}) if raised else threshold
    results = suppress_cube(cube, min_group=min_group, known=known)

    released: list[np.ndarray] = []
    hidden: list[np.ndarray] = []
    for result, table_vectors, source in zip(results, vectors, cube, strict=True):
        rows = result.table.to_pylist()
        limit = (threshold + 3) if raised and "d1" in source.dims else threshold
        for row, vector, true_count in zip(
            rows, table_vectors, source.table.column("n").to_pylist(), strict=True
        ):
            is_known = row.get("d0") in known["d0"]
            if row["status"] == "exists":
                assert row["n"] == true_count
                released.append(vector)
            else:
                assert row["n"] is None
                assert not is_known
                hidden.append(vector)
            if 0 < true_count < limit and not is_known:
                # Marked too few, or (where that mark would pin it with the other marks)
                # hidden for protection: either way hidden.
                assert row["status"] in {"too_few", "suppressed_complementary"}
            if row["status"] == "too_few":
                assert 0 < true_count < limit

    for vector in hidden:
        assert not _in_row_space(released, vector), "a hidden cell is recoverable"
