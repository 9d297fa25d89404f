"""Movement services against a small imported warehouse."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings

from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.analyses.movement import services
from likvard.analyses.movement.selectors import movement_reference
from likvard.analyses.movement.services.cells import (
    AREA_CELLS,
    CELL_YEARS,
    CHOICES,
    INTRODUCTION_CELLS,
    NATIONAL_CELLS,
    area_cells,
    movement_derived_warm,
)
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.tables import cells_in_scope, movement_cells
from likvard_core.warehouse.derived import DERIVED_DIR

pytestmark = pytest.mark.django_db


def test_region_report_counts_the_other_organizer_share(movement_warehouse):
    world = movement_warehouse.world
    viewer = viewer_for(world.users["administrator"])
    report = services.region_report(viewer=viewer, region=world.region, filters=services.Filters())
    assert report.year == 2026
    rows = {r.code: r for r in report.map_rows}
    # suppressed for the administrator (no student-level rights), but these groups are large
    assert (rows["1384"].residents, rows["1384"].other) == (50, 20)
    assert rows["1384"].share == pytest.approx(0.4)
    assert (rows["1481"].residents, rows["1481"].other) == (25, 0)
    assert rows["1481"].incoming == 20
    assert rows["1384"].net == -20
    assert report.trend[0].residents == 75
    assert "<svg" in report.sankey
    assert "<title" in report.sankey
    matrix = {r.code: r.cells for r in report.matrix_rows}
    assert matrix["1384"] == [30, 20]


def test_owner_sees_full_figures_and_filters_apply(movement_warehouse):
    world = movement_warehouse.world
    viewer = viewer_for(world.users["organizer_analyst"])
    filters = services.Filters(programme="EE")
    report = services.municipality_report(
        viewer=viewer, municipality=world.own_unit.municipality, filters=filters
    )
    totals = {r.programme_code: r for r in report.balance_rows}
    assert totals[None].outgoing == 20  # every programme: a null total, named as such
    assert totals[None].label == "Alla program"
    assert set(totals) == {"EE", None}


def test_admissions_are_suppressed_for_others(movement_warehouse):
    world = movement_warehouse.world
    viewer = viewer_for(world.users["administrator"])
    report = services.admissions_report(viewer=viewer, region=world.region, year=None)
    assert report.categories == {"stayed": 71, "moved": None, "left": None, "arrived": 0}
    assert not report.cells.full


def test_admissions_report_flags_added_places(movement_warehouse):
    world = movement_warehouse.world
    analyst = viewer_for(world.users["organizer_analyst"])
    both = frozenset({world.own.organisation_number, world.other.organisation_number})
    viewer = replace(analyst, organizers=both)  # rights to both organizers: figures in full
    report = services.admissions_report(viewer=viewer, region=world.region, year=None)
    assert report.year == 2025
    assert report.cells.full
    assert report.categories == {"stayed": 71, "moved": 4, "left": 3, "arrived": 0}
    cells = {(r.school_unit_code, r.programme_code): r for r in report.rows}
    own_na = cells[(world.own_unit.code, "NA")]
    assert (own_na.admitted_final, own_na.enrolled, own_na.incoming) == (26, 30, 4)
    assert own_na.added_flag is True
    assert [r.school_unit_code for r in report.flagged] == [world.own_unit.code]


def _kept(version: VersionRef) -> list[str]:
    folder = Path(settings.LIKVARD_WAREHOUSE_DIR) / DERIVED_DIR / version.key
    return sorted({p.name.split("-")[0] for p in folder.glob("*.parquet")})


def test_pages_read_cells_kept_per_data_version(movement_warehouse):
    world = movement_warehouse.world
    version, reference = data_version_get(), movement_reference()
    assert movement_derived_warm(version=version, reference=reference) > 0  # after an import
    assert _kept(version) == sorted([CELL_YEARS, CHOICES, INTRODUCTION_CELLS, NATIONAL_CELLS])
    viewer = viewer_for(world.users["administrator"])
    first = services.region_report(viewer=viewer, region=world.region, filters=services.Filters())
    assert _kept(version) == sorted(
        [AREA_CELLS, CELL_YEARS, CHOICES, INTRODUCTION_CELLS, NATIONAL_CELLS]
    )
    again = services.region_report(viewer=viewer, region=world.region, filters=services.Filters())
    assert first.matrix.table.equals(again.matrix.table)
    assert first.share.table.equals(again.share.table)
    # the kept slice is exactly what the core computes for the region from the enrolments
    members = sorted(m.code for m in world.region.municipalities.all())
    kept = area_cells(version=version, reference=reference, municipalities=members)
    with version.open() as db:
        cells = movement_cells(db, reference.lookups, Scope())
    direct = cells_in_scope(cells, Scope.of(municipalities=members))
    assert sorted(tuple(r.values()) for r in kept.select(direct.schema.names).to_pylist()) == (
        sorted(tuple(r.values()) for r in direct.to_pylist())
    )


def test_region_release_is_kept_for_viewers_without_own_figures(movement_warehouse):
    """The joint release of the region's tables is computed once per data version for viewers
    who own no figures (it takes seconds on a real region); an organizer's analyst is released
    per request, so their full reads are audited every time."""
    world = movement_warehouse.world
    coordinator = viewer_for(world.users["regional_coordinator"])
    first = services.region_report(
        viewer=coordinator, region=world.region, filters=services.Filters()
    )
    second = services.region_report(
        viewer=coordinator, region=world.region, filters=services.Filters()
    )
    assert first.share.table.equals(second.share.table)
    assert first.share.table.schema.names[:3] == [
        "school_year",
        "region_code",
        "home_municipality_code",
    ]
    analyst = viewer_for(world.users["organizer_analyst"])
    before = AuditEvent.objects.count()
    services.region_report(viewer=analyst, region=world.region, filters=services.Filters())
    services.region_report(viewer=analyst, region=world.region, filters=services.Filters())
    assert AuditEvent.objects.count() >= before + 2
