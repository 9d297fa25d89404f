"""Groups that split a total row (all = girls + boys + unknown): no hidden group is recoverable."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likvard_core.disclosure.aggregate import Aggregate, Level, Partitions, Population
from likvard_core.disclosure.cube import CubeError
from likvard_core.disclosure.suppress import suppress, suppress_cube

PARTS = (("girls", "boys"), ("born_abroad", "born_in_sweden"))
PARTITIONS = Partitions(column="group", total="all", parts=PARTS)
POPULATION = Population(scope="test", organizers=frozenset({"2120001256"}), level=Level.SCHOOL_UNIT)


def _aggregate(rows: list[tuple[str, str, int]], partitions: Partitions | None = PARTITIONS):
    table = pa.table(
        {
            "school_unit_code": [r[0] for r in rows],
            "group": [r[1] for r in rows],
            "n": pa.array([r[2] for r in rows], pa.int64()),
            "share_higher": pa.array([0.5] * len(rows), pa.float64()),
        }
    )
    return Aggregate(
        table=table,
        dims=("school_unit_code", "group"),
        count="n",
        values=("share_higher",),
        population=POPULATION,
        data_version="v1",
        partitions=partitions,
    )


def _shown(result) -> dict[tuple[str, str], int | None]:
    rows = result.table.to_pylist()
    return {(r["school_unit_code"], r["group"]): r["n"] for r in rows}


def recoverable(rows: list[tuple[str, str, int]], shown: dict[tuple[str, str], int | None]):
    """Hidden rows an attacker can compute exactly, knowing every remainder where parts exist."""
    hidden = [key for key, n in shown.items() if n is None]
    units = sorted({unit for unit, _g, _n in rows})
    present = {(u, g) for u, g, _n in rows}
    variables = list(hidden)
    equations: list[dict[int, float]] = []
    for unit in units:
        for parts in PARTS:
            members = [(unit, g) for g in parts if (unit, g) in present]
            if (unit, "all") not in present:
                continue
            equation: dict[int, float] = {}
            terms = [((unit, "all"), 1.0)] + [(m, -1.0) for m in members]
            if not members:  # the remainder is the total itself: an unknown of its own
                variables.append((unit, f"rest{parts}"))
                terms.append(((unit, f"rest{parts}"), -1.0))
            for key, sign in terms:
                if key in variables:
                    index = variables.index(key)
                    equation[index] = equation.get(index, 0.0) + sign
            if equation:
                equations.append(equation)
    if not hidden or not equations:
        return []
    matrix = np.zeros((len(equations), len(variables)))
    for row, equation in enumerate(equations):
        for index, value in equation.items():
            matrix[row, index] = value
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for index, key in enumerate(hidden):
        unit_vector = np.zeros(len(variables))
        unit_vector[index] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit_vector])) == rank:
            found.append(key)
    return found


def test_a_small_gender_hides_a_shown_cell_of_its_equation():
    rows = [("A", "all", 30), ("A", "girls", 3), ("A", "boys", 27)]
    shown = _shown(suppress(_aggregate(rows), min_group=10))
    assert shown[("A", "girls")] is None
    assert shown[("A", "boys")] is None or shown[("A", "all")] is None
    assert recoverable(rows, shown) == []


def test_without_partitions_all_minus_boys_gives_girls():
    # The old shape: "all" is a value and nothing ties it to the groups.
    rows = [("A", "all", 30), ("A", "girls", 3), ("A", "boys", 27)]
    shown = _shown(suppress(_aggregate(rows, partitions=None), min_group=10))
    assert shown[("A", "girls")] is None
    assert recoverable(rows, shown) == [("A", "girls")]  # the gap the partitions close


def test_an_unknown_remainder_does_not_protect_a_hidden_group():
    rows = [("A", "all", 40), ("A", "girls", 4), ("A", "boys", 34)]  # two of unknown gender
    shown = _shown(suppress(_aggregate(rows), min_group=10))
    assert shown[("A", "girls")] is None
    assert shown[("A", "boys")] is None or shown[("A", "all")] is None


def test_two_partitions_share_their_total():
    rows = [
        ("A", "all", 40),
        ("A", "girls", 20),
        ("A", "boys", 20),
        ("A", "born_abroad", 4),
        ("A", "born_in_sweden", 36),
    ]
    shown = _shown(suppress(_aggregate(rows), min_group=10))
    assert shown[("A", "born_abroad")] is None
    assert recoverable(rows, shown) == []


def test_a_small_total_without_groups_stays_hidden():
    rows = [("A", "all", 4), ("B", "all", 30), ("B", "girls", 15), ("B", "boys", 15)]
    shown = _shown(suppress(_aggregate(rows), min_group=10))
    assert shown[("A", "all")] is None
    assert shown[("B", "girls")] == 15


def test_parts_above_their_total_are_refused():
    rows = [("A", "all", 10), ("A", "girls", 8), ("A", "boys", 8)]
    with pytest.raises(CubeError):
        suppress(_aggregate(rows), min_group=10)


@st.composite
def _schools(draw) -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    for unit in ("A", "B", "C")[: draw(st.integers(1, 3))]:
        total = draw(st.integers(0, 45))
        rows.append((unit, "all", total))
        for parts in PARTS:
            if not draw(st.booleans()):
                continue  # no background recorded for anyone here
            left = total - draw(st.integers(0, min(3, total)))
            first = draw(st.integers(0, left))
            for group, n in zip(parts, (first, left - first), strict=True):
                if n or draw(st.booleans()):
                    rows.append((unit, group, n))
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_schools())
def test_no_hidden_group_is_recoverable(rows):
    shown = _shown(suppress(_aggregate(rows), min_group=10))
    for (unit, group), n in shown.items():
        original = next(c for u, g, c in rows if (u, g) == (unit, group))
        if 0 < original < 10:
            assert n is None, (unit, group)
    assert recoverable(rows, shown) == []


def test_every_equity_group_belongs_to_one_partition():
    from likvard_core.analytics.equity.groups import GROUP_PARTITIONS, GROUPS, group_partitions

    parts = [g for part in GROUP_PARTITIONS.parts for g in part]
    assert sorted(parts) == sorted(g for g in GROUPS if g != GROUP_PARTITIONS.total)
    with_total = pa.table({"group": ["all", "girls"]})
    assert group_partitions(with_total) is GROUP_PARTITIONS
    assert group_partitions(pa.table({"group": ["girls"]})) is None


def _yearly_and_pattern(yearly: dict[int, tuple[int, int, int]]):
    """Yearly rows (all, girls, boys) of one school and the pattern summing them over the years.

    The yearly table declares ``school_year`` a margin: the pattern table, which lacks the
    column, is then the total over the years, as the equity school page releases them.
    """
    rows = [
        (year, group, n)
        for year, counts in sorted(yearly.items())
        for group, n in zip(("all", "girls", "boys"), counts, strict=True)
    ]
    partitions = Partitions(column="group", total="all", parts=(("girls", "boys"),))
    years = Aggregate(
        table=pa.table(
            {
                "school_unit_code": ["A"] * len(rows),
                "school_year": [r[0] for r in rows],
                "group": [r[1] for r in rows],
                "n": pa.array([r[2] for r in rows], pa.int64()),
            }
        ),
        dims=("school_unit_code", "school_year", "group"),
        count="n",
        values=(),
        population=POPULATION,
        data_version="v1",
        margins=("school_year",),
        partitions=partitions,
    )
    totals = {g: sum(c[i] for c in yearly.values()) for i, g in enumerate(("all", "girls", "boys"))}
    pattern = Aggregate(
        table=pa.table(
            {
                "school_unit_code": ["A"] * 3,
                "group": list(totals),
                "n": pa.array(list(totals.values()), pa.int64()),
            }
        ),
        dims=("school_unit_code", "group"),
        count="n",
        values=(),
        population=POPULATION,
        data_version="v1",
        partitions=partitions,
    )
    return years, pattern


def test_a_pattern_released_with_its_years_does_not_give_away_a_hidden_year():
    # Issue 15, leak 2: boys n = 14, 12, 6, 15, 13 with a pattern n of 60. Released alone, the
    # yearly table hides 6 and the pattern shows 60, so 60 - 54 = 6. Released jointly, either
    # the pattern or a second year is hidden.
    yearly = {
        2021: (30, 16, 14),
        2022: (27, 15, 12),
        2023: (20, 14, 6),
        2024: (31, 16, 15),
        2025: (28, 15, 13),
    }
    years, pattern = _yearly_and_pattern(yearly)
    alone = suppress(years, min_group=10).table.to_pylist()
    boys_alone = [r["n"] for r in alone if r["group"] == "boys"]
    assert boys_alone.count(None) == 1  # the old shape: one hidden year beside a full pattern

    released_years, released_pattern = suppress_cube([years, pattern], min_group=10)
    rows = released_years.table.to_pylist()
    boys = [r["n"] for r in rows if r["group"] == "boys"]
    pattern_boys = next(r["n"] for r in released_pattern.table.to_pylist() if r["group"] == "boys")
    assert None in boys
    assert boys.count(None) >= 2 or pattern_boys is None
    # No hidden boys' year follows from the pattern minus the shown years.
    if pattern_boys is not None:
        assert boys.count(None) >= 2
