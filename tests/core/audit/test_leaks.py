"""The auditor finds the three leaks of issue #15 in tables of the old (current) shape.

Each fixture is written by hand as the pages and the API released it before the joint gate:
totals as the value ``all`` (movement), tables released one at a time (equity yearly beside
patterns), comparison rates of the other units at full precision. A properly suppressed
version of each reports no exposed cell.
"""

import pytest

from likvard_core.audit.audit import audit
from likvard_core.audit.model import Hierarchy, Reference, ReleasedTable, Span, Total

TOO_FEW = "too_few"
SHOWN = "exists"
COMPLEMENTARY = "suppressed_complementary"


def _introduction(left_status: str, national: int | None, introduction: int | None):
    """One follow-up row: 20 introduction students of 2023 and where they were a year later."""
    base = {"school_year": 2023, "home_municipality_code": "1480", "programme_code": "IMV"}
    hidden = {"n": None, "status": left_status}
    rows = [
        {**base, "outcome": "all", "n": 20, "status": SHOWN},
        {
            **base,
            "outcome": "national",
            "n": national,
            "status": SHOWN if national is not None else COMPLEMENTARY,
        },
        {
            **base,
            "outcome": "introduction",
            "n": introduction,
            "status": SHOWN if introduction is not None else COMPLEMENTARY,
        },
        {**base, "outcome": "left", **hidden},
    ]
    return ReleasedTable(
        analysis="movement",
        name="introduction",
        family="movement.introduction",
        dims=("school_year", "home_municipality_code", "programme_code", "outcome"),
        counts=("n",),
        rows=rows,
        min_group=5,
        totals={
            "outcome": Total("all", complete=True),
            "programme_code": Total("all", complete=True),
            "home_municipality_code": Total("all"),
        },
    )


def test_movement_total_as_a_value_exposes_the_hidden_outcome():
    result = audit([_introduction(TOO_FEW, 12, 6)])
    assert result.exposed == 1
    (finding,) = result.findings
    assert dict(finding.key)["outcome"] == "left"
    assert finding.interval.low == pytest.approx(2)
    assert finding.interval.high == pytest.approx(2)
    assert (finding.analysis, finding.table) == ("movement", "introduction")


def test_movement_with_a_complement_hidden_exposes_nothing():
    result = audit([_introduction(TOO_FEW, 12, None)])
    assert result.exposed == 0
    (summary,) = result.summaries
    assert (summary.released, summary.hidden) == (2, 2)


YEARS = (2021, 2022, 2023, 2024, 2025)
EQUITY_DIMS = ("school_unit_code", "subject_code", "school_year", "group")
EQUITY_COUNTS = ("n", "n_lower", "n_same", "n_higher")


def _yearly(hidden: dict[int, str]):
    """Boys in mathematics at one unit: n 14, 12, (6), 15, 13 with lower/same/higher."""
    n = {2021: 14, 2022: 12, 2023: 6, 2024: 15, 2025: 13}
    rows = []
    for year in YEARS:
        status = hidden.get(year, SHOWN)
        shown = status == SHOWN
        higher, lower = 3, 1
        rows.append(
            {
                "school_unit_code": "12345678",
                "subject_code": "MA",
                "school_year": year,
                "group": "boys",
                "status": status,
                "n": n[year] if shown else None,
                "n_lower": lower if shown else None,
                "n_same": n[year] - higher - lower if shown else None,
                "n_higher": higher if shown else None,
            }
        )
    return ReleasedTable(
        analysis="equity",
        name="school:12345678/yearly",
        family="equity.9",
        dims=EQUITY_DIMS,
        counts=EQUITY_COUNTS,
        rows=rows,
        min_group=10,
        totals={"group": Total("all")},
        parts={"n": ("n_lower", "n_same", "n_higher")},
    )


def _patterns(status: str = SHOWN):
    shown = status == SHOWN
    row = {
        "school_unit_code": "12345678",
        "subject_code": "MA",
        "group": "boys",
        "first_year": 2021,
        "last_year": 2025,
        "years": 5,
        "status": status,
        "n": 60 if shown else None,
        "observed_higher": 15 if shown else None,
    }
    return ReleasedTable(
        analysis="equity",
        name="school:12345678/patterns",
        family="equity.9",
        dims=("school_unit_code", "subject_code", "group"),
        counts=("n", "observed_higher"),
        rows=[row],
        min_group=10,
        totals={"group": Total("all")},
        span=Span(),
        aliases={"observed_higher": "n_higher"},
    )


def test_equity_pattern_beside_its_years_exposes_the_hidden_year():
    result = audit([_yearly({2023: TOO_FEW}), _patterns()])
    exposed = {(f.measure, dict(f.key)["school_year"]): f.interval for f in result.findings}
    assert exposed[("n", 2023)].low == pytest.approx(6)
    assert exposed[("n", 2023)].width == pytest.approx(0)
    assert exposed[("n_higher", 2023)].low == pytest.approx(3)
    assert result.ties["span"] >= 2


def test_equity_with_two_years_hidden_and_the_pattern_kept_exposes_nothing():
    result = audit([_yearly({2023: TOO_FEW, 2024: COMPLEMENTARY}), _patterns()])
    assert result.exposed == 0


def test_equity_pattern_hidden_with_its_year_exposes_nothing():
    result = audit([_yearly({2023: TOO_FEW}), _patterns(COMPLEMENTARY)])
    assert result.exposed == 0


UNITS = {"A": (40, 10), "B": (30, 6), "C": (20, 8), "D": (6, 2)}
"""Per unit of one stratum (mathematics, 2025, all): n and n_higher."""


