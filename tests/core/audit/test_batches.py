"""Small components screened together in one programme pin exactly the cells they pinned alone.

The audit of a region's equity release has about a thousand components (one unit's subject
and year each); screening them side by side in one HiGHS programme replaces thousands of
solves by a few hundred. A cell it proves wide is wide; every other cell is still solved
exactly in its own component, so the narrow cells and their intervals must not change.
"""

from __future__ import annotations

import pytest

from likvard_core.audit import lp
from likvard_core.audit.lp import System, intervals
from tests.core.audit.test_primal import _world


def _many(seeds: range) -> tuple[System, list[str]]:
    """Several worlds in one system: unknowns renamed apart, so each is its own component."""
    system = System()
    names: list[str] = []
    for seed in seeds:
        world, asked = _world(seed)
        rename = {name: f"{seed}:{name}" for name in world.bounds}
        for name, (low, high) in world.bounds.items():
            system.unknown(rename[name], low, high)
        for constraint in world.constraints:
            coefs = {rename[k]: v for k, v in constraint.coefs.items()}
            system.add(coefs, constraint.rhs, equal=constraint.equal, kind=constraint.kind)
        names += [rename[n] for n in asked]
    return system, names


@pytest.mark.parametrize("batch", [10, 40, 1000])
def test_screening_components_together_pins_the_same_cells(batch, monkeypatch):
    system, names = _many(range(30))
    exact = intervals(system, names)
    monkeypatch.setattr(lp, "_BATCH", batch)
    screened = intervals(system, names, enough=1.0)
    narrow = {n for n in names if exact[n].width < 1.0}
    assert narrow  # the worlds have pinned cells
    assert narrow == {n for n in names if screened[n].width < 1.0}
    for name in names:
        if name in narrow:
            assert (screened[name].low, screened[name].high) == pytest.approx(
                (exact[name].low, exact[name].high), abs=1e-6
            )
        else:  # proven wide by feasible points: a range inside the true interval
            assert screened[name].low >= exact[name].low - 1e-6
            assert screened[name].high <= exact[name].high + 1e-6


def test_the_time_of_a_batch_is_shared_among_its_cells():
    system, names = _many(range(6))
    spent: dict[object, float] = {}
    intervals(system, names, enough=1.0, seconds=spent)
    assert set(spent) == set(names)
    assert all(seconds > 0 for seconds in spent.values())
