"""Warmers run once per new data version after an import commits, and never fail the import."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from likvard.warehouse import warm
from likvard.warehouse.models import ImportJob, JobStatus
from likvard.warehouse.selectors import VersionRef, data_version_get
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


@pytest.fixture
def warmers(monkeypatch) -> list[str]:
    """Only this test's warmers: one that records the version, one that fails."""
    seen: list[str] = []
    monkeypatch.setattr(warm, "_WARMERS", {})
    monkeypatch.setattr(warm, "_RELEASE_WARMERS", {})

    def record(version: VersionRef) -> None:
        seen.append(version.label)

    def broken(version: VersionRef) -> None:
        raise RuntimeError("boom")

    warm.register_warmer("broken", broken)
    warm.register_warmer("record", record)
    return seen


def test_the_apps_register_their_warmers() -> None:
    assert {"equity", "movement", "quality"} <= set(warm.registered_warmers())


@pytest.mark.django_db
def test_a_commit_warms_the_new_version_once(world: World, import_dirs, warmers, caplog, settings):
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    path = import_dirs / "elever.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=12
    )
    client = Client()
    client.force_login(world.users["organizer_analyst"])

    def upload_and_commit() -> ImportJob:
        with path.open("rb") as handle:
            client.post(
                reverse("warehouse:import-start"),
                {"kind": "enrolments", "organizer": world.own.organisation_number, "file": handle},
            )
        job = ImportJob.objects.order_by("-created_at").first()
        assert job is not None
        if job.valid:
            client.post(reverse("warehouse:job-commit", args=[job.pk]))
        job.refresh_from_db()
        return job

    job = upload_and_commit()
    assert job.status == JobStatus.DONE
    assert warmers == [data_version_get().label]  # the broken warmer did not stop the other
    assert "warming broken" in caplog.text
    assert "RuntimeError" in caplog.text
    again = upload_and_commit()  # the same file: no new version, nothing to warm
    assert again.already_imported
    assert warmers == [data_version_get().label]


@pytest.mark.django_db
def test_cli_warm_reports_each_warmer(warmers) -> None:
    from likvard.cli.warm import warm as warm_command

    result = CliRunner().invoke(warm_command, [])
    assert result.exit_code == 0, result.output
    assert "record: klar på" in result.output
    assert "broken: misslyckades" in result.output
    assert warmers == ["v0"]


@pytest.mark.django_db
def test_every_registered_warmer_succeeds_on_a_real_version(world: World, import_dirs) -> None:
    from likvard.warehouse.services import batch_import

    path = import_dirs / "elever.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code, students=12
    )
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    seconds = warm.warm_version()
    assert set(seconds) == set(warm.registered_warmers())
    again = warm.warm_version()  # kept: the second run reads what the first wrote
    assert set(again) == set(seconds)
