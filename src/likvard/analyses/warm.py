"""The analyses' release warmer: the region pages' gate decisions of a new data version.

Run by the warm-up (``likvard.warehouse.warm``) after the kept tables, with the new version
pinned: each region's equity page (every grade year, the default choices), completion page,
komvux page and incident follow-up (the default N days), in that order (``RELEASE_PARTS``),
are computed as a viewer who owns no figures (a regional coordinator, a network member), so
the gate's joint decisions for them are in Django's cache before the first person asks.
Viewers who own figures in a region get their own decision on their first request, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from likvard.access.policy import ANONYMOUS
from likvard.analyses.completion import services as completion
from likvard.analyses.equity import services as equity
from likvard.analyses.incidents import services as incidents
from likvard.analyses.komvux import services as komvux
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.selectors import VersionRef

logger = logging.getLogger(__name__)


def _regions() -> list[Region]:
    return [r for r in organisations.region_list() if getattr(r, "member_count", 0)]


def _equity(region: Region) -> None:
    for grade_year in equity.GRADE_YEARS:
        equity.region_equity_report(viewer=ANONYMOUS, region=region, grade_year=grade_year)


def _completion(region: Region) -> None:
    completion.completion_region_report(viewer=ANONYMOUS, region=region)
    completion.evaluation_report(viewer=ANONYMOUS, region=region)
    completion.year9_report(viewer=ANONYMOUS, region=region)
    completion.warning_counts_report(viewer=ANONYMOUS, region=region)


def _komvux(region: Region) -> None:
    # Komvux's region cubes take minutes to decide at demo scale (issue #20): never on a
    # visitor's request, where they would outlast the server's timeout.
    komvux.komvux_region_report(viewer=ANONYMOUS, region=region)


def _incidents(region: Region) -> None:
    # Incidents release their stage counts as cells, one cube per school year: about three
    # minutes for GR at demo scale, so also decided here (the default N days).
    incidents.incident_region_report(viewer=ANONYMOUS, region=region)


RELEASE_PARTS: tuple[tuple[str, Callable[[Region], None]], ...] = (
    ("equity", _equity),
    ("completion", _completion),
    ("komvux", _komvux),
    ("incidents", _incidents),
)
"""The region pages decided by the warm-up, in the order people open them (an analysis for
every region before the next analysis): the equity pages are ready for every region while
completion, komvux and incidents, which take minutes, are still being decided."""


def warm_region_releases(version: VersionRef) -> int:
    """Decide and cache the region pages' releases of ``version``; returns the regions done.

    Each analysis and region's time is logged (``warmed release equity/gr in 12.3 s``), so a
    slow warm-up says where its time goes.
    """
    if not any(version.files.values()):
        return 0
    regions = _regions()
    for analysis, decide in RELEASE_PARTS:
        for region in regions:
            start = time.perf_counter()
            decide(region)
            logger.info(
                "warmed release %s/%s for %s in %.1f s",
                analysis,
                region.code,
                version.label,
                time.perf_counter() - start,
            )
    return len(regions)
