"""Open data's release warmer: every year's public table of a new data version, and the Kolada
API's girls' and boys' values.

The public tables and the Kolada-compatible API read the same released levels cubes (one per
region, indicator and year, as an anonymous viewer: ``services.released``), so releasing every
year's table once, in the warm-up with the new version pinned, puts every cube the API serves
to anonymous callers in Django's cache before the first request.

The API answers every gender (``T``, ``K`` and ``M``) when a request names none, as Kolada
does, so the joint releases of the totals with their girls and boys (``services.gender``, one
per region, indicator and year, 1-3 s each) are decided here too, for the anonymous viewer:
without them a first request for one KPI's every municipality and ten years would wait about a
minute.

A token whose owner sees some figures in full (an organizer's analyst, a principal) is released
for its own viewer class: the gate counts the owner's cells as known, so its decisions are not
the anonymous viewer's. So the warm-up also releases T, K and M for the viewer class of every
live token's owner who owns figures (``warm_kolada_token_classes``), reads withheld from the
audit log (nobody reads there); the owner's first request then reads the kept releases and is
audited for them as any later request is. A token made after the warm-up queues the same
release for its owner's class at once (``likvard.opendata.tasks.kolada_token_warm``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from likvard.access.audit import audit_reads_withheld
from likvard.access.models import ApiToken
from likvard.access.policy import ANONYMOUS, Viewer, owner_classes
from likvard.opendata.services.datasets import ANALYSES, dataset_rows, dataset_years
from likvard.opendata.services.entities import region_members
from likvard.opendata.services.kpis import kpi_list
from likvard.opendata.services.released import released_rows
from likvard.opendata.services.values import PURPOSE, value_years
from likvard.warehouse.selectors import VersionRef


def warm_open_data(version: VersionRef) -> int:
    """Release every open data table of ``version`` and every region's, indicator's and
    year's girls' and boys' values for anonymous callers; returns the tables done."""
    if not any(version.files.values()):
        return 0
    done = 0
    for analysis in ANALYSES.values():
        for year in dataset_years():
            dataset_rows(analysis=analysis, year=year)
            done += 1
    return done + warm_kolada_genders(version) + warm_kolada_token_classes(version)


def warm_kolada_genders(version: VersionRef) -> int:
    """Decide the joint releases of totals, girls and boys of every indicator, region and
    year of ``version`` for the anonymous viewer (kept in Django's cache); returns the
    region × year pairs done."""
    regions = sorted(region_members())
    years = value_years(version=version)
    indicators = [k.code for k in kpi_list(version=version)]
    if not indicators:
        return 0
    released_rows(
        viewer=ANONYMOUS, indicators=indicators, regions=regions, years=years,
        purpose=PURPOSE, channel="api", version=version, genders=True,
    )  # fmt: skip
    return len(regions) * len(years)


def token_viewer_classes() -> list[Viewer]:
    """One viewer per class of the owners of live API tokens who see some figures in full
    (their organizers and school units; owners who own none are the anonymous class's)."""
    now = timezone.now()
    tokens = ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=now).select_related(
        "user"
    )
    return owner_classes(token.user for token in tokens.order_by("pk"))


def warm_kolada_token_classes(version: VersionRef) -> int:
    """Release T, K and M of every indicator, region and year of ``version`` for each viewer
    class of ``token_viewer_classes`` (kept in Django's cache, reads withheld: module doc);
    returns the classes done."""
    return warm_kolada_viewers(version, token_viewer_classes())


def warm_kolada_viewers(version: VersionRef, viewers: Sequence[Viewer]) -> int:
    """Release T, K and M of every indicator, region and year of ``version`` for each of
    ``viewers`` (kept in Django's cache, reads withheld: module doc); returns the viewers done.
    A class decided before (by the warm-up or another token of the class) reads its kept
    decisions and decides nothing."""
    indicators = [k.code for k in kpi_list(version=version)]
    if not viewers or not indicators:
        return 0
    regions = sorted(region_members())
    years = value_years(version=version)
    with audit_reads_withheld():
        for viewer in viewers:
            for genders in (False, True):
                released_rows(
                    viewer=viewer, indicators=indicators, regions=regions, years=years,
                    purpose=PURPOSE, channel="api", version=version, genders=genders,
                )  # fmt: skip
    return len(viewers)
