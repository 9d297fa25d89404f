"""Work done once per new data version, right after it is committed, so pages answer at once.

Pages that must answer fast at national scale read tables derived from a data version
(ADR 0007). Computing them takes seconds, so the first person to open such a page after an
import would wait; instead, each app registers a *warmer* (a function of the new version) in its
``AppConfig.ready``, and the import job queues them as a task of their own after its commit
(``likvard demo``, ``likvard import`` and ``likvard warm`` run them in place). A failing warmer
is logged and skipped: its page then computes on first use, as it would without warming. The
warehouse app cannot import the analysis apps (they sit above it), hence the registry.

Never cold (ADR 0011): when every warmer has run on a version, a marker file
``<warehouse>/derived/<version key>/COMPLETE`` says so, and pages read the newest version
with that marker (``data_version_get``); while a new version is being warmed they go on
answering from the one before, naming it.

Release warmers run after the kept tables, before the marker: they call the pages' and the
API's own services on the new version (pinned, ``data_version_pinned``) as a viewer who owns
no figures, so the disclosure gate's joint decisions for the region pages, the Kolada API and
open data are in Django's cache (a shared one: the worker is another process) when pages move
to the version. The gate decides exactly as on a request; it only decides earlier.

A region whose inputs did not change keeps its decisions: the gate keys a decision on a digest
of the cells it reads, not on the data version, so a warm-up after another region's import finds
it in the cache and decides nothing for that region. Every decision a warm-up reads is written
again (``decisions_renewed``): its expiry starts anew and the sweep below keeps it.

Once the marker is written, the kept tables and cached pages of versions no page will read
again are removed (``likvard.warehouse.retention``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from likvard.access.release import DECISION_TIMEOUT
from likvard.warehouse.retention import DECISION_PREFIX, stale_versions_sweep
from likvard.warehouse.selectors import (
    VersionRef,
    data_version_newest,
    data_version_pinned,
    version_complete,
    version_mark_complete,
)
from likvard_core.warehouse.row_groups import indexes_build

logger = logging.getLogger(__name__)

Warmer = Callable[[VersionRef], object]
_WARMERS: dict[str, Warmer] = {}
_RELEASE_WARMERS: dict[str, Warmer] = {}
RELEASE_PREFIX = "release."
"""How a release warmer's name starts in results and logs (``release.equity``)."""


def register_warmer(name: str, warmer: Warmer) -> None:
    """Run ``warmer(version)`` after every commit of a new data version (idempotent by name)."""
    _WARMERS[name] = warmer


_RELEASE_ORDER: dict[str, int] = {}


def register_release_warmer(name: str, warmer: Warmer, *, order: int = 50) -> None:
    """Run ``warmer(version)`` after the kept tables of a new version, with the version pinned.

    For work that reads kept tables and caches what the gate decides (idempotent by name).
    Release warmers run by ``order``, lowest first (then as registered): the pages a person
    opens first are decided first, so that on a new installation (no complete version to
    answer from) they are ready while the rest is still being decided.
    """
    _RELEASE_WARMERS[name] = warmer
    _RELEASE_ORDER[name] = order


def _release_warmers() -> list[tuple[str, Warmer]]:
    names = sorted(_RELEASE_WARMERS, key=lambda name: _RELEASE_ORDER.get(name, 50))
    return [(name, _RELEASE_WARMERS[name]) for name in names]


def registered_warmers() -> list[str]:
    """The names of the registered warmers, in the order they run (release warmers last)."""
    return [*_WARMERS, *(RELEASE_PREFIX + name for name, _warmer in _release_warmers())]


def warm_after_import(*, queued: bool = False) -> dict[str, float]:
    """``warm_version()`` of the newest version, unless ``LIKVARD_WARM_AFTER_IMPORT`` is off.

    With ``queued``, the warm-up is enqueued as the ``version_warm`` task instead (an import
    step's worker is then free for the next upload at once) and nothing is returned.
    """
    if not settings.LIKVARD_WARM_AFTER_IMPORT:
        return {}
    if queued:
        from likvard.warehouse.tasks import version_warm  # noqa: PLC0415 (tasks import jobs)

        version_warm.enqueue(number=data_version_newest().number)
        return {}
    return warm_version()


