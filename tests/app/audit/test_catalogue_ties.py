"""The catalogue's definitions derive the ties of the tables as they are released today.

Each fixture is a table in the current shape (totals as nulls, ADR 0003), described by the
catalogue's own definition (``DEFINITIONS``) as the gatherer describes it, with one hidden
cell an attacker can work out through the tie: the auditor must find it. (The movement
definitions declared the old ``all`` marker after the tables changed to nulls, so none of
these ties was derived and such a leak went unseen.)
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pyarrow as pa
import pytest

from likvard.audit.catalogue import DEFINITIONS, levels_table, trend_table
from likvard_core.analytics.quality.catalogue_model import DataSource
from likvard_core.audit.audit import audit
from likvard_core.audit.model import Hierarchy, ReleasedTable
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS

SHOWN, TOO_FEW, COMPLEMENTARY = "exists", "too_few", "suppressed_complementary"


def _described(kind: str, name: str, dims: tuple[str, ...], rows: list[dict], **extra):
    definition = DEFINITIONS[kind]
    return ReleasedTable(
        analysis=name.partition("/")[0],
        name=name,
        family=kind,
        dims=dims,
        counts=definition.counts,
        rows=rows,
        min_group=5,
        totals=definition.totals,
        parts=definition.parts,
        span=definition.span,
        balances=definition.balances,
        unbounded=definition.unbounded,
        reconciles=definition.reconciles,
        **extra,
    )


def _follow_up(left: str, national: int | None) -> ReleasedTable:
    """A municipality page's follow-up of 2023's IMV students: 20 = national + IM + left."""
    base = {"school_year": 2023, "home_municipality_code": "1480", "programme_code": "IMV"}
    rows = [
        {**base, "outcome": None, "n": 20, "status": SHOWN},
        {
            **base,
            "outcome": "national",
            "n": national,
            "status": SHOWN if national is not None else COMPLEMENTARY,
        },
        {**base, "outcome": "introduction", "n": 6, "status": SHOWN},
        {**base, "outcome": "left", "n": None, "status": left},
    ]
    dims = ("school_year", "home_municipality_code", "programme_code", "outcome")
    return _described("movement.introduction", "movement/introduction", dims, rows)


def test_the_introduction_follow_up_gives_left_as_students_minus_the_others():
    result = audit([_follow_up(TOO_FEW, 12)])
    (finding,) = result.findings
    assert dict(finding.key)["outcome"] == "left"
    assert (finding.interval.low, finding.interval.high) == pytest.approx((2, 2))
    assert result.ties["total:outcome"] == 1


def test_the_follow_up_with_a_second_outcome_hidden_is_safe():
    assert audit([_follow_up(TOO_FEW, None)]).exposed == 0


def _cells() -> ReleasedTable:
    """Admission year 2024, two units of one programme: the rounds and 15 October. The
    small unit (hidden) has 3 finally admitted, 2 enrolled, 1 incoming and 2 outgoing."""
    base = {"school_year": 2024, "programme_code": "NA"}
    counts = (
        "first_choice",
        "admitted_preliminary",
        "admitted_final",
        "admitted_reserve",
        "enrolled",
        "incoming",
        "outgoing",
    )
    shown = dict(zip(counts, (30, 34, 30, 2, 31, 3, 2), strict=True))
    rows = [
        {**base, "school_unit_code": "10000001", **shown, "n": 31, "status": SHOWN},
        {
            **base,
            "school_unit_code": "10000002",
            **dict.fromkeys(counts),
            "n": None,
            "status": TOO_FEW,
        },
    ]
    dims = ("school_year", "school_unit_code", "programme_code")
    table = _described("movement.admissions", "admissions/2024/cells", dims, rows)
    return _family(table, "admissions")


def _summary(*, left: int | None) -> ReleasedTable:
    """The year's students of both units: stayed 29, moved 3, left 1 and arrived 1."""
    rows = [
        {"school_year": 2024, "category": "stayed", "n": 29, "status": SHOWN},
        {"school_year": 2024, "category": "moved", "n": 3, "status": SHOWN},
        {
            "school_year": 2024,
            "category": "left",
            "n": left,
            "status": SHOWN if left is not None else COMPLEMENTARY,
        },
        {"school_year": 2024, "category": "arrived", "n": 1, "status": SHOWN},
    ]
    dims = ("school_year", "category")
    table = _described("movement.admissions.summary", "admissions/2024/summary", dims, rows)
    return _family(table, "admissions.summary")


