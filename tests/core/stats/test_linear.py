"""``LinearProgram`` gives ``linprog``'s answers, with the model built once."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_array
from scipy.sparse import random as sparse_random

from likvard_core.stats.linear import INFEASIBLE, OPTIMAL, UNBOUNDED, LinearProgram


@pytest.mark.parametrize("seed", range(6))
def test_every_objective_as_linprog_solves_it(seed):
    rng = np.random.default_rng(seed)
    columns = 30
    matrix = csr_array(
        sparse_random(18, columns, density=0.2, random_state=seed,
                      data_rvs=lambda k: rng.integers(-1, 2, k).astype(float))
    )  # fmt: skip
    bounds = [(1.0, 4.0) if i % 3 == 0 else (0.0, None) for i in range(columns)]
    point = np.array(
        [rng.integers(1, 5) if i % 3 == 0 else rng.integers(0, 6) for i in range(columns)]
    )
    rhs = matrix @ point.astype(float)
    program = LinearProgram(columns=columns, bounds=bounds, a_eq=matrix, b_eq=rhs)
    for column in range(columns):
        for sign in (1.0, -1.0):
            cost = np.zeros(columns)
            cost[column] = sign
            expected = linprog(cost, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
            got = program.solve(cost)
            assert got.status == expected.status
            if got.status == OPTIMAL:
                assert got.fun == pytest.approx(expected.fun, abs=1e-7)


def test_bounds_can_change_and_unbounded_and_infeasible_are_told():
    program = LinearProgram(
        columns=2, bounds=[(0.0, None), (0.0, None)],
        a_ub=csr_array(np.array([[1.0, -1.0]])), b_ub=np.array([1.0]),
    )  # fmt: skip
    assert program.solve(np.array([-1.0, 0.0])).status == UNBOUNDED
    capped = program.solve(np.array([-1.0, 0.0]), [(0.0, None), (0.0, 2.0)])
    assert (capped.status, capped.fun) == (OPTIMAL, pytest.approx(-3.0))
    assert program.solve(np.array([-1.0, 0.0]), [(5.0, None), (0.0, 2.0)]).status == INFEASIBLE
