"""A large component's cells decided by the bounds its ties imply, then screened and solved:
the same verdicts as the plain minimum and maximum of every cell.

Completion's start years at national scale are one component of about 15,000 hidden cells;
a third of them are parts of a total shown as 0. The auditor propagates the ties' bounds
first (a cell whose implied bounds are narrower than the protection is narrow; a cell they
fix is put in), screens the rest with pushes that reuse every point, and solves what is left.
Whatever the path, each cell's verdict (narrower than the protection or not) must be the one
its exact interval gives.
"""

from __future__ import annotations

import numpy as np
import pytest

from likvard_core.audit import lp
from likvard_core.audit.lp import System, intervals


def _world(seed: int) -> tuple[System, list[str]]:
    """Counts of units x outcomes under organizers: row, column and organizer totals, each
    shown or hidden (a hidden total is an unknown of its own), some rows all 0, too-few
    bounds on small hidden counts and remainders in some totals."""
    rng = np.random.default_rng(seed)
    organizers, units, outcomes = int(rng.integers(2, 4)), int(rng.integers(3, 6)), 4
    counts = rng.integers(0, 12, size=(organizers, units, outcomes))
    counts[rng.random(size=(organizers, units)) < 0.25] = 0  # units with no one in a year
    counts[rng.random(size=counts.shape) < 0.3] = rng.integers(1, 5)
    system = System()
    names: list[str] = []

    def cell(name: str, value: int, hidden: bool) -> tuple[dict[str, float], float]:
        if not hidden:
            return {}, float(value)
        small = 0 < value < 5
        names.append(system.unknown(name, 1 if small else 0, 4 if small else np.inf))
        return {name: 1.0}, 0.0

    def tie(total: tuple[dict[str, float], float], parts: list[tuple[dict[str, float], float]]):
        coefs = dict(total[0])
        constant = total[1]
        for part_coefs, value in parts:
            for name, coef in part_coefs.items():
                coefs[name] = coefs.get(name, 0.0) - coef
            constant -= value
        if rng.random() < 0.2:  # students of the total in no part shown: a remainder
            coefs[system.unknown(f"r{len(system.constraints)}")] = -1.0
        system.add(coefs, -constant, kind="total")

    share = rng.uniform(0.3, 0.6)
    leaves = {
        (o, u, k): cell(f"c{o}.{u}.{k}", int(counts[o, u, k]), rng.random() < share)
        for o in range(organizers)
        for u in range(units)
        for k in range(outcomes)
    }
    for o in range(organizers):
        for u in range(units):  # a unit's n = its outcomes, each at most n
            n = cell(f"n{o}.{u}", int(counts[o, u].sum()), rng.random() < share)
            tie(n, [leaves[o, u, k] for k in range(4)])
            for part, value in (leaves[o, u, k] for k in range(4)):
                coefs = {**part, **{name: -coef for name, coef in n[0].items()}}
                system.add(coefs, n[1] - value, equal=False, kind="at most the count")
        for k in range(outcomes):  # an organizer's outcome = its units'
            total = int(counts[o, :, k].sum())
            tie(
                cell(f"o{o}.{k}", total, rng.random() < 0.3),
                [leaves[o, u, k] for u in range(units)],
            )
    for k in range(outcomes):  # the region's outcome = every unit's
        total = int(counts[:, :, k].sum())
        parts = [leaves[o, u, k] for o in range(organizers) for u in range(units)]
        tie(cell(f"g{k}", total, False), parts)
    return system, names


@pytest.mark.parametrize("pushes", [lp._PUSH_ROUNDS, 0])
@pytest.mark.parametrize("seed", range(40))
def test_the_presolved_path_gives_the_plain_verdicts(seed, pushes, monkeypatch):
    system, names = _world(seed)
    exact = intervals(system, names)  # the plain minimum and maximum of every cell
    monkeypatch.setattr(lp, "_LOCAL_FROM", 5)  # every world's component presolved
    monkeypatch.setattr(lp, "_PUSH_ROUNDS", pushes)  # 0: most targets left to their solves
    monkeypatch.setattr(lp, "_SCREEN_ROUNDS", 3 if pushes else 1)
    fast = intervals(system, names, enough=1.0)
    narrow = {n for n in names if exact[n].width < 1.0 - 1e-9}
    assert narrow == {n for n in names if fast[n].width < 1.0 - 1e-9}
    for name in names:
        if name in narrow:  # the implied interval holds the true one
            assert fast[name].low <= exact[name].low + 1e-6
            assert fast[name].high >= exact[name].high - 1e-6
        else:  # a range seen over feasible points lies inside it
            assert fast[name].low >= exact[name].low - 1e-6
            assert fast[name].high <= exact[name].high + 1e-6


def test_the_worlds_have_cells_of_every_kind():
    """The worlds exercise every step: cells their implied bounds fix, narrow cells only an
    LP pins (x + y = 5 and x - y = 1 pin both; propagating bounds does not) and wide ones."""
    fixed = solved = wide = 0
    for seed in range(40):
        system, names = _world(seed)
        exact = intervals(system, names)
        index = {name: i for i, name in enumerate(system.bounds)}
        lower, upper = lp._implied(system, index, system.constraints)
        for name in names:
            if upper[index[name]] - lower[index[name]] <= lp._FIXED:
                fixed += 1
            elif exact[name].width < 1.0:
                solved += 1
            else:
                wide += 1
    assert fixed > 100
    assert solved > 20
    assert wide > 200
