"""The auditor's LPs give the same answers with the primal simplex as with HiGHS's default.

The primal simplex only changes how HiGHS walks from one objective's optimum to the next's;
every minimum and maximum must stay what the dual simplex finds (random programmes shaped
like the audit's: hidden counts under sums of shown totals, with too-few bounds and
remainders).
"""

from __future__ import annotations

import numpy as np
import pytest

from likvard_core.audit import lp
from likvard_core.audit.lp import System, intervals
from likvard_core.stats.linear import LinearProgram


def _world(seed: int) -> tuple[System, list[str]]:
    """Hidden cells of a few tables: row and column sums shown, some cells too few."""
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(3, 7), rng.integers(3, 7)
    counts = rng.integers(0, 30, size=(rows, cols))
    counts[rng.random(size=counts.shape) < 0.3] = rng.integers(1, 5)
    hidden = rng.random(size=counts.shape) < 0.4
    system = System()
    names = []
    for (i, j), is_hidden in np.ndenumerate(hidden):
        if is_hidden:
            small = 0 < counts[i, j] < 5  # the minimum group of the world
            names.append(system.unknown(f"c{i}.{j}", 1 if small else 0, 4 if small else np.inf))
    for axis in (0, 1):
        for k in range(counts.shape[1 - axis]):
            cells = [(k, j) for j in range(cols)] if axis == 1 else [(i, k) for i in range(rows)]
            coefs = {f"c{i}.{j}": 1.0 for i, j in cells if hidden[i, j]}
            shown = sum(int(counts[i, j]) for i, j in cells if not hidden[i, j])
            if rng.random() < 0.3:  # an incomplete total: a remainder of unknown students
                rest = system.unknown(f"r{axis}.{k}")
                coefs[rest] = 1.0
                total = sum(int(counts[i, j]) for i, j in cells) + int(rng.integers(0, 5))
            else:
                total = sum(int(counts[i, j]) for i, j in cells)
            system.add(coefs, total - shown, kind="total")
    return system, [str(n) for n in names]


def _dual(**kwargs: object) -> LinearProgram:
    """The programme as before: HiGHS's default (dual) simplex."""
    return LinearProgram(**{**kwargs, "primal": False})  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(25))
def test_primal_and_dual_simplex_bound_every_cell_alike(seed, monkeypatch):
    system, names = _world(seed)
    primal = intervals(system, names)
    monkeypatch.setattr(lp, "LinearProgram", _dual)
    dual = intervals(system, names)
    assert primal.keys() == dual.keys()
    for name in names:
        assert primal[name].low == pytest.approx(dual[name].low, abs=1e-6)
        assert primal[name].high == pytest.approx(dual[name].high, abs=1e-6)


@pytest.mark.parametrize("seed", range(25))
def test_the_screened_audit_pins_the_same_cells(seed, monkeypatch):
    system, names = _world(seed)
    primal = intervals(system, names, enough=1.0)
    monkeypatch.setattr(lp, "LinearProgram", _dual)
    dual = intervals(system, names, enough=1.0)
    narrow = {n for n in names if primal[n].width < 1.0}
    assert narrow == {n for n in names if dual[n].width < 1.0}
    for name in narrow:
        assert (primal[name].low, primal[name].high) == pytest.approx(
            (dual[name].low, dual[name].high), abs=1e-6
        )
