"""A paged walk through the Kolada-compatible API holds exactly the kept rows DuckDB reads.

The benchmark compares the walk with the same query read straight from the kept tables
(``bench.kolada.kept_rows``). It once counted ten rows more than the API: its query took the
nation's rows (one per year) into the school units' walk. Here the whole walk, page by page
through ``next_url``, is compared with those rows: the same cells, and every shown value equal.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from bench.kolada import kept_files, kept_rows
from likvard.opendata.services.entities import NATION, region_members, unit_municipalities
from likvard.opendata.services.values import value_years
from tests.app.conftest import World
from tests.app.opendata.conftest import MERIT_KPI

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold() -> None:
    """Released cubes kept by an earlier test (same version label) would spare this test's
    warehouse the kept tables the comparison reads."""
    cache.clear()


def _walk(client: Client, url: str) -> list[dict]:
    records: list[dict] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        records += body["values"]
        url = body["next_url"]
        pages += 1
    assert pages > 1  # the walk did page
    return records


def _compare(walked: list[dict], key: str, kept: list[tuple[str, str, int, float | None]]):
    api = {(r[key], r["period"]): r["values"][0] for r in walked}
    db = {(code or NATION, year): value for _level, code, year, value in kept}
    assert sorted(api) == sorted(db)
    for cell, shown in api.items():
        if shown["status"] == "":
            assert shown["value"] == pytest.approx(db[cell]), cell
        else:
            assert shown["value"] is None, cell
    return api


def test_the_unit_walk_equals_the_kept_rows(region_world: World):
    walked = _walk(Client(), f"/kolada/v3/oudata/kpi/{MERIT_KPI}?gender=T&per_page=2")
    members = {m for codes in region_members().values() for m in codes}
    units = sorted(u for u, m in unit_municipalities().items() if m in members)
    kept = kept_rows(kept_files(), "school_unit", units, value_years(), "gr9_merit_value")
    api = _compare(walked, "ou", kept)
    assert len(api) == len(units)  # one school year in the test warehouse
    assert any(v["status"] == "" for v in api.values())


def test_the_area_walk_equals_the_kept_rows(region_world: World):
    walked = _walk(Client(), f"/kolada/v3/data/kpi/{MERIT_KPI}?gender=T&per_page=2")
    areas = [r for r in walked if r["municipality"].isdigit()]  # not the region's LV/GLV ids
    members = sorted({m for codes in region_members().values() for m in codes})
    kept = kept_rows(kept_files(), "municipality", members, value_years(), "gr9_merit_value")
    api = _compare(areas, "municipality", kept)
    assert (NATION, 2025) in api
