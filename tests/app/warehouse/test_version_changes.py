"""What a warm-up may update instead of compute: the previous complete version and the school
years an import or a withdrawal changed (issue #18)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.conf import settings

from likvard.analyses.equity import updates
from likvard.analyses.movement.selectors import movement_reference
from likvard.analyses.movement.services.cells import movement_derived_update
from likvard.analyses.movement.warm import warm_movement
from likvard.quality.services.basis import _school_municipalities
from likvard.quality.services.basis_context import _split, basis_context_update
from likvard.quality.warm import warm_quality
from likvard.warehouse import selectors
from likvard.warehouse.models import ImportBatch
from likvard.warehouse.selectors import (
    VersionRef,
    data_version_newest,
    data_version_previous_complete,
    version_changed_files,
    version_changed_years,
    version_mark_complete,
)
from likvard.warehouse.services import batch_import, batch_withdraw
from likvard_core.analytics.equity.kept import PERIODS, YEAR_PART, kept_params, year_params
from likvard_core.analytics.quality.context_update import CONTEXT_READS
from likvard_core.warehouse.derived import DERIVED_DIR
from likvard_core.warehouse.snapshot import Snapshot
from tests.app.conftest import World
from tests.factories.warehouse import enrolment_file


def _import(world: World, folder: Path, year: str, seed: int) -> None:
    path = folder / f"elever-{seed}.csv"
    enrolment_file(
        path, organizer=world.own.organisation_number, school_unit=world.own_unit.code,
        students=12, seed=seed, year=year,
    )  # fmt: skip
    batch_import(path=path, kind="enrolments", by=None, organizer=world.own)


@pytest.mark.django_db
def test_an_import_changes_its_years_and_a_withdrawal_them_again(world: World, import_dirs):
    _import(world, import_dirs, "2023/24", seed=1)
    first = data_version_newest()
    assert data_version_previous_complete(first) is None
    version_mark_complete(first, warmed=[])
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    assert data_version_previous_complete(second) == first
    assert version_changed_years(first, second, tables=["enrolments"]) == {2025}
    assert version_changed_years(first, second, tables=["final_grades"]) == set()
    batch = second.files["enrolments"]
    assert len(batch) > len(first.files["enrolments"])
    newest_batch = ImportBatch.objects.order_by("-imported_at").first()
    assert newest_batch is not None
    batch_withdraw(batch=newest_batch, by=world.users["administrator"])
    third = data_version_newest()
    assert version_changed_years(second, third, tables=["enrolments"]) == {2025}
    assert version_changed_years(first, third, tables=["enrolments"]) == set()


@pytest.mark.django_db
def test_the_changed_years_are_read_without_a_snapshot(world: World, import_dirs, monkeypatch):
    """The years come from one column of the changed files (no DuckDB database, about 25 ms
    each, opened per warmer), and a gone file still means nothing can be updated. Quality's
    own files of an import are exactly its changed files, so its snapshot is reused."""
    _import(world, import_dirs, "2023/24", seed=1)
    first = data_version_newest()
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    changed = version_changed_files(first, second, tables=CONTEXT_READS)
    assert _split(first, second)[1:] == ({}, changed)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a DuckDB snapshot was opened")

    monkeypatch.setattr(selectors, "Snapshot", refused)
    assert version_changed_years(first, second, tables=["enrolments"]) == {2025}
    assert version_changed_years(first, second, tables=["final_grades"]) == set()
    (Path(settings.LIKVARD_WAREHOUSE_DIR) / changed["enrolments"][0]).unlink()
    assert version_changed_years(first, second, tables=["enrolments"]) is None


@pytest.mark.django_db
def test_without_kept_tables_the_equity_warm_up_counts_anew(world: World, import_dirs):
    _import(world, import_dirs, "2023/24", seed=1)
    first = data_version_newest()
    assert updates.update_from_previous(version=first, previous=None, grade_year=9) is None
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    previous = updates.update_from_previous(version=second, previous=first, grade_year=9)
    assert previous is not None
    assert previous.changed == {2025}
    # nothing kept for the previous version: nothing to read or link, so computed anew
    params = kept_params(grade_year=9, reference_label="")
    assert previous.read(PERIODS, params) is None
    assert not previous.link(YEAR_PART, year_params(params, 2024))


@pytest.mark.django_db
def test_the_quality_and_movement_warm_ups_update_the_previous_version(
    world: World, import_dirs, settings
):
    _import(world, import_dirs, "2024/25", seed=1)
    first = data_version_newest()
    assert warm_quality(first) == 2025
    warm_movement(first)
    version_mark_complete(first, warmed=["quality", "movement"])
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    assert basis_context_update(
        version=second, previous=first, year=2025, school_municipalities=_school_municipalities()
    )
    assert movement_derived_update(version=second, previous=first, reference=movement_reference())
    warm_quality(second)
    warm_movement(second)
    anew = VersionRef(label="anew", files=second.files)  # no previous version: computed anew
    warm_quality(anew)
    warm_movement(anew)
    root = Path(settings.LIKVARD_WAREHOUSE_DIR) / DERIVED_DIR
    kept = sorted(p.name for p in (root / second.key).glob("*.parquet"))
    assert kept == sorted(p.name for p in (root / anew.key).glob("*.parquet"))
    assert any(name.startswith("quality_context_values") for name in kept)
    assert any(name.startswith("movement_cells") for name in kept)
    for name in kept:
        assert pq.read_table(root / second.key / name).equals(
            pq.read_table(root / anew.key / name)
        ), name


@pytest.mark.django_db
def test_the_changed_students_rows_are_read_once_for_every_grade_year(world: World, import_dirs):
    """An import's (and a withdrawal's) students' rows of its years come from the files both
    versions share and each one's own, once for the three grade years' updates."""
    _import(world, import_dirs, "2024/25", seed=1)
    first = data_version_newest()
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    rows = updates.changed_students_rows(first, second)
    assert rows is not None
    assert updates.changed_students_rows(first, second) is rows  # read once
    assert sorted(rows.sums) == [6, 9, 10]
    assert set(rows.organizers["school_year"].to_pylist()) == {2025}
    assert world.own_unit.code in rows.organizers["school_unit_code"].to_pylist()
    newest_batch = ImportBatch.objects.order_by("-imported_at").first()
    assert newest_batch is not None
    batch_withdraw(batch=newest_batch, by=world.users["administrator"])
    third = data_version_newest()
    withdrawn = updates.changed_students_rows(second, third)
    assert withdrawn is not None
    assert withdrawn is not rows
    assert updates.changed_students_rows(first, first) is None  # nothing changed


@pytest.mark.django_db
def test_the_changed_years_are_found_once_for_every_grade_year(
    world: World, import_dirs, monkeypatch
):
    _import(world, import_dirs, "2024/25", seed=1)
    first = data_version_newest()
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    opened: list[str] = []
    real_open = VersionRef.open

    def counted_open(self: VersionRef) -> Snapshot:
        opened.append(self.label)
        return real_open(self)

    monkeypatch.setattr(VersionRef, "open", counted_open)
    for grade_year in (6, 9, 10):
        found = updates.update_from_previous(version=second, previous=first, grade_year=grade_year)
        assert found is not None
        assert found.changed == {2025}
    assert opened == ["changes"]
