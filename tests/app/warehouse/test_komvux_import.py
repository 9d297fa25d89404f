"""Komvux files through the ordinary pipeline: once, all or nothing, for administrators."""

from __future__ import annotations

import pytest

from likvard.access.policy import viewer_for
from likvard.warehouse.kinds import import_kinds
from likvard.warehouse.models import ImportBatch
from likvard.warehouse.selectors import data_version_get
from likvard.warehouse.services import ImportRejectedError, batch_import
from tests.app.conftest import World
from tests.core.ingest import komvux_samples


def test_import_once_then_nothing_changes(world: World, import_dirs, tmp_path):
    admin = world.users["administrator"]
    starts = tmp_path / "starter.csv"
    starts.write_text(komvux_samples.starts_file(5), encoding="utf-8")
    followup = tmp_path / "uppfoljning.csv"
    followup.write_text(komvux_samples.followup_file(5), encoding="utf-8")
    assert batch_import(path=starts, kind="komvux_starts", by=admin).rows == {"komvux_starts": 5}
    batch_import(path=followup, kind="komvux_followup", by=admin)
    version = data_version_get().label
    again = batch_import(path=starts, kind="komvux_starts", by=admin)
    assert again.already_imported
    assert ImportBatch.objects.filter(kind="komvux_starts").count() == 1
    assert data_version_get().label == version
    with data_version_get().open() as db:
        n = db.query("SELECT count(*) AS n FROM komvux_starts").column("n")[0].as_py()
    assert n == 5


def test_bad_file_writes_nothing(world: World, import_dirs, tmp_path):
    path = tmp_path / "fel.csv"
    bad = komvux_samples.starts_row(7).replace(";20;37;", ";20;37x;")
    path.write_text(komvux_samples.starts_file(5, (bad,)), encoding="utf-8")
    with pytest.raises(ImportRejectedError) as raised:
        batch_import(path=path, kind="komvux_starts", by=world.users["administrator"])
    [issue] = raised.value.issues
    assert (issue.row, issue.column, issue.code) == (7, "sökande", "invalid_integer")
    assert not ImportBatch.objects.filter(kind="komvux_starts").exists()


def test_offered_to_administrators(world: World):
    offered = {k.name for k in import_kinds(viewer=viewer_for(world.users["administrator"]))}
    assert {"komvux_starts", "komvux_followup"} <= offered
    analyst = {k.name for k in import_kinds(viewer=viewer_for(world.users["organizer_analyst"]))}
    assert "komvux_starts" not in analyst
