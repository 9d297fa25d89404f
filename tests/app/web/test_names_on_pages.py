"""The shell's and the import pages show names, not codes (the labelling layer, issue #16)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.models import AuditEvent
from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory
from tests.factories.warehouse import enrolment_file


def _page(world: World, role: str, url: str) -> str:
    client = Client()
    client.force_login(world.users[role])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_audit_log_names_action_purpose_and_scope(world: World):
    AuditEvent.objects.create(
        username="analytiker",
        action="read",
        scope="quality.expected/organizer/years:[2025]/codes:2120001256",
        purpose="quality.basis",
    )
    page = _page(world, "administrator", reverse("web:audit-list"))
    assert "Läsning" in page
    assert "Analysunderlag" in page
    assert "Huvudman · 2024/25 · Kungsbacka kommun" in page
    assert ">read<" not in page
    assert "quality.basis" not in page


@pytest.mark.django_db
def test_school_unit_page_names_school_forms_and_programmes(world: World):
    unit = SchoolUnitFactory(
        code="87654321",
        name="Särgymnasiet",
        organizer=world.own,
        municipality=world.own_unit.municipality,
        school_forms=["anpassad_gymnasieskola", "gymnasieskola"],
    )
    page = _page(world, "principal", reverse("web:school-unit-detail", args=[unit.code]))
    assert "Anpassad gymnasieskola, Gymnasieskola" in page
    assert "anpassad_gymnasieskola" not in page


@pytest.mark.django_db
def test_enrolled_students_one_school_year_at_a_time_by_unit_name(world: World, tmp_path, settings):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    for year, seed in (("2023/24", 1), ("2024/25", 2)):
        path = tmp_path / f"elever-{seed}.csv"
        enrolment_file(
            path,
            organizer=world.own.organisation_number,
            school_unit=world.own_unit.code,
            students=30,
            seed=seed,
            year=year,
        )
        batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    url = reverse("warehouse:organizer-students", args=[world.own.organisation_number])
    page = _page(world, "organizer_analyst", url)
    assert "Elever den 15 oktober 2024/25 per skolenhet" in page
    assert '<a href="?ar=2024">2023/24</a>' in page
    assert "Björkris skola" in page
    assert "2 025" not in page
    assert "2 024" not in page
    earlier = _page(world, "organizer_analyst", url + "?ar=2024")
    assert "Elever den 15 oktober 2023/24 per skolenhet" in earlier


@pytest.mark.django_db
def test_principal_start_page_names_the_unit_and_its_municipality(world: World):
    page = _page(world, "principal", reverse("web:home"))
    assert "Björkris skola</a>" in page
    assert "Kungsbacka, skolenhetskod 65390344" in page


@pytest.mark.django_db
def test_organizer_page_lists_units_by_name_with_school_forms(world: World):
    page = _page(world, "organizer_analyst", reverse("web:organizer-detail", args=["2120001256"]))
    assert 'Björkris skola</a> <span class="code muted">65390344</span>' in page
    assert "<td>Grundskola</td>" in page
