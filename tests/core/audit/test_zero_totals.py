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


def _organizers(*, complete: bool) -> list[ReleasedTable]:
    """A start year's starters per organizer and programme group, with who moved programme.

    Nobody on a national programme moved (the region's national row shows 0); A's 9 movers
    are all on introduction programmes. C (3 starters) is too few, B (300) hidden beside it.
    """
    groups = ("all", "national")  # B and C have no introduction starters
    rows = [
        {"organizer": None, "group": "all", "n": 563, "moved": 9},
        {"organizer": None, "group": "national", "n": 543, "moved": 0},
        {"organizer": None, "group": "introduction", "n": 20, "moved": 9},
        {"organizer": "A", "group": "all", "n": 260, "moved": 9},
        {"organizer": "A", "group": "national", "n": 240, "moved": 0},
        {"organizer": "A", "group": "introduction", "n": 20, "moved": 9},
        *({"organizer": o, "group": g, "n": None, "moved": None} for o in "BC" for g in groups),
    ]
    for row in rows:
        hidden = {"B": "suppressed_complementary", "C": "too_few"}.get(str(row["organizer"]))
        row["status"] = hidden or "exists"
    split = Total("all", complete=complete, partitions=(("national", "introduction"),))
    return [
        ReleasedTable(
            analysis="completion",
            name="organizer",
            family="completion",
            dims=("organizer", "group"),
            counts=("n", "moved"),
            rows=rows,
            min_group=5,
            totals={"group": split, "organizer": Total(None, complete=True)},
        )
    ]


def test_a_hidden_total_of_zero_parts_is_no_exposed_cell():
    # B's and C's movers: all = national (no introduction row, the groups are complete),
    # and national is 0 under the region's national 0. So all is 0 too: pinned, but it says
    # of their starters what the shown zero says of every national starter.
    result = audit(_organizers(complete=True))
    assert result.exposed == 0
    assert result.zeros_of_totals == 4  # B's and C's national and all movers


def test_a_hidden_total_of_zero_parts_with_a_rest_is_still_exposed():
    # Without complete groups all may hold movers outside the groups: B's and C's 0 come
    # from subtracting A's shown movers from the region's, and say more than any zero.
    result = audit(_organizers(complete=False))
    assert [(f.measure, dict(f.key)) for f in result.findings] == [
        ("moved", {"organizer": "B"}),
        ("moved", {"organizer": "C"}),
    ]
