"""A small warehouse for the completion pages: upper-secondary students at the test world's
two units, with absence in their last school year and diplomas."""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.core.ingest.synthetic import personnummer

STUDENTS = 30
"""Per unit: students starting in 2022 (spring year), three years to 2024."""


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _files(tmp_path: Path, unit: str, organizer: str, offset: int) -> list[tuple[Path, str]]:
    enrolments, absence, diplomas = [], [], []
    for i in range(STUDENTS):
        pnr = personnummer(offset + i)
        for grade, year in enumerate((2022, 2023, 2024), start=1):
            enrolments.append(
                f"{pnr};{year};{unit};{organizer};GY;{grade};NA;1384;F;"
                + ("ja" if i % 5 == 0 else "nej")
            )
            rate = 25 if i < 6 else 2  # the first six are absent a quarter of the time
            absence.extend(
                f"{pnr};{year};{term};{unit};10000;{rate * 100};0" for term in ("HT", "VT")
            )
        certificate = "studiebevis" if i < 6 else "högskoleförberedande examen"
        diplomas.append(f"{pnr};2024;{unit};NA;{certificate}")
    return [
        (
            _write(
                tmp_path / f"e{unit}.csv",
                "personnummer;läsår;skolenhetskod;huvudman;skolform;årskurs;program;"
                "hemkommun;kön;född utomlands",
                enrolments,
            ),
            "enrolments",
        ),
        (
            _write(
                tmp_path / f"a{unit}.csv",
                "personnummer;läsår;termin;skolenhetskod;schemalagd tid;frånvaro;ogiltig frånvaro",
                absence,
            ),
            "absence",
        ),
        (
            _write(
                tmp_path / f"d{unit}.csv",
                "personnummer;läsår;skolenhetskod;program;bevis",
                diplomas,
            ),
            "diplomas",
        ),
    ]


@pytest.fixture
def completion_world(world: World, tmp_path: Path, settings) -> World:
    """``world`` with a warehouse: 30 upper-secondary students at each unit, 6 of them absent
    25 % of the time and leaving with a studiebevis."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    for unit, organizer, offset in (
        (world.own_unit, world.own, 0),
        (world.other_unit, world.other, 1000),
    ):
        for path, kind in _files(tmp_path, unit.code, organizer.organisation_number, offset):
            batch_import(path=path, kind=kind, by=None, organizer=organizer)
    return world
