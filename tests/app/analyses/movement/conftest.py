"""A small warehouse for the movement tests: upper-secondary students of two municipalities.

Kungsbacka (1384): 30 residents at Kungsbacka's own school (NA), 20 at Mölndal's school (EE).
Mölndal (1481): 25 residents at Mölndal's school (SA). School year 2025/26, grade year 1.
Admission year 2025: every student finally admitted where enrolled, except 4 of Kungsbacka's
NA students admitted to Mölndal EE but enrolled at Kungsbacka NA (Mölndal loses 4, Kungsbacka
gains 4 places after final admission), and 3 Mölndal students admitted but not enrolled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.factories.warehouse import personnummer

ENROLMENT_HEADER = (
    "personnummer;läsår;skolenhetskod;huvudman;skolform;årskurs;program;hemkommun;kön"
)
ADMISSION_HEADER = (
    "personnummer;antagningsår;antagningsomgång;hemkommun;val;skolenhetskod;program;antagen"
)


@dataclass
class MovementWorld:
    world: World
    kungsbacka_home: int
    other_organizer: int


def _write(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def movement_warehouse(world: World, tmp_path: Path, settings) -> MovementWorld:
    """``world`` with enrolments and admissions imported (see the module docstring)."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    rng = random.Random(7)
    own, other = world.own_unit.code, world.other_unit.code
    own_org, other_org = world.own.organisation_number, world.other.organisation_number
    groups = [  # (count, home, unit, organizer, programme)
        (30, "1384", own, own_org, "NA"),
        (20, "1384", other, other_org, "EE"),
        (25, "1481", other, other_org, "SA"),
    ]
    by_organizer: dict[str, list[str]] = {own_org: [], other_org: []}
    admissions: list[str] = []
    for count, home, unit, organizer, programme in groups:
        for index in range(count):
            pnr = personnummer(rng)
            gender = "F" if index % 2 else "M"
            by_organizer[organizer].append(
                f"{pnr};2025/26;{unit};{organizer};GY;1;{programme};{home};{gender}"
            )
            admitted_unit, admitted_prog = unit, programme
            if programme == "NA" and index < 4:
                admitted_unit, admitted_prog = other, "EE"
            admissions.extend(
                f"{pnr};2025;{rnd};{home};1;{admitted_unit};{admitted_prog};ja"
                for rnd in ("preliminär", "slutlig")
            )
    for _ in range(3):
        pnr = personnummer(rng)
        admissions.append(f"{pnr};2025;slutlig;1481;1;{other};SA;ja")
    for organizer, lines in by_organizer.items():
        found = world.own if organizer == own_org else world.other
        path = _write(tmp_path / f"elever-{organizer}.csv", ENROLMENT_HEADER, lines)
        batch_import(path=path, kind="enrolments", by=None, organizer=found)
    path = _write(tmp_path / "antagning.csv", ADMISSION_HEADER, admissions)
    batch_import(path=path, kind="admissions", by=None)
    return MovementWorld(world, kungsbacka_home=50, other_organizer=20)


@pytest.fixture
def introduction_world(world: World, tmp_path: Path, settings) -> World:
    """``world`` with two years of Kungsbacka's introduction students: twelve residents on IMV
    at Kungsbacka's school in 2024/25; in 2025/26 six are on NA, four still on IMV, two gone."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    rng = random.Random(3)
    unit, org = world.own_unit.code, world.own.organisation_number
    people = [personnummer(rng) for _ in range(12)]
    nexts = ["NA"] * 6 + ["IMV"] * 4
    years = {
        "2024/25": [(pnr, "IMV", 1) for pnr in people],
        "2025/26": [(pnr, programme, 2) for pnr, programme in zip(people, nexts, strict=False)],
    }
    for year, rows in years.items():
        lines = [f"{p};{year};{unit};{org};GY;{grade};{prog};1384;F" for p, prog, grade in rows]
        path = tmp_path / f"elever-{year.replace('/', '-')}.csv"
        path.write_text("\n".join([ENROLMENT_HEADER, *lines]) + "\n", encoding="utf-8")
        batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    return world
