"""The movement app's warmers: the national cells of a new data version (ADR 0007), then each
region's dependency map released as for a viewer who owns no figures (its gate decision kept in
Django's cache before the first coordinator asks)."""

from __future__ import annotations

from likvard.access.policy import ANONYMOUS
from likvard.analyses.movement.selectors import movement_reference
from likvard.analyses.movement.services import Filters, region_report
from likvard.analyses.movement.services.cells import movement_derived_warm
from likvard.organisations import selectors as organisations
from likvard.warehouse.selectors import VersionRef, data_version_previous_complete


def warm_movement(version: VersionRef, *, previous: VersionRef | None = None) -> int:
    """Compute ``version``'s national movement cells and filter choices; returns the cells.

    The cells are the previous complete version's (``previous``, default: looked up), counted
    again only in the school years whose enrolments the new batches change.
    """
    previous = previous if previous is not None else data_version_previous_complete(version)
    return movement_derived_warm(version=version, reference=movement_reference(), previous=previous)


def warm_movement_releases(version: VersionRef) -> int:
    """Release each region's map of ``version`` (latest year, no filters); returns regions."""
    if not any(version.files.values()):
        return 0
    regions = [r for r in organisations.region_list() if getattr(r, "member_count", 0)]
    for region in regions:
        region_report(viewer=ANONYMOUS, region=region, filters=Filters())
    return len(regions)