def _stratum(reference: bool):
    """Units A-C shown, D hidden; each shown row carries the other units' rate (or not)."""
    total_n = sum(n for n, _ in UNITS.values())
    total_h = sum(h for _, h in UNITS.values())
    rows = []
    for unit, (n, h) in UNITS.items():
        shown = unit != "D"
        rate = (total_h - h) / (total_n - n)
        rows.append(
            {
                "school_unit_code": unit,
                "subject_code": "MA",
                "school_year": 2025,
                "group": "all",
                "status": SHOWN if shown else TOO_FEW,
                "n": n if shown else None,
                "n_higher": h if shown else None,
                "reference_share_higher": rate if shown and reference else None,
            }
        )
    return ReleasedTable(
        analysis="equity",
        name="region/yearly",
        family="equity.9",
        dims=EQUITY_DIMS,
        counts=("n", "n_higher"),
        rows=rows,
        min_group=10,
        totals={"group": Total("all")},
        references=(Reference("reference_share_higher", "n_higher", complete=True),),
    )


def test_reference_rates_at_full_precision_expose_the_hidden_unit():
    result = audit([_stratum(reference=True)])
    exposed = {f.measure: f.interval for f in result.findings}
    assert exposed["n"].low == pytest.approx(6, abs=1e-4)
    assert exposed["n"].width < 1e-3
    assert exposed["n_higher"].low == pytest.approx(2, abs=1e-4)


def test_without_reference_rates_the_hidden_unit_is_safe():
    result = audit([_stratum(reference=False)])
    assert result.exposed == 0


def test_a_level_total_minus_its_units_exposes_the_hidden_unit():
    hierarchy = Hierarchy(unit_organizer={"u1": "org", "u2": "org", "u3": "org"})
    units = ReleasedTable(
        analysis="quality",
        name="units",
        family="quality.n",
        dims=("school_unit_code",),
        counts=("n",),
        min_group=10,
        rows=[
            {"school_unit_code": "u1", "n": 30, "status": SHOWN},
            {"school_unit_code": "u2", "n": 25, "status": SHOWN},
            {"school_unit_code": "u3", "n": None, "status": TOO_FEW},
        ],
    )
    organizer = ReleasedTable(
        analysis="quality",
        name="organizer",
        family="quality.n",
        dims=("organizer_code",),
        counts=("n",),
        min_group=5,
        rows=[{"organizer_code": "org", "n": 62, "status": SHOWN}],
    )
    result = audit([units, organizer], hierarchy)
    (finding,) = result.findings
    assert dict(finding.key) == {"school_unit_code": "u3"}
    assert finding.interval.low == pytest.approx(7)
    # With a unit of the organizer missing from the release, the remainder protects u3.
    partial = Hierarchy(unit_organizer={**hierarchy.unit_organizer, "u4": "org"})
    assert audit([units, organizer], partial).exposed == 0


def test_known_cells_of_the_viewer_are_constants():
    own = ReleasedTable(
        analysis="quality",
        name="own",
        family="quality.n",
        dims=("school_unit_code",),
        counts=("n",),
        min_group=10,
        known=True,
        rows=[{"school_unit_code": "u1", "n": 30, "status": SHOWN}],
    )
    others = ReleasedTable(
        analysis="quality",
        name="others",
        family="quality.n",
        dims=("school_unit_code",),
        counts=("n",),
        min_group=10,
        rows=[
            {"school_unit_code": "u2", "n": None, "status": COMPLEMENTARY},
            {"school_unit_code": "u3", "n": None, "status": TOO_FEW},
        ],
    )
    municipality = ReleasedTable(
        analysis="quality",
        name="municipality",
        family="quality.n",
        dims=("municipality_code",),
        counts=("n",),
        min_group=5,
        rows=[{"municipality_code": "m", "n": 45, "status": SHOWN}],
    )
    hierarchy = Hierarchy(unit_municipality={"u1": "m", "u2": "m", "u3": "m"})
    result = audit([own, others, municipality], hierarchy)
    # 45 - 30 = u2 + u3 with u3 in 1..9: u2 in 6..14, u3 in 1..9: both still ranges.
    assert result.exposed == 0
    assert result.intervals[("quality.n", "n", (("school_unit_code", "u2"),))].low == (
        pytest.approx(6)
    )


def test_each_split_of_a_total_has_its_own_remainder():
    base = {"school_unit_code": "u", "subject_code": "MA", "school_year": 2025}
    rows = [
        {**base, "group": "all", "n": 30, "status": SHOWN},
        {**base, "group": "girls", "n": 14, "status": SHOWN},
        {**base, "group": "boys", "n": None, "status": TOO_FEW},
        {**base, "group": "born_abroad", "n": None, "status": TOO_FEW},
        {**base, "group": "born_in_sweden", "n": 25, "status": SHOWN},
    ]
    table = ReleasedTable(
        analysis="equity",
        name="t",
        family="f",
        dims=EQUITY_DIMS,
        counts=("n",),
        rows=rows,
        min_group=10,
        totals={
            "group": Total("all", partitions=(("girls", "boys"), ("born_abroad", "born_in_sweden")))
        },
    )
    result = audit([table])
    assert result.exposed == 0
    boys = (
        "f",
        "n",
        (
            ("group", "boys"),
            ("school_unit_code", "u"),
            ("school_year", 2025),
            ("subject_code", "MA"),
        ),
    )
    assert (result.intervals[boys].low, result.intervals[boys].high) == (1, 9)
