"""The guardians' survey is a second kind of respondent: its own definition, imported like the
pupils' and shown per school unit; its questionnaire refuses a pupils' file."""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import services
from likvard.warehouse.services import ImportRejectedError, batch_import
from likvard_core.analytics.surveys.definition import Respondents
from tests.app.conftest import World

HEAD = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;V1;V2;V3;V4;V5;V6"


def _file(tmp_path: Path, rows: list[str], head: str = HEAD) -> Path:
    path = tmp_path / "vardnadshavare.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def test_guardians_answers_give_the_units_indices(world: World, import_dirs, tmp_path: Path):
    version = services.survey_get(survey="gr-vh")
    assert version.respondents is Respondents.GUARDIANS
    rows = [f"gr-vh/2025;v{i};2024/25;{world.own_unit.code};2;;4;3;4;3;2;4" for i in range(12)]
    batch_import(path=_file(tmp_path, rows), kind="survey_answers", by=None)
    viewer = viewer_for(world.users["organizer_analyst"])
    report = services.survey_region_report(viewer=viewer, region=world.region, survey="gr-vh")
    shown = {
        r["index_key"]: r for r in report.tables["school_unit"].rows()
        if r["school_unit_code"] == world.own_unit.code
    }  # fmt: skip
    assert shown["trygghet"]["n"] == 12
    assert shown["trygghet"]["index_value"] == pytest.approx(10.0)
    assert shown["delaktighet"]["index_value"] == pytest.approx((20 / 3 + 10 / 3) / 2)
    assert report.trend == []  # the first version: nothing to compare with
    totals = [r for r in report.tables["region"].rows() if r["gender"] is None
              and r["year_group"] is None and r["index_key"] == "trygghet"]  # fmt: skip
    assert len(totals) == 1  # no gender: no gender row beside the total


def test_a_pupils_file_named_as_the_guardians_survey_is_refused(
    world: World, import_dirs, tmp_path: Path
):
    head = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;F1;F2;F3"
    rows = [f"gr-vh/2025;v1;2024/25;{world.own_unit.code};2;;4;3;4"]
    with pytest.raises(ImportRejectedError) as error:
        batch_import(path=_file(tmp_path, rows, head), kind="survey_answers", by=None)
    [issue] = error.value.issues
    assert (issue.column, issue.code) == ("F1", "survey_mismatch")
