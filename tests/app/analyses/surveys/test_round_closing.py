"""A round closes by itself after its last day: the task worker's check closes it and imports
its answers through the same pipeline, exactly once; a round still open is not touched."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from likvard.analyses.surveys import tasks, transfer
from likvard.analyses.surveys.models import SurveyRound
from likvard.cli import worker as worker_command
from likvard.warehouse.models import ImportBatch
from tests.app.analyses.surveys.test_answering import make_round
from tests.app.analyses.surveys.test_round_results import _answer_on_the_page, _trygghet
from tests.app.conftest import World

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["imports", "warm", "exports", "interactive"],
    }
}


def _round_answered(world: World, pupils: int, closes_on: datetime.date) -> SurveyRound:
    the_round = make_round(world)
    _answer_on_the_page(the_round.classes.get().code, pupils)
    SurveyRound.objects.filter(pk=the_round.pk).update(closes_on=closes_on)
    return the_round


def test_a_round_past_its_last_day_is_closed_and_imported_once(world: World, import_dirs):
    today = timezone.localdate()
    due = _round_answered(world, 11, today - datetime.timedelta(days=1))
    running = _round_answered(world, 3, today)  # today is its last day: still open
    [outcome] = transfer.rounds_close_due()
    assert (outcome.respondents, outcome.already_transferred) == (11, False)
    assert transfer.rounds_close_due() == []  # again: nothing more
    due.refresh_from_db()
    running.refresh_from_db()
    assert not due.is_open
    assert due.batch is not None
    assert due.batch.imported_by is None  # by no one: the worker
    assert running.is_open
    assert running.batch is None
    assert ImportBatch.objects.filter(kind="survey_answers").count() == 1
    assert _trygghet(world)["n"] == 11


def test_the_worker_queues_one_check_and_each_check_the_next(world: World, settings):
    settings.TASKS = DATABASE_TASKS
    assert not tasks.round_closing_schedule()  # no round with a last day: nothing to check
    SurveyRound.objects.filter(pk=make_round(world).pk).update(
        closes_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    assert tasks.round_closing_schedule()
    assert not tasks.round_closing_schedule()  # one is waiting
    [row] = DBTaskResult.objects.filter(task_path=tasks.rounds_close.module_path)
    assert row.status == "READY"
    row.delete()
    assert tasks.rounds_close.call() == 0
    [following] = DBTaskResult.objects.filter(task_path=tasks.rounds_close.module_path)
    local = timezone.localtime(following.run_after)
    assert local.date() == timezone.localdate() + datetime.timedelta(days=1)
    assert (local.hour, local.minute) == (0, 5)
    tasks.on_task_finished(None)  # after any task: the next check is already waiting
    assert DBTaskResult.objects.filter(task_path=tasks.rounds_close.module_path).count() == 1


@pytest.mark.parametrize("hour", [0, 12, 23])
def test_the_next_check_is_just_after_the_next_local_midnight(hour: int):
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    now = datetime.datetime(2025, 3, 29, hour, 30, tzinfo=stockholm)  # before summer time
    following = timezone.localtime(tasks.next_check_time(now))
    assert (following.date(), following.hour, following.minute) == (
        datetime.date(2025, 3, 30),
        0,
        5,
    )


def test_the_worker_queues_the_check_as_it_starts(world: World, import_dirs, settings, monkeypatch):
    due = _round_answered(world, 11, timezone.localdate() - datetime.timedelta(days=2))
    settings.TASKS = DATABASE_TASKS
    loops: list[str] = []
    monkeypatch.setattr(worker_command, "call_command", lambda name, **_: loops.append(name))
    result = CliRunner().invoke(worker_command.worker, ["--batch"])
    assert (result.exit_code, loops) == (0, ["db_worker"]), result.output
    [queued] = DBTaskResult.objects.filter(task_path=tasks.rounds_close.module_path)
    assert queued.status == "READY"  # to run at once
    assert tasks.rounds_close.call() == 1  # what the worker's loop then runs
    due.refresh_from_db()
    assert (due.is_open, due.batch is not None) == (False, True)


def _claimed(the_round: SurveyRound, *, by: str, minutes_ago: int = 0) -> None:
    """As a worker that claimed the round and then died would leave it: closed, no batch."""
    SurveyRound.objects.filter(pk=the_round.pk).update(
        is_open=False,
        closing_claimed_by=by,
        closing_claimed_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_a_round_whose_closing_worker_died_is_claimed_again(world: World, import_dirs):
    import os
    import socket
    import subprocess
    import sys

    host = socket.gethostname()[:50]
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # its pid is gone: a worker killed between the claim and the import
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    dead = _round_answered(world, 11, yesterday)
    _claimed(dead, by=f"{host}:{finished.pid}")
    alive = _round_answered(world, 4, yesterday)  # this process: still importing it
    _claimed(alive, by=f"{host}:{os.getpid()}")
    elsewhere = _round_answered(world, 5, yesterday)  # another host, silent past the bound
    _claimed(elsewhere, by="annan-server:123", minutes_ago=16)

    outcomes = transfer.rounds_close_due()
    assert sorted(o.respondents for o in outcomes) == [5, 11]
    for the_round in (dead, alive, elsewhere):
        the_round.refresh_from_db()
    assert dead.batch is not None
    assert elsewhere.batch is not None
    assert (dead.closing_claimed_at, dead.closing_claimed_by) == (None, "")
    assert alive.batch is None  # a live worker's claim is left to it
    assert alive.closing_claimed_at is not None
    assert transfer.rounds_close_due() == []  # settled claims are never picked again
