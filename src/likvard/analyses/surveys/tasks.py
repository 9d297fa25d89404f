"""Rounds close by themselves after their last day, as a task of Django's task framework.

``rounds_close`` runs ``transfer.rounds_close_due`` in the task worker (``likvard worker``, ADR
0011), then, while open rounds with a last day remain, queues itself again for just after the
next local midnight, when the next rounds fall due: one waiting row in the task table, no
thread or timer of its own. ``round_closing_schedule`` queues it when a round is created, as the
worker starts (catching up on rounds that fell due while it was down), and after each task the
worker runs, should the waiting row be gone (a worker that died while running it). Only a
backend that can defer tasks (the database one) schedules anything: the immediate backend of
the tests would run it inside ``enqueue``, again and again.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from likvard.analyses.surveys.models import SurveyRound
from likvard.analyses.surveys.transfer import rounds_claim_stale, rounds_close_due
from likvard.warehouse.tasks import IMPORT_QUEUE

logger = logging.getLogger(__name__)

AFTER_MIDNIGHT = datetime.timedelta(minutes=5)
"""How long after local midnight the daily check runs (the last day is then over)."""


@task(queue_name=IMPORT_QUEUE, priority=0)
def rounds_close() -> int:
    """Close and import the rounds past their last day, then queue the next check; returns
    how many rounds were closed."""
    closed = len(rounds_close_due())
    if closed:
        logger.info("closed %d survey round(s) past their last day", closed)
    if _rounds_to_close():
        _enqueue_next(after=next_check_time())
    return closed


def next_check_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """Just after the next local midnight from ``now`` (aware)."""
    tomorrow = timezone.localtime(now or timezone.now()).date() + datetime.timedelta(days=1)
    return (
        timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time())) + AFTER_MIDNIGHT
    )


def _rounds_to_close() -> bool:
    """Open rounds with a last day, or rounds whose closing a dead worker left unsettled."""
    return SurveyRound.objects.filter(is_open=True, closes_on__isnull=False).exists() or bool(
        rounds_claim_stale()
    )


def _can_schedule() -> bool:
    return bool(rounds_close.get_backend().supports_defer)


def _waiting(statuses: tuple[str, ...]) -> bool:
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (only with that backend)

    return DBTaskResult.objects.filter(
        task_path=rounds_close.module_path, status__in=statuses
    ).exists()


def _enqueue_next(*, after: datetime.datetime) -> None:
    if _can_schedule() and not _waiting(("READY",)):
        rounds_close.using(run_after=after).enqueue()


def round_closing_schedule() -> bool:
    """Queue a check now when an open round has a last day and no check waits or runs (the
    worker calls it as it starts and after each task, ``round_create`` after a new round);
    True when one was queued."""
    if not _can_schedule() or not _rounds_to_close() or _waiting(("READY", "RUNNING")):
        return False
    rounds_close.enqueue()
    return True


def on_task_finished(sender: object, **kwargs: Any) -> None:
    """``task_finished`` receiver: keep one check queued (its row may have been lost)."""
    try:
        round_closing_schedule()
    except Exception as error:  # scheduling must never fail another task
        logger.warning("queueing the survey rounds' check failed: %s", type(error).__name__)
