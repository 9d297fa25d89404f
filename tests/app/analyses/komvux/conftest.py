"""Komvux app tests: a throw-away warehouse with starts in Kungsbacka and Mölndal."""

from __future__ import annotations

import pytest

from likvard.warehouse.services import batch_import
from tests.app.conftest import World

HEADER = (
    "kommun;kurstillfälle;startdatum;kurskod;kursnamn;typ;anordnare;anordnartyp;"
    "kommunal eller regional;platser;sökande;förstahandssökande;behöriga sökande;antagna;"
    "kontrolldatum;registrerade;slutfört;avbrutit"
)
STARTS = [
    "1384;K1;2024-08-19;VARUSK;Undersköterska;program;Lärcentrum Kungsbacka;egen regi;regional;"
    "24;60;30;40;24;2024-09-15;23;18;4",
    "1384;K2;2024-08-26;SVASVA01;Svenska som andraspråk 1;kurs;Hermods;upphandlad;kommunal;"
    "30;40;20;30;30;2024-09-20;28;20;5",
    "1384;K3;2024-08-26;BAGKON;Bageri och konditori;program;Hermods;upphandlad;regional;"
    "8;4;2;3;3;2024-09-20;3;2;1",  # three enrolled: too few to show to others
    "1481;M1;2024-08-19;VARUSK;Undersköterska;program;Lärcentrum Mölndal;egen regi;regional;"
    "24;50;25;35;24;2024-09-15;22;17;3",
    "1481;M2;2024-01-15;ELINST;Elinstallatör;program;Lernia;upphandlad;regional;"
    "20;45;30;35;20;2024-02-12;20;16;2",
]
FOLLOWUP = [
    "1384;K1;6;16;12;2",
    "1384;K2;6;18;9;4",
    "1481;M1;6;15;11;2",
    "1481;M2;6;14;12;1",
]


@pytest.fixture
def komvux_data(world: World, settings, tmp_path) -> World:
    """The world with five starts (2024) and their six-month follow-up imported."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = world.users["administrator"]
    starts = tmp_path / "starter.csv"
    starts.write_text("\n".join([HEADER, *STARTS]) + "\n", encoding="utf-8")
    followup = tmp_path / "uppfoljning.csv"
    followup.write_text(
        "kommun;kurstillfälle;månader;uppföljda;i arbete;i studier\n" + "\n".join(FOLLOWUP) + "\n",
        encoding="utf-8",
    )
    batch_import(path=starts, kind="komvux_starts", by=admin)
    batch_import(path=followup, kind="komvux_followup", by=admin)
    return world


RUNNING = [  # two 2025 starts of one course, neither ended: no results reported yet
    "1384;K4;2025-08-18;RESTKO;Restaurang och kök;program;Hermods;upphandlad;regional;"
    "20;30;15;20;14;2025-09-15;14;;",
    "1384;K5;2025-08-25;RESTKO;Restaurang och kök;program;Hermods;upphandlad;regional;"
    "8;6;3;4;3;2025-09-20;3;;",  # three enrolled: too few to show to others
]


@pytest.fixture
def komvux_running(komvux_data: World, tmp_path) -> World:
    """``komvux_data`` with two running 2025 starts of one course (the demo's last year)."""
    starts = tmp_path / "starter-2025.csv"
    starts.write_text("\n".join([HEADER, *STARTS, *RUNNING]) + "\n", encoding="utf-8")
    batch_import(path=starts, kind="komvux_starts", by=komvux_data.users["administrator"])
    return komvux_data
