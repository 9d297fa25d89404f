"""The region's scenario: changes of places a coordinator adds to see their effect."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from likvard.access.policy import Action, Viewer, require
from likvard.analyses.planning.models import ScenarioChange
from likvard.organisations.models import Programme, Region, SchoolUnit


def scenario_change_add(
    *,
    viewer: Viewer,
    region: Region,
    school_unit: SchoolUnit,
    programme: Programme,
    from_year: int,
    places: int,
    by: User,
) -> ScenarioChange:
    """Add to the scenario: ``school_unit`` changes its ``programme`` places from ``from_year``."""
    require(viewer, Action.COORDINATE_PLANNING, region=region.code)
    change = ScenarioChange(
        region=region,
        school_unit=school_unit,
        programme=programme,
        from_year=from_year,
        places=places,
        created_by=by,
    )
    with transaction.atomic():
        change.full_clean()
        change.save()
    return change


def scenario_change_remove(*, viewer: Viewer, change: ScenarioChange) -> None:
    """Remove one change from its region's scenario."""
    require(viewer, Action.COORDINATE_PLANNING, region=change.region.code)
    with transaction.atomic():
        change.delete()
