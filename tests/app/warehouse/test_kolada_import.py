"""Kolada key figures: imported by administrators, once, and shown in the analysis basis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from django.utils import translation

from likvard.access.policy import viewer_for
from likvard.cli.imports import import_files
from likvard.quality.services import basis as basis_services
from likvard.warehouse.kinds import import_kinds
from likvard.warehouse.models import ImportBatch, ImportJob
from likvard.warehouse.services import ImportRejectedError, batch_import
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file

YEAR = 2025


def _answer(municipality: str = "1384") -> dict[str, object]:
    def record(kpi: str, period: int, total: float | None) -> dict[str, object]:
        values = [{"gender": "T", "count": 1, "status": "", "value": total}]
        return {"kpi": kpi, "municipality": municipality, "period": period, "values": values}

    return {
        "count": 3,
        "values": [
            record("N15033", YEAR - 1, 12.4),  # 15 October 2024: läsår 2024/25
            record("N17448", YEAR, 71.3),
            record("N15813", YEAR - 1, None),  # published without a value
        ],
    }


def _write(tmp_path: Path, answer: object) -> Path:
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps(answer), encoding="utf-8")
    return path


def _block(basis, code: str):
    return next(b for b in basis.all_blocks() if b.indicator.code == code)


def test_only_administrators_are_offered_the_kind(world: World):
    names = {
        role: {k.name for k in import_kinds(viewer=viewer_for(world.users[role]))}
        for role in ("administrator", "organizer_analyst")
    }
    assert "kolada" in names["administrator"]
    assert "kolada" not in names["organizer_analyst"]
    with translation.override("sv"):
        [option] = [
            k
            for k in import_kinds(viewer=viewer_for(world.users["administrator"]))
            if k.name == "kolada"
        ]
    assert option.label == "Nyckeltal från Kolada"
    assert option.has_docs
    assert not option.student_level


def test_import_once_and_read_in_the_organizer_basis(world: World, import_dirs, tmp_path):
    path = _write(tmp_path, _answer())
    admin = world.users["administrator"]
    outcome = batch_import(path=path, kind="kolada", by=admin)
    assert outcome.rows == {"public_stats": 3}
    again = batch_import(path=path, kind="kolada", by=admin)
    assert again.already_imported
    assert ImportBatch.objects.filter(kind="kolada").count() == 1

    enrolments = tmp_path / "elever.csv"  # the basis finds the organizer's municipality here
    enrolment_file(
        enrolments,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=12,
    )
    batch_import(path=enrolments, kind="enrolments", by=None, organizer=world.own)
    viewer = viewer_for(world.users["organizer_analyst"])
    basis = basis_services.organizer_basis(viewer=viewer, organizer=world.own, year=YEAR)

    # Published per municipality: shown as Kungsbacka's figure, not the organizer's own (#16).
    def municipality(code: str):
        block = _block(basis, code)
        assert not block.value.shown
        return next(c.figure for c in block.comparisons if c.kind == "municipality")

    teachers = municipality("students_per_teacher")
    assert (teachers.value, teachers.status) == (pytest.approx(12.4), "exists")
    assert municipality("gy_diploma_3y").value == pytest.approx(71.3)
    qualified = municipality("qualified_teachers")
    assert (qualified.value, qualified.status) == (None, "missing")


def test_a_bad_file_is_rejected_whole(world: World, import_dirs, tmp_path):
    answer = _answer()
    answer["values"][1]["municipality"] = "1999"  # type: ignore[index]
    with pytest.raises(ImportRejectedError) as error:
        batch_import(path=_write(tmp_path, answer), kind="kolada", by=None)
    [issue] = error.value.issues
    assert (issue.row, issue.column, issue.code) == (2, "values[1].municipality", "invalid_code")
    assert "kommunkod" in issue.message_sv
    assert not ImportBatch.objects.filter(kind="kolada").exists()


def test_cli_imports_and_lists_located_problems(world: World, import_dirs, tmp_path):
    good = _write(tmp_path, _answer())
    runner = CliRunner()
    result = runner.invoke(import_files, ["kolada", str(good)])
    assert result.exit_code == 0, result.output
    bad_answer = _answer()
    bad_answer["values"][0]["values"][0]["value"] = "12,4"  # type: ignore[index]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_answer), encoding="utf-8")
    result = runner.invoke(import_files, ["kolada", str(bad)])
    assert result.exit_code == 1
    assert (
        "bad.json:1:values[0].values[0].value: inte ett tal, förväntade ett tal eller null"
        in result.output
    )


def test_upload_preview_shows_the_values_in_swedish(world: World, import_dirs, tmp_path):
    client = Client()
    client.force_login(world.users["administrator"])
    with _write(tmp_path, _answer()).open("rb") as handle:
        response = client.post(
            reverse("warehouse:import-start"), {"kind": "kolada", "file": handle}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.valid
    page = client.get(response["Location"]).content.decode()
    assert "period (år)" in page
    assert "N15033" in page


def test_kind_docs_page(world: World):
    client = Client()
    client.force_login(world.users["administrator"])
    response = client.get(reverse("warehouse:kind-docs", kwargs={"kind": "kolada"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Spara Koladas svar (JSON)" in page
    assert "&quot;kpi&quot;: &quot;N17448&quot;" in page  # the example answer, escaped
    assert "AUTUMN_CENSUS_KPIS" not in page  # the English developer docs are not shown
