"""What a warm-up may update instead of compute: the previous complete version and the school
years an import or a withdrawal changed (issue #18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from likvard.analyses.equity import updates
from likvard.warehouse.models import ImportBatch
from likvard.warehouse.selectors import (
    data_version_newest,
    data_version_previous_complete,
    version_changed_years,
    version_mark_complete,
)
from likvard.warehouse.services import batch_import, batch_withdraw
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
def test_without_kept_counts_the_equity_warm_up_counts_anew(world: World, import_dirs):
    _import(world, import_dirs, "2023/24", seed=1)
    first = data_version_newest()
    options = {"grade_year": 9, "params": {"grade_year": 9}, "reference_label": "", "min_group": 10}
    assert updates.update_from_previous(version=first, previous=None, **options) is None
    _import(world, import_dirs, "2024/25", seed=2)
    second = data_version_newest()
    # nothing kept for the previous version: computed anew
    assert updates.update_from_previous(version=second, previous=first, **options) is None
