"""Leak 3 of issue #15: no comparison rate that gives back a stratum's totals; Skolverket's ~100."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.equity.comparison import (
    comparison_step,
    rounded_shares,
    with_outcome_marks,
)
from likvard_core.analytics.equity.kept import kept_units_slice
from likvard_core.warehouse.derived import Filter, derived_table
from tests.core.analytics.population import SchoolSpec, grade_tables

SCHOOLS = [SchoolSpec(f"5000000{i}", 30 + 20 * i) for i in range(8)]


def _keep(root: Path) -> Callable[..., pa.Table]:
    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        return derived_table(root, "cafe0123", name, params, compute, filters=filters)

    return keep


def _slice(make_snapshot, tmp_path, tables, units):
    return kept_units_slice(
        keep=_keep(tmp_path),
        open_snapshot=lambda: make_snapshot(tables),
        school_units=units,
        grade_year=9,
        data_version="test",
        reference_label="regionen",
        min_group=10,
    )


def _recovered_totals(rows: list[dict[str, object]]) -> tuple[float, float] | None:
    """The attack: each row's rest rate r_i = (H - h_i) / (T - n_i); two rows give H and T."""
    (a, b) = rows[:2]
    ra, rb = a["reference_share_higher"], b["reference_share_higher"]
    matrix = np.array([[1.0, -ra], [1.0, -rb]])
    rhs = np.array([a["n_higher"] - ra * a["n"], b["n_higher"] - rb * b["n"]])
    if abs(np.linalg.det(matrix)) < 1e-12:
        return None
    hits, total = np.linalg.solve(matrix, rhs)
    return float(hits), float(total)


def test_two_rows_of_a_stratum_no_longer_give_its_totals(make_snapshot, tmp_path):
    tables = grade_tables(SCHOOLS, [2025], ["MA"], seed=3)
    units = [SCHOOLS[0].code, SCHOOLS[1].code]
    released = _slice(make_snapshot, tmp_path, tables, units).yearly.table
    names = set(released.schema.names)
    assert not {"reference_share_higher", "reference_share_lower"} & names
    assert not {"p_higher", "q_higher", "p_lower", "q_lower"} & names
    everyone = released.filter(pc.equal(released["group"], "all")).to_pylist()
    # one comparison value per stratum, the same beside every row, on a 1 or 5 point step
    values = {row["comparison_share_higher"] for row in everyone}
    assert len(values) == 1
    (value,) = values
    assert value is None or round(value * 100) == value * 100 or round(value * 20) == value * 20


def test_the_old_shape_gave_the_totals_away(make_snapshot):
    """The leak itself, on the full-precision rest rates the page used to release."""
    from likvard_core.analytics.equity import grade_vs_test_by_school, with_deviation_flags

    tables = grade_tables(SCHOOLS, [2025], ["MA"], seed=3)
    with make_snapshot(tables) as db:
        flagged = with_deviation_flags(grade_vs_test_by_school(db, by_gender=False))
    rows = flagged.table.to_pylist()
    hits, total = _recovered_totals(rows)
    assert round(total) == sum(int(r["n"]) for r in rows)
    assert round(hits) == sum(int(r["n_higher"]) for r in rows)


def test_the_rounding_step_hides_a_minimum_group_either_way():
    steps = comparison_step(np.array([100.0, 399.0, 400.0, 1999.0, 2000.0, 50000.0]), min_group=10)
    np.testing.assert_array_equal(steps[2:], [0.05, 0.05, 0.01, 0.01])
    assert np.isnan(steps[:2]).all()
    shares = rounded_shares(np.array([123.0, 37.0]), np.array([2500.0, 300.0]), min_group=10)
    assert shares[0] == 0.05  # 4.92 % to the whole percent
    assert np.isnan(shares[1])


def test_a_share_about_nearly_every_student_is_marked_like_skolverkets_100():
    table = pa.table(
        {
            "n": [40, 40, 40],
            "n_lower": [0, 2, 10],
            "n_same": [2, 20, 10],
            "n_higher": [38, 18, 20],
            "share_lower": [0.0, 0.05, 0.25],
            "share_same": [0.05, 0.5, 0.25],
            "share_higher": [0.95, 0.45, 0.5],
            "share_higher_ci_low": [0.8, 0.3, 0.35],
            "share_higher_ci_high": [0.99, 0.6, 0.65],
            "mean_step_difference": [0.95, 0.4, 0.25],
        }
    )
    marked = with_outcome_marks(table).to_pylist()
    assert marked[0]["shares_rounded"] is True
    assert (marked[0]["share_higher"], marked[0]["share_same"], marked[0]["share_lower"]) == (
        1.0,
        0.0,
        0.0,
    )
    # the counts stay for the gate, which releases them empty (Aggregate.withheld, ADR 0003)
    assert (marked[0]["n_higher"], marked[0]["n_same"]) == (38, 2)
    assert marked[0]["share_higher_ci_low"] is None
    assert marked[0]["mean_step_difference"] is None
    assert marked[0]["n"] == 40
    assert marked[1]["shares_rounded"] is False
    assert marked[1]["n_lower"] == 2
    assert marked[2] == {**table.to_pylist()[2], "shares_rounded": False}


def test_a_tiny_group_has_one_outcome_at_100_and_the_others_at_0():
    table = pa.table(
        {
            "n": [4],
            "n_lower": [1],
            "n_same": [2],
            "n_higher": [1],
            "share_lower": [0.25],
            "share_same": [0.5],
            "share_higher": [0.25],
            "mean_step_difference": [0.0],
        }
    )
    [row] = with_outcome_marks(table).to_pylist()
    assert (row["share_lower"], row["share_same"], row["share_higher"]) == (0.0, 1.0, 0.0)
