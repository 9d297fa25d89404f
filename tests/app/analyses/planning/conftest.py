"""A small planning warehouse: two municipalities with flat cohorts, students and applications.

Kungsbacka (1384) has 40 persons of every age 6-16 and Mölndal (1481) 20, in 2023 and 2024
(so every net migration ratio is 1 and the forecast is 60 16-year-olds a year). On 15 October
2024 (school_year 2025) 30 Kungsbacka students are in year 1 NA at Elof Lindälvs gymnasium
and 12 Mölndal students in year 1 EE at Krokslättsgymnasiet (transition rate 42/60 = 0,7).
In the final admission round of 2024 the same students made those programmes their first
choice (NA 30/60, EE 12/60 per 16-year-old).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from likvard.organisations.models import SchoolUnit
from likvard.warehouse.services import batch_import
from tests.app.analyses.planning.factories import upper_secondary_units
from tests.app.conftest import World
from tests.factories.warehouse import personnummer


@dataclass
class PlanningWorld:
    world: World
    own_upper: SchoolUnit
    other_upper: SchoolUnit


def _population(path: Path) -> Path:
    lines = ["kommun;ålder;kön;år;antal"]
    for year in (2023, 2024):
        for code, persons in (("1384", 40), ("1481", 20)):
            for age in range(6, 17):
                girls = persons // 2
                lines.append(f"{code};{age};kvinnor;{year};{girls}")
                lines.append(f"{code};{age};män;{year};{persons - girls}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _students(
    tmp: Path, *, unit: str, organizer: str, home: str, programme: str, n: int, seed: int
) -> tuple[Path, Path]:
    rng = random.Random(seed)
    numbers = [personnummer(rng) for _ in range(n)]
    enrolments = [
        "personnummer;läsår;skolenhetskod;huvudman;skolform;årskurs;program;hemkommun;kön"
    ]
    admissions = [
        "personnummer;antagningsår;antagningsomgång;hemkommun;val;skolenhetskod;program;antagen"
    ]
    for index, pnr in enumerate(numbers):
        gender = "F" if index % 2 else "M"
        enrolments.append(f"{pnr};2024/25;{unit};{organizer};GY;1;{programme};{home};{gender}")
        admissions.append(f"{pnr};2024;slutlig;{home};1;{unit};{programme};ja")
    enrolment_path = tmp / f"elever-{unit}.csv"
    admission_path = tmp / f"antagning-{unit}.csv"
    enrolment_path.write_text("\n".join(enrolments) + "\n", encoding="utf-8")
    admission_path.write_text("\n".join(admissions) + "\n", encoding="utf-8")
    return enrolment_path, admission_path


@pytest.fixture
def planning_world(world: World, tmp_path: Path, settings) -> PlanningWorld:
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    own_upper, other_upper = upper_secondary_units(world)
    batch_import(path=_population(tmp_path / "folkmangd.csv"), kind="population", by=None)
    setups = [
        (own_upper, world.own, "1384", "NA", 30, 1),
        (other_upper, world.other, "1481", "EE", 12, 2),
    ]
    for unit, organizer, home, programme, n, seed in setups:
        enrolments, admissions = _students(
            tmp_path, unit=unit.code, organizer=organizer.organisation_number, home=home,
            programme=programme, n=n, seed=seed,
        )  # fmt: skip
        batch_import(path=enrolments, kind="enrolments", by=None, organizer=organizer)
        batch_import(path=admissions, kind="admissions", by=None, organizer=organizer)
    return PlanningWorld(world, own_upper, other_upper)
