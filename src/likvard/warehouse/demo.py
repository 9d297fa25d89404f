"""The demo region's data: generated once, then imported through the ordinary pipeline.

``likvard_core.synth.demo`` writes the files a student system and an admissions office would
export for GR's and Skaraborg's municipalities; this module sends every one of them through
``batch_import``, exactly as a user's upload goes, so the demo exercises validation,
pseudonymisation and the all-or-nothing commit. Files are generated into the data directory
the first time and reused afterwards; importing them again changes nothing (same bytes, same
content hash).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from likvard.organisations.reference import SHIPPED_DIR
from likvard.warehouse.services import batch_import
from likvard_core.synth.demo import GROUND_TRUTH, DemoFile, demo_region_files
from likvard_core.synth.kolada import FILE_NAME as KOLADA_FILE
from likvard_core.synth.kolada import write_demo_kolada
from likvard_core.synth.komvux import FOLLOWUP_FILE as KOMVUX_FOLLOWUP_FILE
from likvard_core.synth.komvux import STARTS_FILE as KOMVUX_STARTS_FILE
from likvard_core.synth.komvux import write_demo_komvux
from likvard_core.synth.surveys import write_demo_surveys

logger = logging.getLogger(__name__)

DEMO_SEED = 2026
DEMO_YEARS = range(2016, 2026)


@dataclass(frozen=True, slots=True)
class DemoImport:
    """What importing the demo files did: files imported now, files already there, rows added."""

    imported: int
    already: int
    rows: int


def demo_files_dir(scale: float, years: range = DEMO_YEARS) -> Path:
    """Where the demo files of ``scale`` are kept (under the installation's data directory)."""
    name = f"seed{DEMO_SEED}-scale{scale:g}-{years.start}-{years.stop - 1}"
    return Path(settings.DATA_DIR) / "demo" / name


def demo_files_ensure(scale: float, years: range = DEMO_YEARS) -> list[DemoFile]:
    """The demo's import files, generated on first use (deterministic for seed and scale).

    Besides the student-system files and the population, a synthetic Kolada answer
    (``likvard_core.synth.kolada``) gives the quality catalogue's public indicators values,
    and GR's pupil survey gets a vendor file per version (``likvard_core.synth.surveys``),
    and komvux starts and follow-up (``likvard_core.synth.komvux``) fill the komvux pages;
    these are written beside the other files (which stay byte-identical) on every call.
    """
    out_dir = demo_files_dir(scale, years)
    if (out_dir / GROUND_TRUTH).exists():
        komvux = {KOMVUX_STARTS_FILE, KOMVUX_FOLLOWUP_FILE}
        files = [f for f in _existing_files(out_dir) if f.path.name not in komvux]
    else:
        logger.info("generating demo files at scale %s into %s", scale, out_dir)
        files = demo_region_files(SHIPPED_DIR, out_dir, seed=DEMO_SEED, years=years, scale=scale)
    kolada = out_dir / KOLADA_FILE
    values = write_demo_kolada(SHIPPED_DIR, kolada, seed=DEMO_SEED, school_years=years)
    surveys = [  # GR's pupil survey, two versions (likvard_core.synth.surveys)
        DemoFile("survey_answers", year, path, rows)
        for year, path, rows in write_demo_surveys(
            SHIPPED_DIR, out_dir, seed=DEMO_SEED, years=years
        )
    ]
    files = [f for f in files if f.kind != "survey_answers"]
    adult = write_demo_komvux(SHIPPED_DIR, out_dir, seed=DEMO_SEED, years=years)
    return [
        *files,
        DemoFile("kolada", max(years), kolada, values),
        *surveys,
        *(DemoFile(kind, max(years), path, rows) for kind, path, rows in adult),
    ]


def _existing_files(out_dir: Path) -> list[DemoFile]:
    last = max(int(p.name.split("-")[0]) + 1 for p in out_dir.iterdir() if p.is_dir())
    files = [DemoFile(path.stem, last, path, rows=-1) for path in sorted(out_dir.glob("*.csv"))]
    for path in sorted(out_dir.glob("*/*.csv")):
        spring = int(path.parent.name.split("-")[0]) + 1
        files.append(DemoFile(path.stem, spring, path, rows=-1))
    return files


def demo_data_import(
    *,
    scale: float,
    years: range = DEMO_YEARS,
    by: AbstractBaseUser | None,
    on_file: Callable[[DemoFile, int, int], None] | None = None,
) -> DemoImport:
    """Import every demo file through ``batch_import``; ``on_file(file, index, total)`` reports.

    Raises ``ImportRejectedError`` if a generated file does not validate (a generator bug:
    nothing of that file is written, the files before it stay committed).
    """
    files = sorted(demo_files_ensure(scale, years), key=lambda f: (f.school_year, f.kind))
    imported = already = rows = 0
    for index, demo_file in enumerate(files):
        if on_file is not None:
            on_file(demo_file, index, len(files))
        outcome = batch_import(
            path=demo_file.path,
            kind=demo_file.kind,
            by=by,
            file_name=f"demo/{demo_file.path.parent.name}/{demo_file.path.name}",
        )
        if outcome.already_imported:
            already += 1
        else:
            imported += 1
            rows += sum(outcome.rows.values())
    return DemoImport(imported=imported, already=already, rows=rows)