def warm_version(version: VersionRef | None = None) -> dict[str, float]:
    """Run every warmer on ``version`` (default: the newest); returns seconds per warmer.

    A warmer that raises is logged (its name and the error type, never data) and left out of
    the result; the others still run. Afterwards the version is marked complete, so pages move
    to it (a failed warmer's page computes on first use rather than hold the data back).
    """
    target = version if version is not None else data_version_newest()
    started = time.time()
    seconds: dict[str, float] = {}
    warmers = [
        *_WARMERS.items(),
        *((RELEASE_PREFIX + name, warmer) for name, warmer in _release_warmers()),
    ]
    _indexes_build(target)
    with data_version_pinned(target), decisions_renewed() as reused:
        for name, warmer in warmers:
            start = time.perf_counter()
            try:
                warmer(target)
            except Exception as error:  # a warmer must never fail an import
                logger.warning(
                    "warming %s for %s failed: %s", name, target.label, type(error).__name__
                )
                continue
            seconds[name] = time.perf_counter() - start
            logger.info("warmed %s for %s in %.1f s", name, target.label, seconds[name])
    logger.info("%d release decisions of %s reused", len(reused), target.label)
    version_mark_complete(target, warmed=sorted(seconds), started=started)
    _sweep_stale()
    return seconds


@contextmanager
def decisions_renewed() -> Iterator[list[str]]:
    """Within the block, every joint decision read from the ``default`` cache is written again.

    A decision reused by a new version (its cells did not change) would otherwise expire a day
    after it was first taken, and the file cache's sweep removes entries written before the
    shown version's warm-up began; renewed, it lasts as long as a decision taken now. Yields
    the keys renewed (in this thread only: the cache object is the thread's own).
    """
    backend = caches["default"]
    outer = vars(backend).get("get")  # a warm-up within a warm-up: renew through the outer
    read = backend.get
    renewed: list[str] = []

    def get(key: str, default: object = None, version: int | None = None) -> object:
        value = read(key, default, version)
        if value is not default and key.startswith(DECISION_PREFIX):
            backend.touch(key, DECISION_TIMEOUT, version=version)
            renewed.append(key)
        return value

    vars(backend)["get"] = get  # this thread's cache object only, until the block ends
    try:
        yield renewed
    finally:
        if outer is None:
            del vars(backend)["get"]
        else:
            vars(backend)["get"] = outer


def warm_kept_tables(version: VersionRef | None = None) -> dict[str, float]:
    """Run the kept-table warmers (not the release warmers) on ``version`` (default: the
    newest); returns seconds per warmer. The version is not marked complete.

    For ``likvard demo``: pages then read the national tables rather than compute them, and
    the worker that ``likvard serve`` starts finishes the warm-up (``warm_pending_enqueue``)
    while the server answers, instead of the demo waiting for every region's release.
    """
    target = version if version is not None else data_version_newest()
    seconds: dict[str, float] = {}
    _indexes_build(target)
    with data_version_pinned(target):
        for name, warmer in _WARMERS.items():
            start = time.perf_counter()
            try:
                warmer(target)
            except Exception as error:  # as in warm_version: the worker's warm-up retries
                logger.warning(
                    "warming %s for %s failed: %s", name, target.label, type(error).__name__
                )
                continue
            seconds[name] = time.perf_counter() - start
    return seconds


def _indexes_build(version: VersionRef) -> None:
    """Index the row groups of the version's files that have no index yet (issue #18): the
    import indexes a batch's files, this catches files from before indexes existed (the
    first warm-up after an upgrade, or ``likvard warm`` run for that), so the update after the
    next import reads them narrowed without building an index. A failure is logged: those
    files are then read whole."""
    start = time.perf_counter()
    try:
        built = indexes_build(Path(settings.LIKVARD_WAREHOUSE_DIR), version.files)
    except Exception as error:  # an index must never fail a warm-up
        logger.warning("indexing %s failed: %s", version.label, type(error).__name__)
        return
    if built:
        logger.info(
            "indexed %d file(s) of %s in %.1f s",
            len(built),
            version.label,
            time.perf_counter() - start,
        )


def _sweep_stale() -> None:
    """Remove what older versions left behind, now that pages may have moved on."""
    try:
        stale_versions_sweep()
    except Exception as error:  # tidying must never fail an import
        logger.warning("sweeping old versions failed: %s", type(error).__name__)


def warm_pending_enqueue() -> bool:
    """Queue the newest version's warm-up if it is not complete and none is queued; True if so.

    A worker calls it as it starts: after an upgrade, a restore, or a worker that died while
    warming, pages would otherwise stay on an older version (or compute on first use).
    """
    if not settings.LIKVARD_WARM_AFTER_IMPORT:
        return False
    newest = data_version_newest()
    if newest.number == 0 or version_complete(newest):
        return False
    from likvard.warehouse.tasks import version_warm, version_warm_queued  # noqa: PLC0415

    if version_warm_queued(number=newest.number):
        return False
    version_warm.enqueue(number=newest.number)
    return True
