"""The analyses' release warmer: the region pages' gate decisions of a new data version.

Run by the warm-up (``likvard.warehouse.warm``) after the kept tables, with the new version
pinned: each region's equity page (every grade year, the default choices), completion page,
adjusted results (both stages, the default outcome), komvux page and incident follow-up (the
default N days), in that order (``RELEASE_PARTS``), are computed as a viewer who owns no
figures (a regional coordinator, a network member), so the gate's joint decisions for them
(and the adjusted results' models, fitted on every school) are in Django's cache before the
first person asks.

Viewers who own figures in a region (an organizer's analyst, a principal) see their own cells
in full, so the gate decides the cubes holding them for their own class: 13-30 s a page on the
demo for each such class's first visit. After every region's parts, the same parts are decided
for each owner class of the active people in the regions of their organizers and units (most
recently signed in first, at most ``LIKVARD_WARM_OWNER_CLASSES``), reads withheld (the figures
kept are audited when a person reads them, from the reads kept beside them). Then the
early-warning lists of the student health teams' units, for each class of the active people
in a team who own no figures (as many), kept with their reads like the owners' lists.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F

from likvard.access.audit import audit_reads_withheld
from likvard.access.policy import (
    ANONYMOUS,
    Action,
    Viewer,
    allowed,
    owner_classes_active,
    viewer_for,
)
from likvard.analyses.adjusted import services as adjusted
from likvard.analyses.completion import services as completion
from likvard.analyses.equity import services as equity
from likvard.analyses.incidents import services as incidents
from likvard.analyses.komvux import services as komvux
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.warehouse.fragments import viewer_rights_class
from likvard.warehouse.selectors import VersionRef

logger = logging.getLogger(__name__)


def _regions() -> list[Region]:
    return [r for r in organisations.region_list() if getattr(r, "member_count", 0)]


def _equity(region: Region, viewer: Viewer = ANONYMOUS) -> None:
    for grade_year in equity.GRADE_YEARS:
        equity.region_equity_report(viewer=viewer, region=region, grade_year=grade_year)


def _completion(region: Region, viewer: Viewer = ANONYMOUS) -> None:
    # An owner class's decisions first (the page's own rule), then its report, kept with the
    # reads made releasing it (replayed for each reader), as everyone else's
    if viewer is not ANONYMOUS:
        completion.completion_region_decide(viewer=viewer, region=region)
    completion.completion_region_report(viewer=viewer, region=region)
    completion.evaluation_report(viewer=viewer, region=region)
    completion.year9_report(viewer=viewer, region=region)
    completion.warning_counts_report(viewer=viewer, region=region)


def _adjusted(region: Region, viewer: Viewer = ANONYMOUS) -> None:
    # The models fitted on every school of the version (kept per version and model) and the
    # region's default page of each stage, kept with the reads made releasing it: the first
    # visit after a warm-up fitted the models and released them (year 9 on the demo: 2.8 s of
    # CPU, 9.5 s wall at load 11; 0.13 s and 0.43 s after this, issue #16).
    for stage in adjusted.Stage:
        adjusted.adjusted_region_report_keyed(viewer=viewer, region=region, stage=stage)


def _komvux(region: Region, viewer: Viewer = ANONYMOUS) -> None:
    # Komvux's region cubes take minutes to decide at demo scale (issue #20): never on a
    # visitor's request, where they would outlast the server's timeout.
    komvux.komvux_region_report(viewer=viewer, region=region)


def _incidents(region: Region, viewer: Viewer = ANONYMOUS) -> None:
    # Incidents release their stage counts as cells, one cube per school year: about three
    # minutes for GR at demo scale, so also decided here (the default N days).
    incidents.incident_region_report(viewer=viewer, region=region)


RELEASE_PARTS: tuple[tuple[str, Callable[[Region, Viewer], None]], ...] = (
    ("equity", _equity),
    ("completion", _completion),
    ("adjusted", _adjusted),
    ("komvux", _komvux),
    ("incidents", _incidents),
)
"""The region pages decided by the warm-up, in the order people open them (an analysis for
every region before the next analysis): the equity pages are ready for every region while
completion, komvux and incidents, which take minutes, are still being decided; the adjusted
results take seconds."""


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
            decide(region, ANONYMOUS)
            logger.info(
                "warmed release %s/%s for %s in %.1f s",
                analysis,
                region.code,
                version.label,
                time.perf_counter() - start,
            )
    owners = owner_classes_active(settings.LIKVARD_WARM_OWNER_CLASSES)
    with audit_reads_withheld():
        for number, viewer in enumerate(owners, start=1):
            for region in _owned_regions(viewer, regions):
                start = time.perf_counter()
                for _analysis, decide in RELEASE_PARTS:
                    decide(region, viewer)
                logger.info(
                    "warmed release owner class %d/%s for %s in %.1f s",
                    number,
                    region.code,
                    version.label,
                    time.perf_counter() - start,
                )
            start = time.perf_counter()
            _own_pages(viewer)
            logger.info(
                "warmed release owner class %d/own pages for %s in %.1f s",
                number,
                version.label,
                time.perf_counter() - start,
            )
        for number, viewer in enumerate(_health_classes(settings.LIKVARD_WARM_OWNER_CLASSES), 1):
            start = time.perf_counter()
            _warning_lists(viewer, viewer.health_units)
            logger.info(
                "warmed release health class %d/warning lists for %s in %.1f s",
                number,
                version.label,
                time.perf_counter() - start,
            )
    return len(regions)


def _health_classes(limit: int) -> list[Viewer]:
    """One viewer per rights class of the active people in a school's student health team who
    own no figures (those who do are warmed as owners), most recently signed in first, at most
    ``limit``: the warning list is kept per rights class, so each class's own."""
    people = get_user_model().objects.filter(is_active=True)
    classes: dict[str, Viewer] = {}
    for user in people.order_by(F("last_login").desc(nulls_last=True), "pk"):
        viewer = viewer_for(user)
        if viewer.health_units and not (viewer.organizers or viewer.school_units):
            classes.setdefault(viewer_rights_class(viewer), viewer)
    return list(classes.values())[:limit]


