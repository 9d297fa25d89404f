"""An organizer's upload may only hold rows of that organizer's own school units."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from likvard.warehouse.models import DataVersion, ImportBatch, ImportJob
from likvard.warehouse.services import ImportRejectedError, batch_import, warehouse_root
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _mixed_file(world: World, path, *, foreign_row: int) -> list[str]:
    """Enrolments of the own unit, one row (file row ``foreign_row``) at the other's unit."""
    numbers = enrolment_file(
        path,
        organizer=world.own.organisation_number,
        school_unit=world.own_unit.code,
        students=10,
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[foreign_row - 1] = lines[foreign_row - 1].replace(
        f";{world.own_unit.code};", f";{world.other_unit.code};"
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return numbers


def _nothing_written() -> bool:
    batches = warehouse_root() / "batches"
    return (
        ImportBatch.objects.count() == 0
        and DataVersion.objects.count() == 0
        and (not batches.exists() or not any(batches.iterdir()))
    )


@pytest.mark.django_db
def test_an_organizers_import_with_another_organizers_unit_is_refused(world: World, import_dirs):
    path = import_dirs / "elever.csv"
    numbers = _mixed_file(world, path, foreign_row=6)
    with pytest.raises(ImportRejectedError) as rejected:
        batch_import(
            path=path, kind="enrolments", by=world.users["organizer_analyst"], organizer=world.own
        )
    [issue] = rejected.value.issues
    assert (issue.file, issue.row, issue.column, issue.code) == (
        "elever.csv",
        6,
        "skolenhetskod",
        "outside_organizer",
    )
    assert issue.value_hint == world.other_unit.code
    assert issue.format_cli() == (
        f"elever.csv:6:skolenhetskod: school unit not one of the organizer's; expected one of "
        f"the organizer's school units ({world.own.name}) (got '{world.other_unit.code}')"
    )
    assert "huvudmannens skolenheter" in issue.message_sv
    assert not any(number in issue.message_en + issue.message_sv for number in numbers)
    assert _nothing_written()


@pytest.mark.django_db
def test_an_import_for_no_organizer_accepts_every_unit_in_the_register(world: World, import_dirs):
    path = import_dirs / "elever.csv"
    _mixed_file(world, path, foreign_row=6)
    outcome = batch_import(path=path, kind="enrolments", by=world.users["administrator"])
    assert outcome.rows == {"enrolments": 10}


@pytest.mark.django_db
def test_the_upload_page_names_the_row_in_swedish_and_imports_nothing(world: World, import_dirs):
    path = import_dirs / "elever.csv"
    _mixed_file(world, path, foreign_row=4)
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    with path.open("rb") as handle:
        response = client.post(
            reverse("warehouse:import-start"),
            {"kind": "enrolments", "organizer": world.own.organisation_number, "file": handle},
        )
    job = ImportJob.objects.get()
    assert [(i["row"], i["column"], i["code"]) for i in job.issues] == [
        (4, "skolenhetskod", "outside_organizer")
    ]
    page = client.get(response["Location"]).content.decode()
    row = re.search(r"<tr><td class=\"num\">(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)
    assert row is not None
    assert row.groups()[:2] == ("4", "skolenhetskod")
    assert "tillhör inte huvudmannen" in row.group(3)
    assert world.other_unit.code in row.group(3)
    assert "Importera filen" not in page
    client.post(reverse("warehouse:job-commit", args=[job.pk]), follow=True)
    assert _nothing_written()