def _family(table: ReleasedTable, family: str) -> ReleasedTable:
    return dataclasses.replace(table, family=family)


def test_the_year_summary_gives_a_hidden_unit_s_rounds_and_15_october():
    # Every finally admitted or enrolled student is stayed, moved, left or arrived once:
    # admitted 30 + x = 29 + 3 + 1, enrolled 31 + y = 29 + 3 + 1, incoming 3 + z = 3 + 1,
    # outgoing 2 + w = 3 + 1: the small unit's hidden figures, one by one.
    result = audit([_cells(), _summary(left=1)])
    pinned = {f.measure: (f.interval.low, f.interval.high) for f in result.findings}
    assert pinned["admitted_final"] == pytest.approx((3, 3))
    assert pinned["enrolled"] == pytest.approx((2, 2))
    assert pinned["incoming"] == pytest.approx((1, 1))
    assert pinned["outgoing"] == pytest.approx((2, 2))
    assert result.ties["reconcile:admitted_final"] == 1
    assert result.ties["balance"] == 2


def test_with_the_summary_s_left_hidden_the_unit_keeps_its_admitted():
    # admitted = 2 + left, outgoing = 1 + left, left >= 0 and admitted <= 4: a range of 3.
    # (Its enrolled still follows from stayed + moved + arrived: hiding left is not enough.)
    result = audit([_cells(), _summary(left=None)])
    measures = {f.measure for f in result.findings}
    assert "admitted_final" not in measures
    assert "enrolled" in measures


def _region_trend(n_2020: int | None) -> SimpleNamespace:
    """A region basis with one warehouse indicator whose own trend shows 2019 and 2020."""
    return _basis({2019: 40, 2020: n_2020})


def _basis(
    trend: dict[int, int | None],
    groups: dict[str, int | None] | None = None,
    year: int = 2020,
    hidden: str = TOO_FEW,
) -> SimpleNamespace:
    """A basis of school year ``year`` with one warehouse indicator: its own ``trend`` (year:
    n, None hidden) and the basis year's ``groups`` (girls, boys: n, None ``hidden``)."""
    indicator = SimpleNamespace(code="I1", data_source=DataSource.WAREHOUSE)
    points = [SimpleNamespace(school_year=y, figure=_figure(n)) for y, n in trend.items()]
    by_group = {g: _figure(n, hidden) for g, n in (groups or {}).items()}
    block = SimpleNamespace(indicator=indicator, trend=points, trend_of_sv="", by_group=by_group)
    return SimpleNamespace(all_blocks=lambda: (block,), school_year=year)


def _figure(n: int | None, hidden: str = COMPLEMENTARY) -> SimpleNamespace:
    shown = n is not None
    return SimpleNamespace(shown=shown, n=n, status=SHOWN if shown else hidden)


def _levels_2020() -> ReleasedTable:
    """2020's levels cube of I1: municipality 1 shows 30, municipality 2 (3) is too few and
    the region is hidden with it."""
    base = {"indicator": "I1", "school_year": 2020, "group": None}
    rows = [
        {**base, "region_code": "R", "municipality_code": "M1", "n": 30, "status": SHOWN},
        {**base, "region_code": "R", "municipality_code": "M2", "n": None, "status": TOO_FEW},
        {**base, "region_code": "R", "municipality_code": None, "n": None, "status": COMPLEMENTARY},
    ]
    return levels_table(
        pa.Table.from_pylist(rows), analysis="quality", name="region/2020/levels/I1",
        thresholds=SKOLVERKET_THRESHOLDS,
    )  # fmt: skip


_REGION = Hierarchy(municipality_region={"M1": "R", "M2": "R"})


def test_the_region_trend_gives_a_hidden_municipality_as_the_region_minus_the_shown():
    trend = trend_table(
        _region_trend(33), level="region_code", code="R", analysis="quality",
        name="region/2025/trend", thresholds=SKOLVERKET_THRESHOLDS,
    )  # fmt: skip
    result = audit([_levels_2020(), trend], _REGION)
    (finding,) = result.findings
    assert dict(finding.key)["municipality_code"] == "M2"
    assert (finding.interval.low, finding.interval.high) == pytest.approx((3, 3))
    assert result.ties["level:region_code"] == 1


def test_a_region_trend_that_hides_the_year_is_safe():
    trend = trend_table(
        _region_trend(None), level="region_code", code="R", analysis="quality",
        name="region/2025/trend", thresholds=SKOLVERKET_THRESHOLDS,
    )  # fmt: skip
    assert audit([_levels_2020(), trend], _REGION).exposed == 0