def _warning_lists(viewer: Viewer, codes: frozenset[str]) -> None:
    """The early-warning lists of the units ``codes`` that ``viewer`` may read, kept with
    their reads (replayed for each reader): a student health team's list was computed on its
    first visit (a warehouse query: 265 ms of CPU, 929 ms wall at load 13 on the demo, then
    56 and 144 ms, issue #16)."""
    for unit in SchoolUnit.objects.filter(code__in=codes).select_related("organizer"):
        if allowed(viewer, Action.READ_WARNING_LIST, school_unit=unit.code):
            completion.warning_list(viewer=viewer, school=unit)


def _own_pages(viewer: Viewer) -> None:
    """The equity, completion and adjusted results pages of ``viewer``'s own organizers and of
    the organizers of the units it heads (every grade year, the default breakdown; both stages,
    the default outcome), and of those units: their units' cubes are released for the owner's
    class and kept with their reads (1 s of CPU and 45 units' releases on a principal's first
    organizer page in a web process before, issue #16), and the early-warning lists of those
    units and of the units whose student health team it is in, kept with their reads like
    them. Units the owner serves in student health only are no owner's for the gate (it
    ignores them), but their warning lists are the viewer's to read."""
    heads = SchoolUnit.objects.filter(code__in=viewer.school_units)
    units = list(heads.select_related("organizer").order_by("code"))
    numbers = viewer.organizers | {u.organizer.organisation_number for u in units}
    for organizer in Organizer.objects.filter(organisation_number__in=numbers).order_by("pk"):
        for grade_year in equity.GRADE_YEARS:
            equity.organizer_equity_report(
                viewer=viewer, organizer=organizer, grade_year=grade_year
            )
        # the warning's evaluation on the organizer's starters, kept on disk per data version
        # (a warehouse query of 2.5 s wall on the demo, on the organizer page's first visit)
        completion.evaluation_report(viewer=viewer, organizer=organizer)
        for stage in adjusted.Stage:
            adjusted.adjusted_organizer_report_keyed(
                viewer=viewer, organizer=organizer, stage=stage
            )
    for unit in units:
        equity.school_equity_report(viewer=viewer, school=unit)
    # the warning lists of the units it heads and of those whose student health team it is in
    _warning_lists(viewer, viewer.school_units | viewer.health_units)


def _owned_regions(viewer: Viewer, regions: list[Region]) -> list[Region]:
    """The regions holding the municipality of one of ``viewer``'s organizers or units."""
    places = {
        *Organizer.objects.filter(organisation_number__in=viewer.organizers).values_list(
            "municipality__code", flat=True
        ),
        *SchoolUnit.objects.filter(code__in=viewer.school_units).values_list(
            "municipality__code", flat=True
        ),
    }
    return [
        region
        for region in regions
        if places & {m.code for m in organisations.region_municipalities(region=region)}
    ]
