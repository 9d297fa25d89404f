"""Import history per role, batch withdrawal, and the publication-level switch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.models import PublicationChange, PublicationLevel
from likvard.access.policy import viewer_for
from likvard.access.publication import publication_level_set, withdrawn_levels
from likvard.warehouse.models import BatchStatus, DataVersion, ImportBatch
from likvard.warehouse.reports import organizer_enrolment_report
from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.fixture
def batch(world: World, import_dirs) -> ImportBatch:
    path = import_dirs / "elever.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=23
    )
    return batch_import(
        path=path, kind="enrolments", by=world.users["organizer_analyst"], organizer=world.own
    ).batch


@pytest.mark.django_db
def test_history_is_scoped_by_role(world: World, batch):
    own = _client(world, "organizer_analyst").get(reverse("warehouse:import-history"))
    assert "elever.csv" in own.content.decode()
    assert batch.content_hash[:16] in own.content.decode()
    other = _client(world, "other_analyst").get(reverse("warehouse:import-history"))
    assert other.status_code == 200
    assert "elever.csv" not in other.content.decode()
    admin = _client(world, "administrator").get(reverse("warehouse:import-history"))
    assert "elever.csv" in admin.content.decode()
    assert "analytiker" in admin.content.decode()
    assert _client(world, "principal").get(reverse("warehouse:import-history")).status_code == 403


@pytest.mark.django_db
def test_history_names_kinds_and_tables_in_swedish(world: World, batch):
    page = _client(world, "organizer_analyst").get(reverse("warehouse:import-history"))
    html = page.content.decode()
    assert html.count("Inskrivna elever (15 oktober)") == 2  # the kind, and its table's rows
    assert "Inskrivna elever (15 oktober): 23" in html
    assert ">enrolments<" not in html
    assert "enrolments:" not in html


@pytest.mark.django_db
def test_withdrawal_needs_confirmation_then_removes_rows(world: World, batch):
    viewer = viewer_for(world.users["organizer_analyst"])
    assert (
        sum(
            r["students"]
            for r in organizer_enrolment_report(viewer=viewer, organizer=world.own).released.rows()
        )
        == 23
    )
    client = _client(world, "organizer_analyst")
    url = reverse("warehouse:batch-withdraw", args=[batch.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Återkalla importen" in confirm.content.decode()
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    done = client.post(url, {"confirm": "on"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.WITHDRAWN
    assert batch.withdrawn_by == world.users["organizer_analyst"]
    assert DataVersion.objects.count() == 2
    text = done.content.decode()
    assert "är återkallad" in text
    assert "Återkallad" in text
    assert "av analytiker" in text
    report = organizer_enrolment_report(viewer=viewer, organizer=world.own)
    assert report.released.rows() == []
    # an older version still has the batch, so earlier figures can be reproduced
    assert DataVersion.objects.get(number=1).batches.filter(pk=batch.pk).exists()
    assert client.get(url).status_code == 404  # a withdrawn batch cannot be withdrawn again


@pytest.mark.django_db
def test_others_cannot_withdraw(world: World, batch):
    url = reverse("warehouse:batch-withdraw", args=[batch.pk])
    assert _client(world, "other_analyst").post(url, {"confirm": "on"}).status_code == 404
    assert _client(world, "principal").post(url, {"confirm": "on"}).status_code == 403
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED


@pytest.mark.django_db
def test_withdrawn_level_hides_rows_from_others_and_is_logged(world: World, batch):
    admin = _client(world, "administrator")
    response = admin.post(
        reverse("warehouse:publication-settings"),
        {"level": "school_unit", "withdrawn": "1", "reason": "Granskning av röjanderisk"},
        follow=True,
    )
    assert response.status_code == 200
    assert "ändrad och loggad" in response.content.decode()
    [change] = PublicationChange.objects.all()
    assert (change.level, change.withdrawn, change.changed_by_name) == (
        "school_unit",
        True,
        "admin",
    )
    assert withdrawn_levels() == {"school_unit"}

    other = organizer_enrolment_report(
        viewer=viewer_for(world.users["other_analyst"]), organizer=world.own
    ).released.rows()
    assert other
    assert {r["status"] for r in other} == {"withdrawn"}
    assert all(r["students"] is None for r in other)
    own = organizer_enrolment_report(
        viewer=viewer_for(world.users["organizer_analyst"]), organizer=world.own
    ).released.rows()
    assert sum(r["students"] for r in own) == 23  # those with the right still see their data

    publication_level_set(
        viewer=viewer_for(world.users["administrator"]),
        level=PublicationLevel.SCHOOL_UNIT,
        withdrawn=False,
    )
    again = organizer_enrolment_report(
        viewer=viewer_for(world.users["other_analyst"]), organizer=world.own
    ).released.rows()
    assert sorted(r["students"] for r in again) == [11, 12]
    page = admin.get(reverse("warehouse:publication-settings")).content.decode()
    assert "Granskning av röjanderisk" in page
    assert page.count("<td>admin</td>") == 2


@pytest.mark.django_db
def test_other_level_withdrawn_leaves_school_unit_rows(world: World, batch):
    publication_level_set(
        viewer=viewer_for(world.users["administrator"]),
        level=PublicationLevel.MUNICIPALITY,
        withdrawn=True,
    )
    rows = organizer_enrolment_report(
        viewer=viewer_for(world.users["other_analyst"]), organizer=world.own
    ).released.rows()
    assert {r["status"] for r in rows} == {"exists"}


@pytest.mark.django_db
def test_only_administrators_change_publication(world: World):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publication_level_set(
            viewer=viewer_for(world.users["organizer_analyst"]),
            level=PublicationLevel.ORGANIZER,
            withdrawn=True,
        )
    response = _client(world, "organizer_analyst").post(
        reverse("warehouse:publication-settings"), {"level": "organizer", "withdrawn": "1"}
    )
    assert response.status_code == 403
    assert PublicationChange.objects.count() == 0
