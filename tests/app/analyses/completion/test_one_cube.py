"""Issue #15: the completion pages release a start year's cells as one cube, outcomes included.

The trend (every start year's totals) and the chosen year's breakdowns were released as two
cubes, and the outcome counts (``diploma_4``, ``moved_programme`` ...) were value columns the
gate never saw as cells: a hidden group's outcome was the shown total's minus the shown
groups', most often 0 (81 exposed cells, Skaraborg 2025, 72 of them only 0).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from likvard.access.policy import viewer_for
from likvard.analyses.completion import services
from likvard.audit import gather as gathering
from likvard_core.analytics.completion.cohort import HORIZONS, PATHS
from likvard_core.audit.audit import audit
from tests.app.conftest import World

YEARS = (2020, 2022)
LAST_YEAR = 2024
PROGRAMMES = {"NA": "preparatory", "EE": "vocational", "IMV": "introduction"}


def starter_cells(world: World, seed: int = 5) -> pa.Table:
    """Finest completion cells of the test world's two units: many small groups, outcomes
    split at random (seeded), rare paths (so that many outcome counts are 0)."""
    rng = np.random.default_rng(seed)
    rows = []
    units = [(world.own_unit, world.own), (world.other_unit, world.other)]
    for year in YEARS:
        for unit, organizer in units:
            for programme, group in PROGRAMMES.items():
                for home in ("1384", "1481"):
                    for background in ("born_abroad", "born_in_sweden"):
                        n = int(rng.integers(1, 5))
                        rows.append(_cell(rng, year, unit.code, organizer.organisation_number,
                                          programme, group, home, background, n))  # fmt: skip
    return pa.Table.from_pylist(rows)


def _cell(  # noqa: PLR0917 (one finest cell, by its coordinates)
    rng: np.random.Generator, year: int, unit: str, organizer: str, programme: str,
    group: str, home: str, background: str, n: int,
) -> dict[str, object]:  # fmt: skip
    observed = {k: n if year + k - 1 <= LAST_YEAR else 0 for k in HORIZONS}
    d3, d4, s4, c4, i4 = 0, 0, 0, 0, 0
    if observed[4]:
        d4, s4, c4, i4 = (int(v) for v in rng.multinomial(n, [0.7, 0.1, 0.1, 0.1]))
        d3 = int(rng.integers(0, d4 + 1))
    d5 = d4 + (s4 if observed[5] else 0)
    if not observed[3]:
        d3 = 0
    row: dict[str, object] = {
        "start_year": year, "programme_group": group, "programme_code": programme,
        "organizer_code": organizer, "school_unit_code": unit,
        "home_municipality_code": home, "background": background, "n": n,
        **{f"observed_{k}": observed[k] for k in HORIZONS},
        "diploma_3": d3, "diploma_4": d4, "diploma_5": d5 if observed[5] else 0,
        "studying_4": s4, "certificate_4": c4, "interrupted_4": i4,
        **{p: int(rng.binomial(n, 0.05)) for p in (*PATHS, "im_to_national")},
    }  # fmt: skip
    return row


@pytest.fixture
def small_cohorts(completion_world: World, monkeypatch) -> World:
    table = starter_cells(completion_world)
    monkeypatch.setattr(services, "_cells", lambda version: table)
    return completion_world


def _statuses(table: pa.Table, dims: tuple[str, ...]) -> dict[tuple[object, ...], str]:
    return {tuple(r[d] for d in dims): str(r["status"]) for r in table.to_pylist()}


@pytest.mark.django_db
def test_the_trend_shows_a_years_totals_as_its_breakdowns_do(small_cohorts: World):
    viewer = viewer_for(small_cohorts.users["network_member"])
    dims = ("start_year", "programme_group")
    for year in YEARS:
        report = services.completion_region_report(
            viewer=viewer, region=small_cohorts.region, year=year
        )
        trend = _statuses(report.totals.table, dims)
        for by, table in report.tables.items():
            totals = table.table.filter(pa.compute.is_null(table.table.column(by)))
            for key, status in _statuses(totals, dims).items():
                assert trend[key] == status, (by, key)


@pytest.mark.django_db
def test_the_audit_finds_no_completion_cell_exposed(small_cohorts: World, monkeypatch):
    monkeypatch.setattr(gathering, "GATHERERS", {})
    monkeypatch.setattr(gathering, "SOURCES", gathering.SOURCES[:1])
    viewer = viewer_for(small_cohorts.users["network_member"])
    gathered = gathering.gather(viewer=viewer, region=small_cohorts.region)
    result = audit(gathered.tables, gathered.hierarchy)
    assert sum(s.hidden for s in result.summaries) > 0
    assert [f.describe() for f in result.findings] == []


@pytest.mark.django_db
def test_a_one_unit_organizers_row_does_not_give_its_hidden_unit_away(
    completion_world: World, monkeypatch
):
    # A start year with 7 starters at the own organizer's one unit (too few for a school
    # unit, 10, enough for an organizer, 5) and 120 at the other's. The organizer's row is
    # its unit's: shown beside the unit hidden, it gave the unit away (the unit table did
    # not know which organizer a unit belongs to; the auditor reads it from the register).
    rng = np.random.default_rng(7)
    rows = []
    for unit, organizer, programmes in (
        (completion_world.own_unit, completion_world.own, {"NA": 7}),
        (completion_world.other_unit, completion_world.other, {"NA": 60, "EE": 60}),
    ):
        for programme, n in programmes.items():
            rows.append(_cell(rng, 2020, unit.code, organizer.organisation_number, programme,
                              PROGRAMMES[programme], "1384", "born_in_sweden", n))  # fmt: skip
    table = pa.Table.from_pylist(rows)
    monkeypatch.setattr(services, "_cells", lambda version: table)
    monkeypatch.setattr(gathering, "GATHERERS", {})
    monkeypatch.setattr(gathering, "SOURCES", gathering.SOURCES[:1])
    viewer = viewer_for(completion_world.users["network_member"])
    report = services.completion_region_report(
        viewer=viewer, region=completion_world.region, year=2020
    )
    units = report.tables["school_unit_code"].rows()
    own = completion_world.own_unit.code
    assert {str(r["status"]) for r in units if r["school_unit_code"] == own} == {"too_few"}
    gathered = gathering.gather(viewer=viewer, region=completion_world.region)
    result = audit(gathered.tables, gathered.hierarchy)
    assert [f.describe() for f in result.findings] == []
