"""Work done once per new data version, right after it is committed, so pages answer at once.

Pages that must answer fast at national scale read tables derived from a data version
(ADR 0007). Computing them takes seconds, so the first person to open such a page after an
import would wait; instead, each app registers a *warmer* (a function of the new version) in its
``AppConfig.ready``, and the import job runs them after its commit, in its background thread
(``likvard demo`` and ``likvard warm`` run them too). A failing warmer is logged and skipped:
its page then computes on first use, as it would without warming. The warehouse app cannot
import the analysis apps (they sit above it), hence the registry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings

from likvard.warehouse.selectors import VersionRef, data_version_get

logger = logging.getLogger(__name__)

Warmer = Callable[[VersionRef], object]
_WARMERS: dict[str, Warmer] = {}


def register_warmer(name: str, warmer: Warmer) -> None:
    """Run ``warmer(version)`` after every commit of a new data version (idempotent by name)."""
    _WARMERS[name] = warmer


def registered_warmers() -> list[str]:
    """The names of the registered warmers, in registration order."""
    return list(_WARMERS)


def warm_after_import() -> dict[str, float]:
    """``warm_version()`` of the newest version, unless ``LIKVARD_WARM_AFTER_IMPORT`` is off."""
    if not settings.LIKVARD_WARM_AFTER_IMPORT:
        return {}
    return warm_version()


def warm_version(version: VersionRef | None = None) -> dict[str, float]:
    """Run every warmer on ``version`` (default: the newest); returns seconds per warmer.

    A warmer that raises is logged (its name and the error type, never data) and left out of
    the result; the others still run.
    """
    target = version if version is not None else data_version_get()
    seconds: dict[str, float] = {}
    for name, warmer in _WARMERS.items():
        start = time.perf_counter()
        try:
            warmer(target)
        except Exception as error:  # a warmer must never fail an import
            logger.warning("warming %s for %s failed: %s", name, target.label, type(error).__name__)
            continue
        seconds[name] = time.perf_counter() - start
        logger.info("warmed %s for %s in %.1f s", name, target.label, seconds[name])
    return seconds
