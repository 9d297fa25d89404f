"""The demo data goes in through the ordinary import pipeline, and a repeat changes nothing."""

from __future__ import annotations

import json

import pytest

from likvard.organisations.services import reference_load
from likvard.warehouse.demo import demo_data_import, demo_files_dir
from likvard.warehouse.models import BatchStatus, ImportBatch
from likvard.warehouse.selectors import data_version_get
from likvard_core.synth.demo import GROUND_TRUTH

YEARS = range(2024, 2026)
YEARLY = {
    "enrolments",
    "final_grades",
    "national_tests",
    "course_grades",
    "absence",
    "admissions",
    "diplomas",
    "incidents",
}
KINDS = {*YEARLY, "population", "kolada", "komvux_starts", "komvux_followup", "survey_answers"}
"""Population, Kolada and the two komvux files: one file each for the whole period; the GR
survey's answers: one file per survey version, the pupils' (2024 and 2025) and the guardians'
(2025)."""
SURVEY_FILES = 3


@pytest.mark.slow
def test_demo_files_import_once_and_match_their_row_counts(db, import_dirs, settings):
    settings.DATA_DIR = import_dirs
    reference_load()  # the demo's school units are the register's
    first = demo_data_import(scale=0.02, years=YEARS, by=None)

    batches = ImportBatch.objects.filter(status=BatchStatus.COMMITTED)
    assert first.imported == len(YEARLY) * len(YEARS) + 4 + SURVEY_FILES == batches.count()
    assert {b.kind for b in batches} == KINDS
    assert first.rows == sum(sum(b.rows.values()) for b in batches) > 0

    with data_version_get().open() as snapshot:
        counts = snapshot.query(
            "SELECT count(*) AS n, count(DISTINCT school_year) AS years FROM enrolments"
        ).to_pylist()[0]
        keys = snapshot.query("SELECT min(length(student_key)) AS k FROM enrolments").to_pylist()[0]
    assert counts["years"] == len(YEARS)
    assert counts["n"] == sum(b.rows.get("enrolments", 0) for b in batches)
    assert keys["k"] >= 32  # keyed hashes, not personnummer (12 characters)

    truth = json.loads((demo_files_dir(0.02, YEARS) / GROUND_TRUTH).read_text())
    assert truth  # the generator recorded what the analyses should find

    again = demo_data_import(scale=0.02, years=YEARS, by=None)
    assert (again.imported, again.already, again.rows) == (0, first.imported, 0)
    assert ImportBatch.objects.filter(status=BatchStatus.COMMITTED).count() == batches.count()
