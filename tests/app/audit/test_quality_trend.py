"""Issue #15: a basis page's trend beside each trend year's levels cube.

Found by the demo audit of GR's whole trend (2016-2025, as admin: 916 exposed cells). In
2019 municipality 1407 had 41 students in year 9: 40 at one organizer's two units and 1 at a
one-unit organizer. The 2019 levels cube hid the small organizer (too few) and, to protect it,
the large organizer and its units; but the large organizer's basis page of 2025 showed its
2019 figure (40) in its trend, released with the organizer's own table alone: 41 − 40 = 1.

Here in miniature, in school year 2024 (the basis year is 2025): Kungsbacka kommun runs two
units of 20 students, an independent organizer one unit of 3, all in Kungsbacka. Every basis
page now takes each trend year's figures from that year's levels cube (as the basis year's),
so the trend shows what the cube shows, and the audit of every page finds nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.access.policy import viewer_for
from likvard.audit import gather as gathering
from likvard.organisations.models import Municipality
from likvard.quality.services.basis import organizer_basis, region_levels
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.services import batch_import
from likvard_core.analytics.quality.catalogue_model import DataSource
from likvard_core.audit.audit import audit
from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World
from tests.factories.organisations import OrganizerFactory, SchoolUnitFactory
from tests.factories.warehouse import enrolment_file

EARLIER = 2024
SECOND = "65390381"
SMALL = "65390399"


def _year(tmp: Path, unit: str, organizer: str, students: int, seed: int) -> list[Path]:
    """Enrolments, final grades and tests of year 9 in 2023/24 at ``unit``."""
    enrolments = tmp / f"elever-{unit}-2024.csv"
    numbers = enrolment_file(
        enrolments, organizer=organizer, school_unit=unit, students=students, seed=seed,
        year="2023/24",
    )  # fmt: skip
    grades = ["personnummer;läsår;skolenhetskod;årskurs;ämne;betyg"]
    tests = ["personnummer;läsår;skolenhetskod;årskurs;ämne;provbetyg"]
    for index, pnr in enumerate(numbers):
        grades.append(f"{pnr};2023/24;{unit};9;MA;{'B' if index % 3 else 'C'}")
        tests.append(f"{pnr};2023/24;{unit};9;MA;C")
    grade_path = tmp / f"betyg-{unit}-2024.csv"
    test_path = tmp / f"prov-{unit}-2024.csv"
    grade_path.write_text("\n".join(grades) + "\n", encoding="utf-8")
    test_path.write_text("\n".join(tests) + "\n", encoding="utf-8")
    return [enrolments, grade_path, test_path]


@pytest.fixture
def earlier_year(warehouse: World, tmp_path: Path) -> World:  # noqa: F811  (fixture)
    catalogue_load_shipped()
    kungsbacka = Municipality.objects.get(code="1384")
    SchoolUnitFactory(
        code=SECOND, name="Andra skolan", organizer=warehouse.own, municipality=kungsbacka
    )
    small = OrganizerFactory(
        organisation_number="5566778899", name="Lilla friskolan AB", municipality=kungsbacka
    )
    SchoolUnitFactory(code=SMALL, name="Lilla skolan", organizer=small, municipality=kungsbacka)
    setups = [
        (warehouse.own_unit.code, warehouse.own, 20, 41),
        (SECOND, warehouse.own, 20, 42),
        (SMALL, small, 3, 43),
    ]
    for unit, organizer, students, seed in setups:
        paths = _year(tmp_path, unit, organizer.organisation_number, students, seed)
        for path, kind in zip(paths, ("enrolments", "final_grades", "national_tests"), strict=True):
            batch_import(path=path, kind=kind, by=None, organizer=organizer)
    return warehouse


@pytest.mark.django_db
def test_no_hidden_cell_of_a_trend_year_is_a_shown_trend_minus_the_cube(earlier_year: World):
    viewer = viewer_for(earlier_year.users["network_member"])
    gathered = gathering.gather(viewer=viewer, region=earlier_year.region, only={"quality"})
    assert any(t.name.endswith(f"{EARLIER}/levels/gr9_eligible_es") for t in gathered.tables)
    result = audit(gathered.tables, gathered.hierarchy)
    assert result.exposed == 0, [f.describe() for f in result.findings]


@pytest.mark.django_db
def test_a_trend_year_shows_what_that_year_s_levels_cube_shows(earlier_year: World):
    viewer = viewer_for(earlier_year.users["network_member"])
    own = earlier_year.own.organisation_number
    cube = {
        str(row["indicator"]): row["status"]
        for levels in region_levels(viewer=viewer, region=earlier_year.region, year=EARLIER)
        for row in levels.table.to_pylist()
        if row["organizer_code"] == own and row["school_unit_code"] is None
        and row["group"] is None
    }  # fmt: skip
    assert "suppressed_complementary" in cube.values()  # the cube protects the small organizer
    basis = organizer_basis(viewer=viewer, organizer=earlier_year.own, year=EARLIER + 1)
    compared = 0
    for block in basis.all_blocks():
        code = block.indicator.code
        if block.indicator.data_source is not DataSource.WAREHOUSE or code not in cube:
            continue
        point = next(p for p in block.trend if p.school_year == EARLIER)
        assert point.figure.status == cube[code], code
        compared += 1
    assert compared
