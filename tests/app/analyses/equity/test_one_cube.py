"""Issue #15: every equity page shows a school unit's cells as one release of the unit's cube.

The school page of each breakdown and the organizer's page used to release separate cubes of
the same cells: an ``all`` row shown on the gender page and hidden on the background page
(where it protects a small background group) let a hidden group's count be worked out, most
often as 0 (``all`` has ``n_lower`` 0, so every group's hidden ``n_lower`` is 0 too). On the
demo that was 99 exposed cells (Skaraborg, 2025).
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.cache import caches

from likvard.access.policy import viewer_for
from likvard.analyses.equity import services
from likvard.analyses.equity.kept import RELEASES, SLICES
from likvard.audit.gather import gather
from likvard.organisations.models import SchoolUnit
from likvard.warehouse.models import BatchStatus, DataVersion, ImportBatch
from likvard_core.audit.audit import audit
from likvard_core.warehouse.writer import stage_batch
from tests.app.conftest import World
from tests.core.analytics.population import SchoolSpec, grade_tables
from tests.factories.organisations import SchoolUnitFactory

YEARS = [2021, 2022, 2023, 2024, 2025]
KEY = ("school_unit_code", "subject_code", "school_year", "group", "period")


def _stage(world: World, root: Path, specs: list[SchoolSpec]) -> None:
    batch_id = uuid.uuid4()
    tables = {
        name: table.drop_columns(["batch_id"])
        for name, table in grade_tables(specs, YEARS, ["MA", "EN"], seed=11).items()
    }
    staged = stage_batch(root, str(batch_id), tables)
    batch = ImportBatch.objects.create(
        id=batch_id,
        kind="enrolments",
        file_name="synthetic.parquet",
        content_hash=hashlib.sha256(str(batch_id).encode()).hexdigest(),
        organizer=world.own,
        status=BatchStatus.COMMITTED,
        rows={f.table: f.rows for f in staged.files},
        files={t: list(p) for t, p in staged.paths_by_table().items()},
    )
    version = DataVersion.objects.create(number=1, reason="synthetic")
    version.batches.set([batch])


@pytest.fixture
def small_units(world: World, tmp_path: Path, settings) -> World:
    """Small units of the own organizer (few graded lower than their test) among large ones."""
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    own = world.own.organisation_number
    second = SchoolUnitFactory(
        code="10110999", organizer=world.own, municipality=world.own_unit.municipality
    )
    specs = [
        SchoolSpec(world.own_unit.code, 16, p_lower=0.02, organizer=own),
        SchoolSpec(second.code, 13, p_lower=0.02, organizer=own),
        SchoolSpec(world.other_unit.code, 40, organizer=world.other.organisation_number),
        *(SchoolSpec(f"6900000{i}", 60) for i in range(4)),
    ]
    _stage(world, settings.LIKVARD_WAREHOUSE_DIR, specs)
    SLICES.clear()
    RELEASES.clear()
    return world


def _statuses(table: pa.Table) -> dict[tuple[object, ...], str]:
    return {tuple(r[k] for k in KEY): str(r["status"]) for r in table.to_pylist()}


@pytest.mark.django_db
def test_every_page_shows_a_units_cells_alike(small_units: World):
    viewer = viewer_for(small_units.users["network_member"])
    unit = small_units.own_unit
    pages = [
        services.school_equity_report(viewer=viewer, school=unit, grade_year=9, breakdown=b)
        for b in ("gender", "background")
    ] + [
        services.organizer_equity_report(
            viewer=viewer, organizer=small_units.own, grade_year=9, breakdown=b
        )
        for b in ("gender", "background")
    ]
    seen: dict[tuple[object, ...], set[str]] = {}
    for page in pages:
        for key, status in _statuses(page.yearly.table).items():
            if key[0] == unit.code:
                seen.setdefault(key, set()).add(status)
    assert seen
    assert {k: s for k, s in seen.items() if len(s) > 1} == {}


@pytest.mark.django_db
def test_the_audit_finds_no_equity_cell_exposed(small_units: World, monkeypatch):
    from likvard.audit import gather as gathering

    monkeypatch.setattr(gathering, "GATHERERS", {"equity": gathering.GATHERERS["equity"]})
    monkeypatch.setattr(gathering, "GRADE_YEARS", (9,))
    viewer = viewer_for(small_units.users["network_member"])
    gathered = gather(viewer=viewer, region=small_units.region)
    result = audit(gathered.tables, gathered.hierarchy)
    hidden = sum(s.hidden for s in result.summaries)
    assert hidden > 0
    assert [f.describe() for f in result.findings] == []
    # a hidden girls' n_lower under an "all" row showing n_lower 0 is 0, as the row says
    assert result.zeros_of_totals > 0


@pytest.mark.django_db
def test_the_region_page_shows_the_units_cells_as_their_pages_do(small_units: World):
    """The region's distribution page released a cube of its own (one year's gender rows of
    every unit, no patterns): a cell hidden on a school's page was shown there, or the
    reverse, so the two pages together gave hidden counts away (24 cells, Skaraborg 2025)."""
    viewer = viewer_for(small_units.users["network_member"])
    region = services.region_equity_report(viewer=viewer, region=small_units.region)
    on_region = _statuses(region.yearly.table)
    assert on_region
    units = {key[0] for key in on_region}
    differing = {}
    for code in sorted(units):
        school = services.school_equity_report(
            viewer=viewer, school=SchoolUnit.objects.get(code=code), grade_year=9
        )
        for key, status in _statuses(school.yearly.table).items():
            if key in on_region and on_region[key] != status:
                differing[key] = (on_region[key], status)
    assert differing == {}


@pytest.mark.django_db
def test_a_page_of_a_released_unit_reads_only_its_own_slice(small_units: World, monkeypatch):
    """Once a unit's cube is released to a viewer class (the region page releases every
    unit's), its school page reads its own slice and not its organizer's again: the slice
    was read, and thrown away, before the kept release was looked up (an audit of GR read
    every school page's organizer slice again, 0.1-0.5 s each)."""
    viewer = viewer_for(small_units.users["network_member"])
    services.region_equity_report(viewer=viewer, region=small_units.region)
    unit = small_units.own_unit
    before = services.school_equity_report(viewer=viewer, school=unit, grade_year=9)
    SLICES.clear()
    read: list[tuple[str, ...]] = []
    real = services._units

    def counted(version, school_units, grade_year, **kwargs):
        read.append(tuple(school_units))
        return real(version, school_units, grade_year, **kwargs)

    monkeypatch.setattr(services, "_units", counted)
    after = services.school_equity_report(viewer=viewer, school=unit, grade_year=9)
    assert read in ([], [(unit.code,)])  # none for a viewer who owns nothing (issue #16)
    assert after.yearly.table.equals(before.yearly.table)
    assert after.patterns.table.equals(before.patterns.table)


@pytest.mark.django_db
def test_an_owners_region_page_releases_only_their_own_units_anew(
    small_units: World, count_releases
):
    """An organizer's analyst knows no cell of another organizer's unit, so the gate releases
    that unit's cube to them as to a viewer who owns no figures: a web process (nothing in its
    memory) reads those releases from Django's cache, where the warm-up left them, and
    releases only the analyst's own units (GR's equity page took 18-30 s on an analyst's
    first visit, every unit's cube released again for their class)."""
    member = viewer_for(small_units.users["network_member"])
    services.region_equity_report(viewer=member, region=small_units.region)  # the warm-up
    SLICES.clear()  # another process: only Django's cache is shared
    RELEASES.clear()
    analyst = viewer_for(small_units.users["organizer_analyst"])
    released = count_releases()
    kept = services.region_equity_report(viewer=analyst, region=small_units.region)
    own = set(SchoolUnit.objects.filter(organizer=small_units.own).values_list("code", flat=True))
    assert released, "the analyst's own units are released for their class"
    assert set(released) <= own
    SLICES.clear()
    RELEASES.clear()
    caches["default"].clear()
    anew = services.region_equity_report(viewer=analyst, region=small_units.region)
    assert kept.yearly.table.equals(anew.yearly.table)
    assert set(anew.yearly.table.column("school_unit_code").to_pylist()) - own
