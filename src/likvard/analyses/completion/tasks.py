"""The completion region page's joint decisions, taken in the task worker (issues #16, #18).

A start year's joint decision can take minutes, longer than a web request may run. The page,
its API and its exports never take one: when one is missing they queue ``completion_decide``
for the viewer's class (the organizers and school units whose figures the viewer sees anyway:
all a decision depends on besides the cells) and say that the figures are being prepared. The
interactive worker (``likvard worker --queue interactive``: a process of its own, so that a
decision never waits behind a warm-up) takes the decisions into Django's cache; the viewer's
next request releases (and audits) from there. One task per region, class and data version: a
cache marker (the task's id) keeps a second request from queueing it again while it waits or
runs; a task whose worker died (marked failed) is queued again. Beside the marker the task
keeps its progress (start years decided of all), so that the notice's poll reads it from the
cache instead of computing every start year's tables again to count them (0.6 s a poll on
the demo's GR).
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django_tasks import task

from likvard.access.policy import Viewer
from likvard.analyses.completion import services
from likvard.organisations import selectors as organisations
from likvard.warehouse.selectors import data_version_get
from likvard.warehouse.tasks import INTERACTIVE_QUEUE, task_may_run

MARKER_SECONDS = 2 * 3600
"""How long a queued task's marker stops another from being queued (a dead worker's task is
queued again after this)."""


@task(queue_name=INTERACTIVE_QUEUE, priority=5)
def completion_decide(region: str, organizers: list[str], school_units: list[str]) -> list[int]:
    """Take the joint decisions of ``region``'s completion report for viewers who see exactly
    ``organizers``' and ``school_units``' figures in full; returns [newly decided, years]."""
    viewer = _class_viewer(organizers, school_units)
    key = _marker(region, organizers, school_units)

    def progress(ready: int, total: int) -> None:
        cache.set(_progress(key), [ready, total], MARKER_SECONDS)

    try:
        the_region = organisations.region_get(code=region)
        done, years = services.completion_region_decide(
            viewer=viewer, region=the_region, progress=progress
        )
    finally:
        cache.delete_many([key, _progress(key)])
    return [done, years]


def completion_decide_progress(*, viewer: Viewer, region: str) -> tuple[int, int] | None:
    """(start years decided, start years) by the task queued or running for ``viewer``'s
    class in ``region``, from the cache (the task's marker, its status and its progress);
    None when no such task is waiting or running: then the report must look for itself."""
    key = _marker(region, sorted(viewer.organizers), sorted(viewer.school_units))
    found = cache.get(key)
    if found is None or (found != "" and not task_may_run(str(found))):
        return None
    match cache.get(_progress(key)):
        case [int(ready), int(total)]:
            return ready, total
        case _:
            return None


def completion_decide_enqueue(
    *, viewer: Viewer, region: str, progress: tuple[int, int] | None = None
) -> bool:
    """Queue ``completion_decide`` for ``viewer``'s class in ``region`` unless one is queued or
    running for this data version; True when this call queued it. ``progress`` (start years
    decided, start years) is what the caller found: the polls read it until the task counts."""
    organizers, school_units = sorted(viewer.organizers), sorted(viewer.school_units)
    key = _marker(region, organizers, school_units)
    found = cache.get(key)
    if found is not None:
        if found == "" or task_may_run(str(found)):
            return False  # being queued, waiting or running
        cache.delete(key)  # its worker died (reaped as failed): queue it again
    if not cache.add(key, "", MARKER_SECONDS):
        return False
    if progress is not None:
        cache.set(_progress(key), list(progress), MARKER_SECONDS)
    result = completion_decide.enqueue(
        region=region, organizers=organizers, school_units=school_units
    )
    if cache.get(key) == "":  # not already run and cleared (a backend running it in enqueue)
        cache.set(key, str(result.id), MARKER_SECONDS)
    return True


def _class_viewer(organizers: list[str], school_units: list[str]) -> Viewer:
    """A viewer of the class: the decision depends only on its organizers and school units."""
    return Viewer(
        None, "", frozenset(), frozenset(), frozenset(organizers), frozenset(school_units)
    )


def _progress(marker: str) -> str:
    return marker + ":progress"


def _marker(region: str, organizers: list[str], school_units: list[str]) -> str:
    text = json.dumps([region, data_version_get().key, sorted(organizers), sorted(school_units)])
    return "completion-decide:" + hashlib.sha256(text.encode()).hexdigest()
