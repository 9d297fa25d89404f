"""A hidden cell pinned to 0 by a total shown as 0 is kept apart from the exposed cells."""

import dataclasses

from likvard_core.audit.audit import audit
from likvard_core.audit.model import ReleasedTable, Total


def _groups(girls_status: str, girls_lower: int | None, boys_lower: int | None):
    """One unit's year: everyone (16, nobody graded lower) and the genders, girls hidden."""
    base = {"school_unit_code": "1", "school_year": 2025}
    rows = [
        {**base, "group": "all", "n": 16, "n_lower": 0, "status": "exists"},
        {**base, "group": "girls", "n": None, "n_lower": girls_lower, "status": girls_status},
        {**base, "group": "boys", "n": 9, "n_lower": boys_lower, "status": "exists"},
    ]
    return ReleasedTable(
        analysis="equity",
        name="yearly",
        family="equity",
        dims=("school_unit_code", "school_year", "group"),
        counts=("n", "n_lower"),
        rows=rows,
        min_group=10,
        totals={"group": Total("all", partitions=(("girls", "boys"),))},
    )


def test_a_zero_total_pins_its_hidden_parts_without_exposing_them():
    result = audit([_groups("too_few", None, 0)])
    assert result.exposed == 0
    assert result.zeros_of_totals == 1


def test_a_part_pinned_by_subtraction_is_still_exposed():
    table = dataclasses.replace(
        _groups("too_few", None, 0),
        totals={"group": Total("all", complete=True, partitions=(("girls", "boys"),))},
    )
    result = audit([table])
    # girls' n is 16 - 9 = 7 (exposed); their n_lower is 0 because everyone's is (not exposed)
    assert [f.measure for f in result.findings] == ["n"]
    assert result.zeros_of_totals == 1
