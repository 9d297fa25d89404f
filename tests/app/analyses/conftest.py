"""A small warehouse for the equity tests: students with grades and tests, and published files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from likvard.warehouse.services import batch_import
from tests.app.analyses.modelled import modelled_warehouse
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file

TEST_HEADER = (
    ";;;;;;Antal elever med provbetyg A-F;Antal elever med provbetyg A-F;"
    "Antal elever med provbetyg A-F;Andel (%) med provbetyg A-E;Andel (%) med provbetyg A-E;"
    "Andel (%) med provbetyg A-E;Genomsnittlig betygspoäng;Genomsnittlig betygspoäng;"
    "Genomsnittlig betygspoäng;Andel (%) elever som deltagit;Andel (%) elever som deltagit;"
    "Andel (%) elever som deltagit;\n"
    "Kommun;Kommun-kod;Län;Läns-kod;Typ av huvudman;Ämne;Totalt;Flickor;Pojkar;Totalt;Flickor;"
    "Pojkar;Totalt;Flickor;Pojkar;Totalt;Flickor;Pojkar;\n"
)
PUBLISHED_TESTS = {
    # year: rows (municipality, name, subject, n, share A-E, points)
    "2022/23": [
        ("1384", "Kungsbacka", "Matematik", "1 020", "91,0", "12,5"),
        ("1481", "Mölndal", "Matematik", "700", "88,0", "11,9"),
        ("1384", "Kungsbacka", "Engelska", "1 030", "~100", "16,0"),
    ],
    "2023/24": [
        ("1384", "Kungsbacka", "Matematik", "1 050", "90,0", "12,4"),
        ("1481", "Mölndal", "Matematik", "720", "..", "11,0"),
    ],
}
# subject pass rates 2024/25 ... 2015/16 as in "Jämförelse av ämnesbetyg över tid"
PUBLISHED_GRADES = [
    ("1384", "Kungsbacka", "Matematik", "94,0;93,0;92,5;" + "90,0;" * 7),
    ("1481", "Mölndal", "Matematik", "90,0;89,0;87,0;" + "85,0;" * 7),
    ("1384", "Kungsbacka", "Engelska", "97,0;96,0;95,0;" + "94,0;" * 7),
]


def published_test_file(path: Path, year: str) -> Path:
    """A year-9 national test file in Skolverket's layout (two header rows, marks)."""
    lines = [
        "Statistik från Skolverket, https://www.skolverket.se",
        "",
        "Grundskola - Resultat nationella prov årskurs 9, provbetyg per kön - Engelska, Matematik",
        f"Valt läsår: {year}",
        "",
    ]
    body = TEST_HEADER
    for code, name, subject, n, share, points in PUBLISHED_TESTS[year]:
        body += (
            f"{name};{code};Hallands län;13;Samtliga;{subject};{n};..;..;{share};..;..;"
            f"{points};..;..;90,0;..;..;\n"
        )
    path.write_text("\ufeff" + "\n".join(lines) + "\n" + body + "\n", encoding="utf-8")
    return path


def published_grade_file(path: Path) -> Path:
    """The subject-grade comparison over time in Skolverket's layout."""
    years = ";".join(f"{y - 1}/{y % 100:02d}" for y in range(2025, 2015, -1))
    lines = [
        "Statistik från Skolverket, https://www.skolverket.se",
        "",
        "Grundskola - Jämförelse av ämnesbetyg över tid",
        "Valt läsår: 2024/25",
        "",
        "Kommun;Kommunkod;Län;Länskod;Typ av huvudman;"
        f"Andel (%) elever som fått godkänt betyg i respektive ämne;{years};",
    ]
    lines += [
        f"{name};{code};Hallands län;13;Samtliga;{subject};{values}"
        for code, name, subject, values in PUBLISHED_GRADES
    ]
    path.write_text("\ufeff" + "\n".join(lines) + "\n\n", encoding="utf-8")
    return path


@dataclass
class Students:
    own: list[str]
    other: list[str]


def _student_files(
    tmp: Path, world: World, *, unit: str, organizer: str, seed: int, higher: int, students: int
) -> tuple[Path, Path, Path, list[str]]:
    """Enrolments, final grades and tests for one unit: ``higher`` students graded above test."""
    enrolments = tmp / f"elever-{unit}.csv"
    numbers = enrolment_file(
        enrolments, organizer=organizer, school_unit=unit, students=students, seed=seed
    )
    grades = ["personnummer;läsår;skolenhetskod;årskurs;ämne;betyg"]
    tests = ["personnummer;läsår;skolenhetskod;årskurs;ämne;provbetyg"]
    for index, pnr in enumerate(numbers):
        grades.append(f"{pnr};2024/25;{unit};9;MA;{'B' if index < higher else 'C'}")
        tests.append(f"{pnr};2024/25;{unit};9;MA;C")
    grade_path = tmp / f"betyg-{unit}.csv"
    test_path = tmp / f"prov-{unit}.csv"
    grade_path.write_text("\n".join(grades) + "\n", encoding="utf-8")
    test_path.write_text("\n".join(tests) + "\n", encoding="utf-8")
    return enrolments, grade_path, test_path, numbers


@pytest.fixture
def warehouse(world: World, tmp_path: Path, settings) -> World:
    """``world`` with a warehouse: own unit grades 30 of 40 above test, the other unit 2 of 40."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    setups = [
        (world.own_unit.code, world.own, 1, 30),
        (world.other_unit.code, world.other, 2, 2),
    ]
    for unit, organizer, seed, higher in setups:
        enrolments, grades, tests, _numbers = _student_files(
            tmp_path,
            world,
            unit=unit,
            organizer=organizer.organisation_number,
            seed=seed,
            higher=higher,
            students=40,
        )
        for path, kind in (
            (enrolments, "enrolments"),
            (grades, "final_grades"),
            (tests, "national_tests"),
        ):
            batch_import(path=path, kind=kind, by=None, organizer=organizer)
    for year in PUBLISHED_TESTS:
        path = published_test_file(tmp_path / f"prov-{year[:4]}.csv", year)
        batch_import(path=path, kind="public_stats", by=None)
    batch_import(
        path=published_grade_file(tmp_path / "amnesbetyg.csv"), kind="public_stats", by=None
    )
    return world


@pytest.fixture
def modelled(world: World, tmp_path: Path, settings) -> World:
    """``world`` with synthetic year-9 and upper-secondary populations the models can fit."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    modelled_warehouse(world, settings.LIKVARD_WAREHOUSE_DIR)
    return world
