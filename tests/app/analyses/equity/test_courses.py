"""Upper-secondary courses and background groups on the equity pages, API and exports."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from likvard.analyses.equity.services import GRADE_YEARS, equity_tables_warm
from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.fixture
def courses(warehouse: World, tmp_path: Path) -> World:
    """``warehouse`` plus Matematik 1a course grades and course tests at the own unit."""
    unit = warehouse.own_unit.code
    organizer = warehouse.own
    enrolments = tmp_path / "gy-elever.csv"
    numbers = enrolment_file(
        enrolments,
        organizer=organizer.organisation_number,
        school_unit=unit,
        students=30,
        seed=7,
    )
    grades = ["personnummer;läsår;skolenhetskod;program;kurskod;poäng;betyg"]
    tests = ["personnummer;läsår;skolenhetskod;årskurs;kurs;provbetyg"]
    for index, pnr in enumerate(numbers):
        grades.append(f"{pnr};2024/25;{unit};NA;MATMAT01a;100;{'A' if index < 20 else 'C'}")
        tests.append(f"{pnr};2024/25;{unit};10;MATMAT01a;C")
    grade_path = tmp_path / "kursbetyg.csv"
    test_path = tmp_path / "kursprov.csv"
    grade_path.write_text("\n".join(grades) + "\n", encoding="utf-8")
    test_path.write_text("\n".join(tests) + "\n", encoding="utf-8")
    for path, kind in (
        (enrolments, "enrolments"),
        (grade_path, "course_grades"),
        (test_path, "national_tests"),
    ):
        batch_import(path=path, kind=kind, by=None, organizer=organizer)
    return warehouse


@pytest.mark.django_db
def test_courses_are_their_own_rows_on_page_api_and_exports(courses: World):
    client = _client(courses, "organizer_analyst")
    code = courses.own_unit.code
    url = reverse("analyses:equity-school", kwargs={"code": code})
    page = client.get(url, {"grade_year": "10"}).content.decode()
    assert "Matematik 1a" in page  # the course by name, not MATMAT01a (#16)
    assert "Gymnasiekurser" in page
    api = client.get(f"/api/v1/analyses/equity/school-units/{code}", {"grade_year": 10}).json()
    rows = {r["group"]: r for r in api["yearly"]["rows"] if r["subject_code"] == "MATMAT01a"}
    assert rows["all"]["n"] == 30
    assert rows["all"]["n_higher"] == 20
    assert rows["girls"]["n"] + rows["boys"]["n"] == 30
    year9 = client.get(f"/api/v1/analyses/equity/school-units/{code}").json()
    assert {r["subject_code"] for r in year9["yearly"]["rows"]} == {"MA"}
    xlsx = client.get(url, {"grade_year": "10", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert "kurser" in xlsx["Content-Disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "MATMAT01a" in cells
    assert "Matematik 1a" in cells
    deck = client.get(url, {"grade_year": "10", "format": "pptx"})
    assert deck.status_code == 200
    assert deck.content[:2] == b"PK"


@pytest.mark.django_db
def test_background_breakdown_shows_only_its_groups(warehouse: World):
    client = _client(warehouse, "organizer_analyst")
    code = warehouse.own_unit.code
    url = f"/api/v1/analyses/equity/school-units/{code}"
    gender = {r["group"] for r in client.get(url).json()["yearly"]["rows"] if r["n"]}
    assert gender == {"all", "girls", "boys"}
    background = client.get(url, {"breakdown": "background"}).json()["yearly"]["rows"]
    # The imported enrolments say no student is newly arrived and give no other background,
    # so only "all" has students (the empty groups are rows with n = 0, known zeros for the
    # release cube); no gender row leaks into the background breakdown.
    assert {r["group"] for r in background if r["n"]} == {"all"}
    assert not {r["group"] for r in background} & {"girls", "boys"}
    assert client.get(url, {"breakdown": "religion"}).status_code == 422
    page_url = reverse("analyses:equity-school", kwargs={"code": code})
    page = client.get(page_url, {"breakdown": "background"}).content.decode()
    assert "Alla och bakgrundsgrupper" in page
    assert "Bakgrundsgrupperna kommer från inskrivningarna" in page


@pytest.mark.django_db
def test_warming_keeps_every_grade_years_tables(warehouse: World, settings):
    assert equity_tables_warm() == list(GRADE_YEARS)
    kept = sorted(p.name.split("-")[0] for p in settings.LIKVARD_WAREHOUSE_DIR.glob("derived/*/*"))
    assert kept.count("equity_year") >= 1
    assert "equity_qvalues" not in kept  # the q-values are in the year parts
    assert kept.count("equity_patterns") == len(GRADE_YEARS)


@pytest.mark.django_db
def test_an_upper_secondary_unit_opens_on_its_courses(courses: World):
    """#16: the page of an upper-secondary unit defaulted to year 9 ("no final grades")."""
    unit = courses.own_unit
    unit.school_forms = ["gymnasieskola"]
    unit.save()
    url = reverse("analyses:equity-school", kwargs={"code": unit.code})
    page = _client(courses, "organizer_analyst").get(url).content.decode()
    assert "Visar: Gymnasiekurser." in page
    assert "Matematik 1a" in page
    assert 'id="yearly-table"' in page
    year9 = _client(courses, "organizer_analyst").get(url, {"grade_year": "9"}).content.decode()
    assert "Visar: Årskurs 9." in year9
