"""The survey results join the disclosure audit (issue #20): their tables' ties are found.

Fixtures are tables in the shape ``survey_region_report`` releases today (a total is a null
year group or gender, ADR 0003; the region table is the region's cell), described by the
catalogue's definitions as the gatherer describes them, with one hidden cell an attacker can
work out: the auditor must find it.
"""

from __future__ import annotations

from likvard.audit import gather as gathering
from likvard.audit.catalogue import DEFINITIONS
from likvard_core.audit.audit import audit
from likvard_core.audit.model import Hierarchy, ReleasedTable

SHOWN, TOO_FEW = "exists", "too_few"
FAMILY = "surveys.gr-elev/2025"


def _described(name: str, dims: tuple[str, ...], rows: list[dict], **extra) -> ReleasedTable:
    definition = DEFINITIONS["surveys.results"]
    return ReleasedTable(
        analysis="surveys",
        name=name,
        family=FAMILY,
        dims=dims,
        counts=definition.counts,
        rows=rows,
        min_group=10,
        totals=definition.totals,
        **extra,
    )


def _row(n: int | None, **dims: object) -> dict[str, object]:
    base: dict[str, object] = {"index_key": "trygghet", "year_group": None, "gender": None}
    status = SHOWN if n is not None else TOO_FEW
    return {**base, **dims, "n": n, "index_value": None if n is None else 7.5, "status": status}


def test_surveys_are_an_analysis_of_the_audit():
    assert "surveys" in gathering.analyses()


def test_a_hidden_year_group_is_found_through_the_regions_total():
    # 31 respondents: 30 in year 5, the year 8 group hidden as too few (1 .. 9); the total
    # is at least its year groups' sum, so year 8 had exactly 1 respondent.
    rows = [_row(31), _row(30, year_group=5), _row(None, year_group=8)]
    table = _described(
        "region/gr-elev/2025/region",
        ("index_key", "year_group", "gender"),
        rows,
        constants={"region_code": "gr"},
    )
    (summary,) = audit([table]).summaries
    assert (summary.hidden, summary.exposed) == (1, 1)


def test_a_hidden_municipality_is_found_through_the_region():
    # The region's 43 respondents are its two municipalities': 40 shown, 3 hidden.
    region = _described(
        "region/gr-elev/2025/region",
        ("index_key", "year_group", "gender"),
        [_row(43)],
        constants={"region_code": "gr"},
    )
    municipalities = _described(
        "region/gr-elev/2025/municipality",
        ("municipality_code", "index_key", "year_group", "gender"),
        [_row(40, municipality_code="1480"), _row(None, municipality_code="1384")],
        constants={"region_code": "gr"},
    )
    hierarchy = Hierarchy(municipality_region={"1480": "gr", "1384": "gr"})
    (summary,) = audit([region, municipalities], hierarchy).summaries
    assert (summary.hidden, summary.exposed) == (1, 1)


def test_a_hidden_school_unit_is_found_through_its_municipality():
    # A municipality's 45 respondents are its own units': 40 shown, 5 hidden (issue #20: the
    # survey release did not tie a municipality to its units; the audit must).
    municipalities = _described(
        "region/gr-elev/2025/municipality",
        ("municipality_code", "index_key", "year_group", "gender"),
        [_row(45, municipality_code="1480")],
        constants={"region_code": "gr"},
    )
    units = _described(
        "region/gr-elev/2025/school_unit",
        ("school_unit_code", "index_key"),
        [_row(40, school_unit_code="u1"), _row(None, school_unit_code="u2")],
        constants={"region_code": "gr"},
    )
    hierarchy = Hierarchy(
        unit_organizer={"u1": "O", "u2": "P"},
        unit_municipality={"u1": "1480", "u2": "1480"},
        municipality_region={"1480": "gr"},
    )
    (summary,) = audit([municipalities, units], hierarchy).summaries
    assert (summary.hidden, summary.exposed) == (1, 1)


def test_a_trend_row_is_its_year_s_region_cell():
    # The year's tables hide the region's 15 to protect a unit's 3 beside a shown 12; the
    # trend shows the region's 15 for the same version: one cell, so 15 - 12 gives the 3.
    units = _described(
        "region/gr-elev/2025/school_unit",
        ("school_unit_code", "index_key"),
        [_row(12, school_unit_code="u1"), _row(None, school_unit_code="u2")],
        constants={"region_code": "gr"},
    )
    trend = _described(
        "region/gr-elev/2025/trend/2025",
        ("index_key", "year_group", "gender"),
        [{**_row(15), "version": "2025"}],
        constants={"region_code": "gr"},
    )
    hierarchy = Hierarchy(
        unit_organizer={"u1": "O", "u2": "P"},
        unit_municipality={"u1": "1384", "u2": "1481"},
        municipality_region={"1384": "gr", "1481": "gr"},
    )
    (summary,) = audit([units, trend], hierarchy).summaries
    assert (summary.hidden, summary.exposed) == (1, 1)
