"""The equity region files' releases, taken in the task worker.

A region's workbook and slides release every school unit's cube for the viewer's class. The
warm-up keeps them for the classes it knows; from a cold cache (a new data version before its
warm-up, another class) GR's 171 units took 165 s of a request (54 s of CPU, load 8.7), past
the web server's 120 s. The view then queues ``equity_region_release`` once per region, grade
year, class and data version (a cache marker holds the task's id, as completion's decisions
do), shows how many units are done, and offers the file when they all are.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django_tasks import task

from likvard.access.policy import Viewer
from likvard.analyses.equity import services
from likvard.organisations import selectors as organisations
from likvard.warehouse.selectors import data_version_get
from likvard.warehouse.tasks import INTERACTIVE_QUEUE, task_may_run

MARKER_SECONDS = 2 * 3600
"""How long a queued task's marker stops another from being queued (a dead worker's task is
queued again after this)."""


@task(queue_name=INTERACTIVE_QUEUE, priority=5)
def equity_region_release(
    region: str, grade_year: int, organizers: list[str], school_units: list[str]
) -> int:
    """Release ``region``'s units for viewers who see exactly ``organizers``' and
    ``school_units``' figures in full; returns the units."""
    viewer = Viewer(
        None, "", frozenset(), frozenset(), frozenset(organizers), frozenset(school_units)
    )
    key = _marker(region, grade_year, organizers, school_units)

    def progress(ready: int, total: int) -> None:
        cache.set(_progress(key), [ready, total], MARKER_SECONDS)

    try:
        return services.region_units_release(
            viewer=viewer,
            region=organisations.region_get(code=region),
            grade_year=grade_year,
            progress=progress,
        )
    finally:
        cache.delete_many([key, _progress(key)])


def equity_region_waiting(
    *, viewer: Viewer, region: str, grade_year: int
) -> tuple[int, int] | None:
    """(units done, units) while the region's files wait for their releases, queueing the task
    when none is queued or running; None when every unit's release is kept."""
    organizers, school_units = sorted(viewer.organizers), sorted(viewer.school_units)
    key = _marker(region, grade_year, organizers, school_units)
    found = cache.get(key)
    if found is not None and (found == "" or task_may_run(str(found))):
        match cache.get(_progress(key)):
            case [int(ready), int(total)]:
                return ready, total
            case _:
                return 0, 0
    if found is not None:
        cache.delete(key)  # its worker died (reaped as failed): queue it again
    the_region = organisations.region_get(code=region)
    ready, total = services.region_units_ready(
        viewer=viewer, region=the_region, grade_year=grade_year
    )
    if ready == total or not cache.add(key, "", MARKER_SECONDS):
        return None if ready == total else (ready, total)
    cache.set(_progress(key), [ready, total], MARKER_SECONDS)
    result = equity_region_release.enqueue(
        region=region, grade_year=grade_year, organizers=organizers, school_units=school_units
    )
    if cache.get(key) == "":  # not already run and cleared (a backend running it in enqueue)
        cache.set(key, str(result.id), MARKER_SECONDS)
        return ready, total
    return None  # run inside enqueue: every unit is kept now


def _progress(marker: str) -> str:
    return marker + ":progress"


def _marker(region: str, grade_year: int, organizers: list[str], school_units: list[str]) -> str:
    text = json.dumps([region, grade_year, data_version_get().key, organizers, school_units])
    return "equity-region-release:" + hashlib.sha256(text.encode()).hexdigest()
