"""Vendor survey files through the ordinary import: once, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.warehouse.models import ImportBatch
from likvard.warehouse.services import ImportRejectedError, batch_import
from tests.app.conftest import World

HEAD = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;F1;F2;F3;F4;F5;F6;F7;F8;F10;F9;B1"
ROWS = [
    "gr-elev/2025;a1;2024/25;65390344;5;F;4;1;3;3;4;4;3;2;4;4;1",
    "gr-elev/2025;a2;2024/25;65390344;5;M;2;9;1;1;;3;3;3;3;3;2",
]


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "enkat.csv"
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def test_import_once_then_nothing_changes(world: World, import_dirs, tmp_path):
    path = _write(tmp_path, ROWS)
    analyst = world.users["organizer_analyst"]
    outcome = batch_import(path=path, kind="survey_answers", by=analyst, organizer=world.own)
    assert outcome.rows == {"survey_answers": 22}
    again = batch_import(path=path, kind="survey_answers", by=analyst, organizer=world.own)
    assert again.already_imported
    assert ImportBatch.objects.filter(kind="survey_answers").count() == 1


def test_a_value_off_the_scale_imports_nothing(world: World, import_dirs, tmp_path):
    rows = [ROWS[0], ROWS[1].replace(";1;;3;", ";7;;3;")]
    with pytest.raises(ImportRejectedError) as error:
        batch_import(path=_write(tmp_path, rows), kind="survey_answers", by=None)
    [issue] = error.value.issues
    assert (issue.row, issue.column, issue.code) == (3, "F4", "out_of_range")
    assert "utanför" in issue.message_sv
    assert not ImportBatch.objects.filter(kind="survey_answers").exists()


def test_another_organizers_unit_is_refused(world: World, import_dirs, tmp_path):
    rows = [ROWS[0].replace("65390344", world.other_unit.code)]
    with pytest.raises(ImportRejectedError) as error:
        batch_import(
            path=_write(tmp_path, rows),
            kind="survey_answers",
            by=world.users["organizer_analyst"],
            organizer=world.own,
        )
    assert [i.code for i in error.value.issues] == ["outside_organizer"]
