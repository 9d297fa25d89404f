"""Imports are all or nothing and idempotent; student-level reads are audited, others suppressed."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from likvard.access.models import AuditEvent, Role
from likvard.access.policy import viewer_for
from likvard.warehouse import reports
from likvard.warehouse.models import DataVersion, ImportBatch
from likvard.warehouse.reports import organizer_enrolment_report
from likvard.warehouse.services import ImportRejectedError, batch_import
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.warehouse import enrolment_file


@pytest.fixture
def imported(world: World, tmp_path, settings):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    path = tmp_path / "elever.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=23
    )
    outcome = batch_import(
        path=path, kind="enrolments", by=world.users["organizer_analyst"], organizer=world.own
    )
    return path, outcome


@pytest.mark.django_db
def test_import_then_repeat_changes_nothing(world: World, imported):
    path, outcome = imported
    assert outcome.rows == {"enrolments": 23}
    assert DataVersion.objects.count() == 1
    again = batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    assert again.already_imported
    assert again.batch.id == outcome.batch.id
    assert ImportBatch.objects.count() == 1
    assert DataVersion.objects.count() == 1


@pytest.mark.django_db
def test_bad_personnummer_imports_nothing_and_hides_the_number(world: World, tmp_path, settings):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    path = tmp_path / "elever.csv"
    numbers = enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=12
    )
    bad = numbers[6][:-1] + str((int(numbers[6][-1]) + 1) % 10)
    path.write_text(path.read_text(encoding="utf-8").replace(numbers[6], bad), encoding="utf-8")
    with pytest.raises(ImportRejectedError) as error:
        batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    [issue] = error.value.issues
    assert (issue.file, issue.row, issue.column) == ("elever.csv", 8, "personnummer")
    assert bad not in issue.format_cli()
    assert bad[-4:] not in issue.message_sv
    assert ImportBatch.objects.count() == 0
    assert not list((tmp_path / "warehouse").glob("batches/*"))


@pytest.mark.django_db
def test_own_analyst_sees_full_figures_and_is_audited(world: World, imported):
    viewer = viewer_for(world.users["organizer_analyst"])
    report = organizer_enrolment_report(viewer=viewer, organizer=world.own)
    assert report.released.full
    rows = report.released.rows()
    assert sum(r["students"] for r in rows) == 23
    [event] = AuditEvent.objects.all()
    assert event.username == "analytiker"
    assert event.scope == f"organizers:{world.own.organisation_number}"
    assert event.data_version.startswith("v1")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_analyst", "regional_coordinator", "administrator"])
def test_others_see_suppressed_figures_and_no_audit(world: World, imported, role: str):
    viewer = viewer_for(world.users[role])
    report = organizer_enrolment_report(viewer=viewer, organizer=world.own)
    assert not report.released.full
    rows = report.released.rows()
    # 11 girls and 12 boys: both at least the school unit minimum of 10, so shown; not audited.
    assert sorted(r["students"] for r in rows) == [11, 12]
    assert {r["status"] for r in rows} <= {"exists", "too_few", "suppressed_complementary"}
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_small_groups_are_hidden_from_other_organizers(world: World, tmp_path, settings):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    path = tmp_path / "elever.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=15
    )
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    other = organizer_enrolment_report(
        viewer=viewer_for(world.users["other_analyst"]), organizer=world.own
    )
    statuses = sorted(r["status"] for r in other.released.rows())
    assert statuses == ["too_few", "too_few"]  # 7 girls and 8 boys: both under 10
    assert all(r["students"] is None for r in other.released.rows())
    own = organizer_enrolment_report(
        viewer=viewer_for(world.users["organizer_analyst"]), organizer=world.own
    )
    assert sorted(r["students"] for r in own.released.rows()) == [7, 8]


@pytest.mark.django_db
def test_students_page_for_owner_and_other(world: World, imported):
    url = f"/huvudman/{world.own.organisation_number}/elever/"
    owner = Client()
    owner.force_login(world.users["organizer_analyst"])
    page = owner.get(url).content.decode()
    assert "Läsningen har loggats i granskningsloggen" in page
    other = Client()
    other.force_login(world.users["other_analyst"])
    assert "Grupper med färre elever" in other.get(url).content.decode()


@pytest.mark.django_db
def test_the_student_page_is_released_once_for_a_class_and_audited_alike(
    world: World, imported, monkeypatch
):
    """The organizer's student page reads its released figures from the cache for the next
    reader of the same rights class (issue #16: a DuckDB snapshot queried on every request,
    0.3-1.2 s warm at load 8-10); every reader is audited for the same read."""
    calls: list[str] = []
    real = reports.release

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["purpose"])
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "release", counting)
    caches["default"].clear()
    colleague = user_with_role(
        "analytiker.kollega", Role.ORGANIZER_ANALYST, organizer=world.own.organisation_number
    )
    url = f"/huvudman/{world.own.organisation_number}/elever/"
    pages = []
    for user in (world.users["organizer_analyst"], colleague, world.users["organizer_analyst"]):
        client = Client()
        client.force_login(user)
        page = client.get(url).content.decode()
        pages.append(page[page.index('<main id="main"') : page.index("</main>")])
    assert calls == ["enrolment overview"]
    assert pages[0] == pages[1] == pages[2]
    assert world.own_unit.name in pages[0]
    scopes = [(e.username, e.scope, e.purpose) for e in AuditEvent.objects.order_by("pk")]
    read = (f"organizers:{world.own.organisation_number}", "enrolment overview")
    assert scopes == [("analytiker", *read), ("analytiker.kollega", *read), ("analytiker", *read)]
    client = Client()
    client.force_login(world.users["other_analyst"])
    client.get(url)
    assert calls == ["enrolment overview"] * 2  # another rights class: its own release
