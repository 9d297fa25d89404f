"""Nothing grows without bound: export files past their retention, old versions' kept tables
and cached pages are removed by the worker (issue #18)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.cache import cache
from django.utils import timezone

from likvard.warehouse import export_jobs, warm
from likvard.warehouse.export_jobs import export_dir, export_job_start
from likvard.warehouse.models import DataVersion, ExportJob, JobStatus
from likvard.warehouse.selectors import VersionRef, data_version_get, data_version_newest
from tests.app.conftest import World


@dataclass(frozen=True)
class _File:
    content: bytes
    content_type: str
    filename: str


@pytest.fixture
def tiny_export(monkeypatch) -> str:
    monkeypatch.setattr(export_jobs, "_BUILDERS", {})
    export_jobs.register_export("tiny", lambda viewer, params: _File(b"%PDF", "x/y", "a.pdf"))
    return "tiny"


def _done(job: ExportJob) -> Path:
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return export_dir() / job.file_path


@pytest.mark.django_db
def test_exports_past_their_retention_go_with_their_files(world: World, tiny_export, settings):
    settings.LIKVARD_EXPORT_RETENTION_DAYS = 7
    user = world.users["regional_coordinator"]
    old, recent = (
        export_job_start(user=user, builder=tiny_export, params={}, title=t) for t in "ab"
    )
    old_file, recent_file = _done(old), _done(recent)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    ExportJob.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - timedelta(days=6))
    orphan = export_dir() / str(uuid.uuid4())  # its user was deleted with the job row
    orphan.mkdir()
    (orphan / "b.pdf").write_bytes(b"%PDF")

    new = export_job_start(user=user, builder=tiny_export, params={}, title="c")

    assert _done(new).is_file()
    assert not old_file.exists()
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert recent_file.is_file()
    assert ExportJob.objects.filter(pk=recent.pk).exists()
    assert not orphan.exists()


@pytest.mark.django_db
def test_a_new_version_removes_old_versions_tables_and_cached_pages(
    monkeypatch, settings, tmp_path
):
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    monkeypatch.setattr(warm, "_WARMERS", {})
    monkeypatch.setattr(warm, "_RELEASE_WARMERS", {})

    def keep_table_and_page(version: VersionRef) -> None:
        version.derived("kept", {}, lambda: pa.table({"n": [version.number]}))
        cache.set(f"page:{version.key}", version.number, 3600)

    warm.register_warmer("kept", keep_table_and_page)
    versions: list[VersionRef] = []
    for number in (1, 2, 3):
        DataVersion.objects.create(number=number, reason="test")
        versions.append(data_version_newest())
        time.sleep(0.01)  # each warm-up begins after the last one's writes
        warm.warm_version(versions[-1])
    cache.set("page:not-yet", 4, 3600)  # written after the newest warm-up began: kept

    derived = tmp_path / "warehouse" / "derived"
    assert data_version_get().number == 3
    assert sorted(p.name for p in derived.iterdir()) == sorted(v.key for v in versions[1:])
    assert cache.get(f"page:{versions[0].key}") is None
    assert cache.get(f"page:{versions[1].key}") is None
    assert cache.get(f"page:{versions[2].key}") == 3
    assert cache.get("page:not-yet") == 4


@pytest.mark.django_db
def test_a_version_warmed_again_keeps_its_cached_pages(monkeypatch, settings, tmp_path):
    """``likvard warm`` on a version already warmed finds its entries and writes them not
    again; its sweep removed every entry written before it began (2,759 file entries of the
    demo to 263, and an owner's organizer page then took 7.4 s of CPU to release again)."""
    settings.LIKVARD_WARM_AFTER_IMPORT = True
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    monkeypatch.setattr(warm, "_WARMERS", {})
    monkeypatch.setattr(warm, "_RELEASE_WARMERS", {})

    def keep_page_once(version: VersionRef) -> None:
        if cache.get(f"page:{version.key}") is None:
            cache.set(f"page:{version.key}", version.number, 3600)

    warm.register_warmer("kept", keep_page_once)
    DataVersion.objects.create(number=1, reason="test")
    old = data_version_newest()
    warm.warm_version(old)
    time.sleep(0.01)
    DataVersion.objects.create(number=2, reason="test")
    version = data_version_newest()
    warm.warm_version(version)
    cache.set("page:visited", 2, 3600)  # a page a reader opened after the warm-up
    time.sleep(0.01)
    warm.warm_version(version)  # e.g. `likvard warm` after a restart

    assert cache.get(f"page:{version.key}") == 2
    assert cache.get("page:visited") == 2
    assert cache.get(f"page:{old.key}") is None


@pytest.mark.django_db
def test_the_database_cache_loses_its_expired_rows(settings):
    from django.core.management import call_command

    from likvard.warehouse.retention import cache_sweep

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "likvard_test_cache",
        },
    }
    call_command("createcachetable", "likvard_test_cache")
    cache.set("old", 1, timeout=1)
    cache.set("new", 2, timeout=3600)
    time.sleep(2.1)
    assert cache_sweep(before=None) == 1
    assert cache.get("new") == 2


def _aggregate(world: World):  # type: ignore[no-untyped-def]
    from likvard_core.disclosure.aggregate import Aggregate, Level, Population

    units = [world.own_unit.code, world.other_unit.code]
    return Aggregate(
        table=pa.table({"school_unit_code": units, "n": [3, 40]}),
        dims=("school_unit_code",),
        count="n",
        values=(),
        population=Population(
            scope="test/retention",
            organizers=frozenset({world.other.organisation_number}),
            level=Level.SCHOOL_UNIT,
        ),
        data_version="v1",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["file", "database"])
def test_a_release_decision_lasts_until_the_sweep_of_a_version_that_does_not_read_it(
    world: World, settings, tmp_path, monkeypatch, backend: str
):
    from django.core.management import call_command

    from likvard.access import release as gate
    from likvard.access.policy import viewer_for
    from likvard.warehouse.retention import cache_sweep

    if backend == "file":
        declared = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    else:
        declared = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "likvard_test_cache",
        }
        call_command("createcachetable", "likvard_test_cache")
    settings.CACHES = {**settings.CACHES, "default": declared}
    coordinator = viewer_for(world.users["regional_coordinator"])
    decided: list[int] = []
    real = gate.suppress_cube

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        decided.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gate, "suppress_cube", counting)
    gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    assert decided == [1]

    later = time.time() + 3 * 24 * 3600  # three days on: the decision is still kept
    monkeypatch.setattr(time, "time", lambda: later)
    assert cache_sweep(before=None) == 0
    gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    assert decided == [1]

    # A version whose warm-up began after it and did not read it: the sweep removes it.
    assert cache_sweep(before=later) >= 1
    gate.release(_aggregate(world), viewer=coordinator, purpose="t")
    assert decided == [1, 1]
