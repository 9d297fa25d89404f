"""The national comparison kept per data version, its page slices, and the background groups."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard_core.analytics.equity.comparison import with_outcome_marks
from likvard_core.analytics.equity.deviation import with_deviation_flags
from likvard_core.analytics.equity.grade_vs_test import DIMS, grade_vs_test_by_school
from likvard_core.analytics.equity.groups import GENDER_GROUPS, GROUPS
from likvard_core.analytics.equity.kept import (
    NATIONAL_NAMES,
    SCHEMA_VERSION,
    YEAR_PART,
    kept_units_slice,
    year_params,
)
from likvard_core.analytics.equity.national import RELEASED_YEARLY_VALUES, YEARLY_DIMS
from likvard_core.analytics.equity.patterns import with_period
from likvard_core.warehouse.derived import Filter, derived_table, has_derived
from tests.core.analytics.population import SchoolSpec, grade_tables

LABEL = "övriga skolenheter i jämförelsen"
SCHOOLS = [SchoolSpec(f"2000000{i}", 25 + 9 * i, organizer=f"21200000{i % 2}0") for i in range(6)]


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    schools = [*SCHOOLS[:5], SchoolSpec(SCHOOLS[5].code, 60, p_higher=0.6)]
    return grade_tables(schools, [2022, 2023, 2024, 2025, 2026], ["MA", "EN"], seed=11)


def _keep(root: Path, key: str = "ab12cd34ef56") -> Callable[..., pa.Table]:
    def keep(
        name: str,
        params: Mapping[str, object],
        compute: Callable[[], pa.Table],
        *,
        filters: Sequence[Filter] | None = None,
    ) -> pa.Table:
        return derived_table(root, key, name, params, compute, filters=filters)

    return keep


def _sorted(table: pa.Table) -> list[dict[str, object]]:
    return table.sort_by([(d, "ascending") for d in DIMS]).to_pylist()


def test_a_page_slice_equals_the_direct_computation(make_snapshot, tables, tmp_path):
    unit = SCHOOLS[5].code
    with make_snapshot(tables) as db:
        national = grade_vs_test_by_school(db)
        own = grade_vs_test_by_school(db, school_units=[unit])
        expected = with_deviation_flags(own, reference=national, reference_label=LABEL)
        sliced = kept_units_slice(
            keep=_keep(tmp_path),
            open_snapshot=lambda: make_snapshot(tables),
            school_units=[unit],
            grade_year=9,
            data_version="test",
            reference_label=LABEL,
        )
    released = [*YEARLY_DIMS, "n", *RELEASED_YEARLY_VALUES[:-1]]
    expected_table = with_outcome_marks(with_period(expected.table).select(released))
    assert _sorted(sliced.yearly.table) == _sorted(expected_table)
    assert sliced.yearly.population == own.population
    assert sliced.yearly.values == RELEASED_YEARLY_VALUES
    assert not {"reference_share_higher", "p_higher", "q_higher"} & set(
        sliced.yearly.table.schema.names
    )
    assert set(sliced.patterns.table.column("school_unit_code").to_pylist()) == {unit}
    flagged = pc.or_(
        sliced.patterns.table["systematic_higher"], sliced.patterns.table["systematic_lower"]
    )
    assert flagged[0].as_py()  # the inflating school's pattern is systematic and comes first
    assert all(has_derived(tmp_path, "ab12cd34ef56", n, _params()) for n in NATIONAL_NAMES)
    parts = [year_params(_params(), year) for year in (2022, 2023, 2024, 2025, 2026)]
    assert all(has_derived(tmp_path, "ab12cd34ef56", YEAR_PART, p) for p in parts)


def _params() -> dict[str, object]:
    return {"grade_year": 9, "schema": SCHEMA_VERSION, "label": LABEL, "min_group": 10}


def test_a_kept_comparison_opens_no_snapshot(make_snapshot, tables, tmp_path):
    options = {"grade_year": 9, "data_version": "test", "reference_label": LABEL}
    first = kept_units_slice(
        keep=_keep(tmp_path),
        open_snapshot=lambda: make_snapshot(tables),
        school_units=[SCHOOLS[0].code, SCHOOLS[3].code],
        **options,
    )

    def refuse() -> object:
        raise AssertionError("the kept tables should have been read")

    again = kept_units_slice(
        keep=_keep(tmp_path), open_snapshot=refuse, school_units=[SCHOOLS[3].code], **options
    )
    mine = pc.equal(first.yearly.table["school_unit_code"], SCHOOLS[3].code)
    assert _sorted(again.yearly.table) == _sorted(first.yearly.table.filter(mine))
    assert again.yearly.population.school_units == frozenset({SCHOOLS[3].code})
    assert again.yearly.population.organizers == frozenset({SCHOOLS[3].organizer})
    nothing = kept_units_slice(
        keep=_keep(tmp_path), open_snapshot=refuse, school_units=["99999999"], **options
    )
    assert nothing.yearly.table.num_rows == 0


def _wide(table: pa.Table) -> dict[str, dict[tuple[object, ...], int]]:
    by_group: dict[str, dict[tuple[object, ...], int]] = {}
    for row in table.to_pylist():
        place = (row["school_unit_code"], row["subject_code"], row["school_year"])
        by_group.setdefault(str(row["group"]), {})[place] = int(row["n"])
    return by_group


def test_background_groups_partition_everyone(make_snapshot, tables):
    with make_snapshot(tables) as db:
        table = grade_vs_test_by_school(db).table
    groups = _wide(table)
    assert set(groups) == set(GROUPS)
    for place, everyone in groups["all"].items():
        for parts in (
            ("girls", "boys"),
            ("born_abroad", "born_in_sweden"),
            ("parents_low", "parents_middle", "parents_high"),
        ):
            assert sum(groups[g].get(place, 0) for g in parts) == everyone
    assert sum(groups["newly_arrived"].values()) > 0


def test_background_groups_do_not_change_the_gender_flags(make_snapshot, tables):
    with make_snapshot(tables) as db:
        every = with_deviation_flags(grade_vs_test_by_school(db), reference_label=LABEL)
        gender = with_deviation_flags(
            grade_vs_test_by_school(db, groups=GENDER_GROUPS), reference_label=LABEL
        )
    keep = pc.is_in(every.table["group"], pa.array(GENDER_GROUPS))
    columns = [*DIMS, "q_higher", "flag_higher", "q_lower", "flag_lower", "flag_reason"]
    assert _sorted(every.table.filter(keep).select(columns)) == _sorted(
        gender.table.select(columns)
    )
    assert any(every.table["flag_higher"].to_pylist())


def test_an_unknown_group_is_refused(make_snapshot, tables):
    with make_snapshot(tables) as db, pytest.raises(ValueError, match="unknown groups"):
        grade_vs_test_by_school(db, groups=["all", "left_handed"])
    with make_snapshot(tables) as db, pytest.raises(ValueError, match="grade year"):
        grade_vs_test_by_school(db, grade_year=7)