_ORGANIZER = Hierarchy(
    unit_organizer={"U1": "O", "U2": "O"},
    unit_municipality={"U1": "M1", "U2": "M1"},
    municipality_region={"M1": "R"},
)


def _units_2020(organizer: str, small: str) -> ReleasedTable:
    """2020's levels cube of I1 around organizer O (units U1 of 30 and U2 of 3): the small
    unit too few, its organizer hidden with it (``organizer``/``small``: their statuses)."""
    base = {"indicator": "I1", "school_year": 2020, "group": None, "region_code": None,
            "municipality_code": None}  # fmt: skip
    unit = {**base, "region_code": "R", "municipality_code": "M1", "organizer_code": "O"}
    rows = [
        {**unit, "school_unit_code": "U1", "n": 30, "status": SHOWN},
        {**unit, "school_unit_code": "U2", "n": None, "status": small},
        {**base, "organizer_code": "O", "school_unit_code": None, "n": None, "status": organizer},
    ]
    return levels_table(
        pa.Table.from_pylist(rows), analysis="quality", name="region/2020/levels/I1",
        thresholds=SKOLVERKET_THRESHOLDS,
    )  # fmt: skip


def _page(basis: SimpleNamespace, level: str, code: str) -> ReleasedTable:
    return trend_table(
        basis, level=level, code=code, analysis="quality", name=f"{code}/2025/trend",
        thresholds=SKOLVERKET_THRESHOLDS,
    )  # fmt: skip


def test_an_organizer_s_trend_gives_its_hidden_unit_as_the_organizer_minus_the_shown():
    """The organizer's basis of 2025 shows its 2020 figure (released with its own trend, not
    in 2020's cube, which hides it to protect U2): U2 = 33 - 30."""
    cube = _units_2020(COMPLEMENTARY, TOO_FEW)
    trend = _page(_basis({2020: 33, 2025: 41}, year=2025), "organizer_code", "O")
    assert audit([cube], _ORGANIZER).exposed == 0  # the old gathering: the cube alone
    result = audit([cube, trend], _ORGANIZER)
    (finding,) = result.findings
    assert dict(finding.key) == {"indicator": "I1", "school_unit_code": "U2", "school_year": 2020}
    assert (finding.interval.low, finding.interval.high) == pytest.approx((3, 3))
    assert result.ties["level:organizer_code"] == 1


def test_a_unit_s_hidden_girls_are_its_organizer_s_minus_the_other_unit_s():
    """Both units and the organizer shown in the cube; each basis page shows its subject's
    girls and boys of 2020 from its own release: U2's girls (too few for a unit) are the
    organizer's girls minus U1's, as the register says O has no other unit."""
    cube = _units_2020(SHOWN, SHOWN)
    rows = [dict(r) for r in cube.rows]
    rows[1]["n"], rows[2]["n"] = 12, 42
    cube = dataclasses.replace(cube, rows=rows)
    pages = [
        _page(_basis({2020: 42}, {"girls": 20, "boys": 22}), "organizer_code", "O"),
        _page(_basis({2020: 30}, {"girls": 17, "boys": 13}), "school_unit_code", "U1"),
        _page(_basis({2020: 12}, {"girls": None, "boys": None}), "school_unit_code", "U2"),
    ]
    assert audit([cube, pages[2]], _ORGANIZER).exposed == 0  # without the other pages' groups
    result = audit([cube, *pages], _ORGANIZER)
    found = {dict(f.key)["group"]: (f.interval.low, f.interval.high) for f in result.findings}
    assert found == {"girls": pytest.approx((3, 3)), "boys": pytest.approx((9, 9))}
    assert result.ties["total:group"] == 3


def test_groups_hidden_with_their_totals_are_safe():
    """The pages hide a group whose all-students figure is hidden (``with_groups_of_hidden_
    totals_hidden``): the organizer hidden in the cube, its girls and boys hidden too."""
    cube = _units_2020(COMPLEMENTARY, TOO_FEW)
    pages = [
        _page(
            _basis({2020: None}, {"girls": None, "boys": None}, hidden=COMPLEMENTARY),
            "organizer_code",
            "O",
        ),
        _page(_basis({2020: 30}, {"girls": 17, "boys": 13}), "school_unit_code", "U1"),
    ]
    assert audit([cube, *pages], _ORGANIZER).exposed == 0
