"""The analyses' release warmer: the region pages' gate decisions of a new data version.

Run by the warm-up (``likvard.warehouse.warm``) after the kept tables, with the new version
pinned: each region's equity page (every grade year, the default choices), completion page,
komvux page and incident follow-up (the default N days) are computed as a viewer who owns no
figures (a regional coordinator, a network member), so the gate's joint decisions for them are
in Django's cache before the first person asks. Viewers who own figures in a region get their
own decision on their first request, as before.
"""

from __future__ import annotations

from likvard.access.policy import ANONYMOUS
from likvard.analyses.completion import services as completion
from likvard.analyses.equity import services as equity
from likvard.analyses.incidents import services as incidents
from likvard.analyses.komvux import services as komvux
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.selectors import VersionRef


def _regions() -> list[Region]:
    return [r for r in organisations.region_list() if getattr(r, "member_count", 0)]


def warm_region_releases(version: VersionRef) -> int:
    """Decide and cache the region pages' releases of ``version``; returns the regions done."""
    if not any(version.files.values()):
        return 0
    regions = _regions()
    for region in regions:
        for grade_year in equity.GRADE_YEARS:
            equity.region_equity_report(viewer=ANONYMOUS, region=region, grade_year=grade_year)
        completion.completion_region_report(viewer=ANONYMOUS, region=region)
        completion.evaluation_report(viewer=ANONYMOUS, region=region)
        completion.year9_report(viewer=ANONYMOUS, region=region)
        completion.warning_counts_report(viewer=ANONYMOUS, region=region)
        # Komvux's region cubes take minutes to decide at demo scale (issue #20): never on a
        # visitor's request, where they would outlast the server's timeout.
        komvux.komvux_region_report(viewer=ANONYMOUS, region=region)
        # Incidents release their stage counts as cells, one cube per school year: about three
        # minutes for GR at demo scale, so also decided here (the default N days).
        incidents.incident_region_report(viewer=ANONYMOUS, region=region)
    return len(regions)
