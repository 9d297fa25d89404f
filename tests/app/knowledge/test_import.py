"""Bulk import from a spreadsheet: all or nothing, problems named by row and column."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from likvard.access.policy import viewer_for
from likvard.cli.knowledge import knowledge
from likvard.knowledge.models import Item
from likvard.knowledge.services.exports import items_export
from likvard.knowledge.services.imports import ImportRejectedError, items_import
from likvard.knowledge.services.search import knowledge_search
from likvard.quality.services import catalogue_load_shipped
from tests.app.conftest import World
from tests.app.networks.attachment_files import pdf_bytes

HEADER = ["titel", "sammanfattning", "typ", "synlighet", "region", "framgangsfaktorer", "filer"]
GOOD = ["Närvarotrappan", "Rutiner för frånvaro.", "verktyg", "offentlig", "gr", "", ""]


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def editor(world: World):
    catalogue_load_shipped()
    return world.users["regional_coordinator"]


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_row_and_column(world: World, editor):
    bad = ["Elevhälsa", "Om elevhälsan.", "blogg", "offentlig", "gr", "", ""]
    data = _xlsx([GOOD, [*GOOD[:1], "Andra raden.", *GOOD[2:]], bad])
    with pytest.raises(ImportRejectedError) as rejected:
        items_import(name="material.xlsx", data=data, viewer=viewer_for(editor), by=editor)
    lines = [issue.line() for issue in rejected.value.issues]
    assert len(lines) == 1
    assert lines[0].startswith("material.xlsx:4:typ: ")
    assert "blogg" in lines[0]
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_a_good_sheet_imports_every_row_with_files_and_tags(
    world: World, editor, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "filer"
    folder.mkdir()
    (folder / "elevrorelser.pdf").write_bytes(pdf_bytes())
    rows = [
        GOOD,
        [
            "Resor mellan kommuner",
            "Om elevrörelser.",
            "Rapport",
            "regional",
            "gr",
            "sf_systematic_quality_work",
            "elevrorelser.pdf",
        ],
    ]
    created = items_import(
        name="material.xlsx", data=_xlsx(rows), viewer=viewer_for(editor), by=editor, folder=folder
    )
    assert [i.title for i in created] == ["Närvarotrappan", "Resor mellan kommuner"]
    report = created[1]
    assert report.files.count() == 1
    assert [f.code for f in report.success_factors.all()] == ["sf_systematic_quality_work"]
    # the PDF's text ("Beroendekartor visar elevernas resor ...") is searchable by a stem
    hits = knowledge_search(viewer=viewer_for(editor), query="beroendekarta")
    assert [h.item.pk for h in hits] == [report.pk]


@pytest.mark.django_db
def test_a_row_outside_the_editors_scope_and_a_missing_file_are_refused(world: World):
    catalogue_load_shipped()
    member = world.users["network_member"]
    text = "titel;sammanfattning;typ;synlighet;region;filer\nA;B;rapport;offentlig;gr;saknas.pdf\n"
    with pytest.raises(ImportRejectedError) as rejected:
        items_import(name="m.csv", data=text.encode(), viewer=viewer_for(member), by=member)
    lines = sorted(issue.line() for issue in rejected.value.issues)
    assert lines == [
        "m.csv:2:filer: filen 'saknas.pdf' finns inte",
        "m.csv:2:region: du är inte redaktör här",
    ]


@pytest.mark.django_db
def test_cli_import_prints_file_row_column_and_export_round_trips(world: World, editor, tmp_path):
    sheet = tmp_path / "material.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(GOOD)
        writer.writerow(["X", "Y", "rapport", "hemlig", "gr", "", ""])
    runner = CliRunner()
    result = runner.invoke(knowledge, ["import", str(sheet), "--user", editor.username])
    assert result.exit_code == 1
    assert "material.csv:3:synlighet: okänt värde 'hemlig'" in result.output
    assert Item.objects.count() == 0
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("hemlig", "regional"), "utf-8")
    result = runner.invoke(knowledge, ["import", str(sheet), "--user", editor.username])
    assert result.exit_code == 0, result.output
    assert Item.objects.count() == 2
    exported = items_export(viewer=viewer_for(editor))
    sheet = load_workbook(io.BytesIO(exported)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # The shared renderer: Swedish headers and words, names for the region, header frozen.
    assert rows[0][:6] == ["titel", "sammanfattning", "typ", "synlighet", "region", "nätverk"]
    assert {"språk", "ämnen"} <= set(rows[0])
    items = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {(i["typ"], i["region"], i["språk"]) for i in items} == {
        ("Verktyg", world.region.name, "svenska"),
        ("Rapport", world.region.name, "svenska"),
    }
    assert sheet.freeze_panes == "A2"
    again = items_import(name="export.xlsx", data=exported, viewer=viewer_for(editor), by=editor)
    assert sorted(i.title for i in again) == ["Närvarotrappan", "X"]


@pytest.mark.django_db
def test_import_page_lists_every_problem_and_imports_nothing(world: World, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(editor)
    text = (
        "titel;sammanfattning;typ;synlighet;region\n"
        "A;B;rapport;offentlig;gr\n"
        "C;D;rapport;offentlig;xx\n"
    )
    sheet = SimpleUploadedFile("material.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("knowledge:import"), {"sheet": sheet})
    assert response.status_code == 400
    assert "material.csv:3:region: okänd region &#x27;xx&#x27;" in response.content.decode()
    assert Item.objects.count() == 0
