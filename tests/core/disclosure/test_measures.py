"""Value columns that count parts of a row (n_lower, n_same, n_higher) are cells of the cube.

Issue #15: the equity yearly rows were suppressed on ``n`` alone, so a hidden row's
``n_higher`` could be worked out from the shown rows beside it: with ``all`` showing 0 graded
higher, a hidden boys' row can only have 0 too; with girls and ``all`` shown, boys' lower and
same follow from the shown parts. The auditor (``likvard_core.audit``, its own ties) checks the
gate's result on a region of units × years × gender in the equity yearly shape.
"""

from __future__ import annotations

import dataclasses
import random

import pyarrow as pa
import pytest

from likvard_core.audit.audit import audit
from likvard_core.audit.model import ReleasedTable, Total
from likvard_core.disclosure.aggregate import Aggregate, Level, Partitions, Population
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress_cube

DIMS = ("school_unit_code", "subject_code", "school_year", "group")
PARTS = ("n_lower", "n_same", "n_higher")
POPULATION = Population("region:test", frozenset({"1"}), Level.REGION)


def _rows(seed: int) -> list[dict[str, object]]:
    """Units × years × (girls, boys, all); small boys' groups and many zero ``n_higher``."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for unit in ("U1", "U2", "U3"):
        for year in (2023, 2024, 2025):
            groups = {}
            for group, size in (("girls", rng.randint(8, 30)), ("boys", rng.randint(1, 14))):
                higher = 0 if rng.random() < 0.6 else rng.randint(0, size // 3)
                lower = rng.randint(0, size - higher)
                groups[group] = (size, lower, size - higher - lower, higher)
            groups["all"] = tuple(
                a + b for a, b in zip(groups["girls"], groups["boys"], strict=True)
            )
            for group, (n, lower, same, higher) in groups.items():
                rows.append(
                    {
                        "school_unit_code": unit,
                        "subject_code": "MA",
                        "school_year": year,
                        "group": group,
                        "n": n,
                        "n_lower": lower,
                        "n_same": same,
                        "n_higher": higher,
                    }
                )
    return rows


def _aggregate(rows: list[dict[str, object]], *, parts: tuple[str, ...]) -> Aggregate:
    return Aggregate(
        pa.Table.from_pylist(rows),
        dims=DIMS,
        count="n",
        values=PARTS,
        population=POPULATION,
        data_version="v1",
        partitions=Partitions("group", "all", (("girls", "boys"),)),
        parts=parts,
    )


def _audited(aggregate: Aggregate, *, zeros_of_totals: bool = False) -> int:
    """Exposed cells the auditor finds, with ties of its own (not the gate's); with
    ``zeros_of_totals`` also the hidden parts pinned to 0 by a total shown as 0."""
    (released,) = suppress_cube([aggregate], min_group=SKOLVERKET_THRESHOLDS)
    table = ReleasedTable(
        analysis="equity",
        name="yearly",
        family="equity.9",
        dims=DIMS,
        counts=("n", *PARTS),
        rows=released.table.to_pylist(),
        min_group=5,
        min_group_where={"school_unit_code": 10},
        totals={"group": Total("all", partitions=(("girls", "boys"),))},
        parts={"n": PARTS},
    )
    result = audit([table])
    return result.exposed + (result.zeros_of_totals if zeros_of_totals else 0)


@pytest.mark.parametrize("seed", range(6))
def test_parts_as_cells_leave_no_hidden_part_recoverable(seed: int) -> None:
    assert _audited(_aggregate(_rows(seed), parts=PARTS)) == 0


def test_the_count_alone_exposes_the_parts_of_a_hidden_row() -> None:
    # The old shape, parts no cells of the cube: hidden parts are pinned, at least to the 0 of
    # a total shown as 0 (which the auditor reports apart from exposed cells since #15).
    found = [_audited(_aggregate(_rows(s), parts=()), zeros_of_totals=True) for s in range(6)]
    assert sum(found) > 0


def test_a_row_is_hidden_whole() -> None:
    rows = _rows(3)
    (released,) = suppress_cube([_aggregate(rows, parts=PARTS)], min_group=SKOLVERKET_THRESHOLDS)
    for row in released.table.to_pylist():
        if row["status"] != "exists":
            assert all(row[c] is None for c in ("n", *PARTS))
        else:
            assert row["n"] == row["n_lower"] + row["n_same"] + row["n_higher"]


def test_parts_must_be_value_columns() -> None:
    aggregate = _aggregate(_rows(0), parts=PARTS)
    with pytest.raises(ValueError, match="not value columns"):
        dataclasses.replace(aggregate, parts=("n_other",))


def test_a_total_without_its_parts_keeps_the_groups_parts_in_their_rows() -> None:
    rows = _rows(1)
    for row in rows:  # 'all' shown as ~100 (its counts of outcomes nulled), girls not
        if row["group"] == "all" and row["school_year"] == 2024:
            row.update(n_lower=None, n_same=None, n_higher=None)
    assert _audited(_aggregate(rows, parts=PARTS)) == 0


def test_groups_without_parts_beside_a_total_with_parts() -> None:
    rows = _rows(2)
    for row in rows:  # girls and boys shown as ~100, 'all' not: the total's parts stand alone
        if row["group"] != "all" and row["school_year"] == 2025:
            row.update(n_lower=None, n_same=None, n_higher=None)
        if row["group"] == "boys" and row["school_year"] == 2024:
            row.update(n_lower=None, n_same=None, n_higher=None)
    assert _audited(_aggregate(rows, parts=PARTS)) == 0
