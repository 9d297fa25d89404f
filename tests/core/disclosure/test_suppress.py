"""Primary and complementary suppression on small, hand-checked cubes."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.disclosure.suppress import (
    SKOLVERKET_THRESHOLDS,
    CubeError,
    Thresholds,
    suppress,
    suppress_cube,
)
from tests.core.disclosure.builders import aggregate

EXISTS, TOO_FEW, COMPLEMENTARY = "exists", "too_few", "suppressed_complementary"


def _school_cube(girls: int, boys: int, *, other=(20, 20)) -> list[Aggregate]:
    schools = aggregate(
        {"school_unit_code": ["A", "B"], "n": [girls + boys, sum(other)]},
        dims=("school_unit_code",),
    )
    by_gender = aggregate(
        {
            "school_unit_code": ["A", "A", "B", "B"],
            "gender": ["F", "M", "F", "M"],
            "n": [girls, boys, *other],
            "share_passed": [0.9, 0.8, 0.7, 0.6],
        },
        dims=("school_unit_code", "gender"),
        margins=("gender",),
        values=("share_passed",),
    )
    return [schools, by_gender]


def _rows(result):
    return result.table.to_pylist()


def test_classic_total_minus_girls_case_hides_girls_too():
    schools, by_gender = suppress_cube(_school_cube(18, 5), min_group=10)

    assert [r["status"] for r in _rows(by_gender)] == [COMPLEMENTARY, TOO_FEW, EXISTS, EXISTS]
    assert [r["n"] for r in _rows(by_gender)] == [None, None, 20, 20]
    assert [r["share_passed"] for r in _rows(by_gender)] == [None, None, 0.7, 0.6]
    assert [r["n"] for r in _rows(schools)] == [23, 40]
    assert by_gender.hidden_rows == 2
    assert schools.hidden_rows == 0


def test_zero_is_shown_and_then_the_total_protects_the_small_cell():
    schools, by_gender = suppress_cube(_school_cube(3, 0), min_group=10)

    assert [r["status"] for r in _rows(by_gender)][:2] == [TOO_FEW, EXISTS]
    assert _rows(by_gender)[1]["n"] == 0
    assert _rows(schools)[0] == {"school_unit_code": "A", "n": None, "status": TOO_FEW}


def test_grand_total_forces_a_second_school_to_hide():
    cube = [
        *_school_cube(18, 5),
        aggregate({"n": [63]}, dims=()),
        aggregate({"gender": ["F", "M"], "n": [38, 25]}, dims=("gender",), margins=()),
    ]
    cube[0] = aggregate(
        {"school_unit_code": ["A", "B"], "n": [23, 40]},
        dims=("school_unit_code",),
        margins=("school_unit_code",),
    )
    cube[1] = aggregate(
        cube[1].table.drop_columns(["share_passed"]).to_pydict(),
        dims=("school_unit_code", "gender"),
        margins=("gender", "school_unit_code"),
    )
    results = suppress_cube(cube, min_group=10)
    by_gender = _rows(results[1])

    hidden = [r for r in by_gender if r["n"] is None]
    assert {(r["school_unit_code"], r["gender"]) for r in hidden} == {
        ("A", "F"),
        ("A", "M"),
        ("B", "F"),
        ("B", "M"),
    }
    assert all(r["status"] == EXISTS for r in _rows(results[2]) + _rows(results[3]))


def test_thresholds_depend_on_the_level_of_the_cell():
    organizers = aggregate({"organizer_code": ["X", "Y"], "n": [7, 30]}, dims=("organizer_code",))
    schools = aggregate(
        {"school_unit_code": ["S1", "S2"], "n": [7, 30]}, dims=("school_unit_code",)
    )
    org_result, school_result = (
        suppress_cube({"org": organizers}, min_group=SKOLVERKET_THRESHOLDS)["org"],
        suppress(schools, min_group=SKOLVERKET_THRESHOLDS),
    )

    assert [r["status"] for r in _rows(org_result)] == [EXISTS, EXISTS]
    assert [r["status"] for r in _rows(school_result)] == [TOO_FEW, EXISTS]
    assert SKOLVERKET_THRESHOLDS.for_columns(("school_unit_code", "gender")) == 10
    assert Thresholds(5).for_columns(("school_unit_code",)) == 5


def test_known_cells_are_shown_and_count_as_released():
    # Organizer X owns school A: the viewer sees A in full, so A's boys=5 is shown, and
    # nothing else needs hiding because of it.
    cube = [
        aggregate(
            {
                "organizer_code": ["X", "X", "Y", "Y"],
                "school_unit_code": ["A", "A", "B", "B"],
                "gender": ["F", "M", "F", "M"],
                "n": [18, 5, 20, 4],
            },
            dims=("organizer_code", "school_unit_code", "gender"),
            margins=("gender",),
        ),
        aggregate(
            {"organizer_code": ["X", "Y"], "school_unit_code": ["A", "B"], "n": [23, 24]},
            dims=("organizer_code", "school_unit_code"),
        ),
    ]
    unknown_viewer = suppress_cube(cube, min_group=10)
    own_viewer = suppress_cube(cube, min_group=10, known={"organizer_code": {"X"}})

    assert [r["n"] for r in _rows(unknown_viewer[0])] == [None, None, None, None]
    assert [r["n"] for r in _rows(own_viewer[0])] == [18, 5, None, None]
    assert [r["status"] for r in _rows(own_viewer[0])][2:] == [COMPLEMENTARY, TOO_FEW]


def test_known_cells_stop_a_total_minus_own_figures_leak():
    # Viewer knows organizer X's school. Total 40 minus own 25 would reveal Y's school (15)
    # unless Y's small gender cell and its complement are hidden consistently with the total.
    cube = [
        aggregate({"n": [40]}, dims=()),
        aggregate(
            {"school_unit_code": ["A", "B"], "n": [25, 15]},
            dims=("school_unit_code",),
            margins=("school_unit_code",),
        ),
        aggregate(
            {
                "school_unit_code": ["A", "A", "B", "B"],
                "gender": ["F", "M", "F", "M"],
                "n": [12, 13, 11, 4],
            },
            dims=("school_unit_code", "gender"),
            margins=("school_unit_code", "gender"),
        ),
    ]
    _, schools, by_gender = suppress_cube(cube, min_group=10, known={"school_unit_code": {"A"}})
    assert [r["n"] for r in _rows(by_gender)] == [12, 13, None, None]
    assert [r["n"] for r in _rows(schools)] == [25, 15]


def test_one_aggregate_with_null_margins_is_a_cube():
    rollup = aggregate(
        {"school_unit_code": ["A", "A", "A"], "gender": ["F", "M", None], "n": [18, 5, 23]},
        dims=("school_unit_code", "gender"),
        margins=("gender",),
    )
    result = suppress(rollup, min_group=10)
    assert [r["status"] for r in _rows(result)] == [COMPLEMENTARY, TOO_FEW, EXISTS]


def test_result_is_deterministic_and_keeps_row_order():
    first = suppress_cube(_school_cube(18, 5, other=(9, 30)), min_group=10)
    second = suppress_cube(_school_cube(18, 5, other=(9, 30)), min_group=10)
    assert [r.table for r in first] == [r.table for r in second]
    assert _rows(first[1])[2]["status"] == TOO_FEW


def test_inconsistent_or_mixed_cubes_are_refused():
    bad_sum = _school_cube(18, 5)
    bad_sum[0] = aggregate(
        {"school_unit_code": ["A", "B"], "n": [22, 40]}, dims=("school_unit_code",)
    )
    with pytest.raises(CubeError, match="count more"):
        suppress_cube(bad_sum, min_group=10)

    other_version = _school_cube(18, 5)
    other = other_version[0]
    other_version[0] = Aggregate(
        other.table,
        dims=other.dims,
        count="n",
        values=(),
        population=other.population,
        data_version="v2",
    )
    with pytest.raises(CubeError, match="data version"):
        suppress_cube(other_version, min_group=10)

    with pytest.raises(CubeError, match="status"):
        suppress(aggregate({"status": ["x"], "n": [3]}, dims=("status",)), min_group=10)

    duplicated = aggregate({"g": ["F", "F"], "n": [3, 4]}, dims=("g",))
    with pytest.raises(CubeError, match="different counts"):
        suppress(duplicated, min_group=10)


def test_a_total_above_its_shown_parts_keeps_its_remainder_hidden():
    # 30 students, 18 girls and 5 boys shown: the other 7 (gender unknown) are a remainder no
    # table shows, so total - girls leaves boys + unknown = 12, which fixes neither.
    cube = _school_cube(18, 5)
    cube[0] = aggregate({"school_unit_code": ["A", "B"], "n": [30, 40]}, dims=("school_unit_code",))
    schools, by_gender = suppress_cube(cube, min_group=10)
    assert [r["status"] for r in _rows(by_gender)] == [EXISTS, TOO_FEW, EXISTS, EXISTS]
    assert [r["n"] for r in _rows(schools)] == [30, 40]


def test_a_small_remainder_is_protected_like_a_shown_cell():
    # 25 students, 18 girls and 0 boys shown: total - girls = 7 students of unknown gender.
    cube = _school_cube(18, 0)
    cube[0] = aggregate({"school_unit_code": ["A", "B"], "n": [25, 40]}, dims=("school_unit_code",))
    schools, by_gender = suppress_cube(cube, min_group=10)
    shown_total = _rows(schools)[0]["n"]
    shown_girls = _rows(by_gender)[0]["n"]
    assert shown_total is None or shown_girls is None


def test_parts_without_a_shown_total_get_an_unshown_one():
    # Unit rows of two municipalities, a total for only one: the other's total is unpublished.
    units = aggregate(
        {
            "municipality_code": ["1384", "1384", "1481"],
            "school_unit_code": ["A", "B", "C"],
            "n": [40, 4, 30],
        },
        dims=("municipality_code", "school_unit_code"),
        margins=("school_unit_code",),
    )
    municipalities = aggregate(
        {"municipality_code": ["1384"], "school_unit_code": [None], "n": [44]},
        dims=("municipality_code", "school_unit_code"),
        margins=("school_unit_code",),
    )
    released_units, released_total = suppress_cube([units, municipalities], min_group=10)
    assert [r["status"] for r in _rows(released_units)] == [COMPLEMENTARY, TOO_FEW, EXISTS]
    assert _rows(released_total)[0]["n"] == 44


def test_a_table_the_viewer_sees_in_full_counts_as_known():
    # The viewer owns the by-gender table: the school total is then no complement for it.
    schools, by_gender = suppress_cube(_school_cube(18, 5), min_group=10, known_tables={1})
    assert [r["status"] for r in _rows(by_gender)] == [EXISTS] * 4
    assert [r["n"] for r in _rows(schools)] == [23, 40]


def test_unsuppressed_table_does_not_travel_with_the_result():
    result = suppress(_school_cube(18, 5)[1], min_group=10)
    assert not any(
        isinstance(getattr(result, f), pa.Table) and getattr(result, f) is not result.table
        for f in result.__slots__
    )
    assert 5 not in result.table.column("n").to_pylist()
