"""The Kolada-compatible API answers in Kolada's shapes with the analysis basis's figures.

Region ``gr`` (Kungsbacka, Mölndal) of ``region_world``; ``gr9_test_vs_grade`` (``L00001``)
in 2025: Björkris skola 30 of 40 students graded above the test (75 %), Kungsbacka 76 of 120,
the region 78 of 160 (48,75 %), Riket 78 of 200 (39 %).
"""

from __future__ import annotations

import pytest
from django.test import Client

from likvard.access.policy import ANONYMOUS
from likvard.access.tokens import api_token_create
from likvard.opendata.services.kpis import OWN_IDS, kpi_list
from likvard.quality.services.basis import region_basis, school_unit_basis
from likvard_core.analytics.quality.catalogue_model import DataSource
from likvard_core.analytics.quality.indicator_sql import WAREHOUSE_INDICATORS
from tests.app.conftest import World
from tests.app.opendata.conftest import MERIT_KPI, OWN_KPI, SMALL, YEAR

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, **headers: str) -> dict:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()


def _total(record: dict) -> dict:
    """The all-students (``T``) value of a Kolada record (no gender asked: T, K and M)."""
    return next(v for v in record["values"] if v["gender"] == "T")


def _values(body: dict, key: str = "municipality") -> dict[str, tuple[float | None, str]]:
    return {
        r[key]: (_total(r)["value"], _total(r)["status"])
        for r in body["values"]
        if r["period"] == YEAR
    }


def test_every_warehouse_indicator_has_an_id_that_cannot_clash():
    from likvard.quality.services.catalogue import catalogue_current

    catalogue = catalogue_current()
    for code in WAREHOUSE_INDICATORS:
        revisions = [i for i in catalogue.indicators if i.code == code]
        if revisions and revisions[-1].data_source is DataSource.WAREHOUSE:
            assert revisions[-1].kolada_kpi or code in OWN_IDS, code
    ids = [k.id for k in kpi_list()]
    assert len(ids) == len(set(ids))
    assert all(i[0] in "NU" and i[1:].isdigit() and len(i) == 6 for i in ids if i[0] != "L")
    assert all(i[1:].isdigit() and len(i) == 6 for i in ids if i[0] == "L")
    assert OWN_IDS == {"gr9_test_vs_grade": "L00001", "gr_absence": "L00002"}  # never renumber


def test_values_equal_the_analysis_basis(region_world: World):
    body = _get(Client(), f"/kolada/v3/data/kpi/{OWN_KPI}/municipality/1384,LVGR,GLVGR,0000")
    areas = _values(body)
    block = next(
        b
        for b in region_basis(viewer=ANONYMOUS, region=region_world.region, year=YEAR).all_blocks()
        if b.indicator.code == "gr9_test_vs_grade"
    )
    assert areas["LVGR"][0] == pytest.approx(block.value.value) == pytest.approx(48.75)
    assert areas["0000"][0] == pytest.approx(39.0)
    assert areas["1384"][0] == pytest.approx(76 / 1.2)
    members = {c.label_sv: c.figure.value for c in block.members}
    assert members["Kungsbacka"] == pytest.approx(areas["1384"][0])
    group = _total(next(r for r in body["values"] if r["municipality"] == "GLVGR"))
    assert group["count"] == 2  # Kolada's groups: the unweighted mean of the members
    assert group["value"] == pytest.approx((76 / 1.2 + 5.0) / 2)
    units = _values(_get(Client(), f"/kolada/v3/oudata/kpi/{OWN_KPI}/ou/65390344"), "ou")
    unit_block = next(
        b
        for b in school_unit_basis(
            viewer=ANONYMOUS, school_unit=region_world.own_unit, year=YEAR
        ).all_blocks()
        if b.indicator.code == "gr9_test_vs_grade"
    )
    assert units["65390344"][0] == pytest.approx(unit_block.value.value) == pytest.approx(75.0)


def test_a_suppressed_value_is_null_with_its_status_and_the_owner_sees_it(region_world: World):
    url = f"/kolada/v3/oudata/kpi/{MERIT_KPI}/year/{YEAR}"
    public = _values(_get(Client(), url), "ou")
    assert public[SMALL] == (None, "För få")
    kungsbacka_units = [u for u in public if u.startswith("6539")]
    municipality = _values(_get(Client(), f"/kolada/v3/data/kpi/{MERIT_KPI}/year/{YEAR}"))
    hidden = [u for u in kungsbacka_units if public[u][0] is None]
    hidden += ["1384"] if municipality["1384"][0] is None else []
    assert len(hidden) != 1  # never the only hidden cell beside its total
    token = api_token_create(user=region_world.users["small_analyst"], name="kolada")
    own = _values(_get(Client(), url, HTTP_AUTHORIZATION=f"Bearer {token.secret}"), "ou")
    assert own[SMALL][0] is not None
    assert own[SMALL][1] == ""


def test_kolada_envelopes_paging_and_errors(region_world: World):
    client = Client()
    v3 = _get(client, f"/kolada/v3/data/kpi/{OWN_KPI}?per_page=2")
    assert v3["count"] == 5
    assert len(v3["values"]) == 2
    assert v3["next_url"].endswith("page=2&per_page=2") or "page=2" in v3["next_url"]
    assert v3["previous_url"] is None
    last = _get(client, f"/kolada/v3/data/kpi/{OWN_KPI}?per_page=2&page=3")
    assert last["next_url"] is None
    assert len(last["values"]) == 1
    v2 = _get(client, f"/kolada/v2/data/kpi/{OWN_KPI}/year/{YEAR}?per_page=2")
    assert v2["count"] == 2
    assert "next_page" in v2
    assert "isdeleted" not in v2["values"][0]["values"][0]
    query = _get(client, f"/kolada/v3/data/?kpi_id={OWN_KPI}&municipality_id=1384&year={YEAR}")
    assert [r["municipality"] for r in query["values"]] == ["1384"]
    empty = {"count": 0, "values": [], "next_url": None, "previous_url": None}
    assert _get(client, f"/kolada/v3/data/kpi/N00945/year/{YEAR}") == empty
    assert _get(client, f"/kolada/v3/data/kpi/{OWN_KPI}?from_date=2999-01-01") == empty
    assert _get(client, f"/kolada/v3/data/kpi/{OWN_KPI}?from_date=2000-01-01")["count"] == 5
    for url, status in [
        ("/kolada/v3/data", 400),
        (f"/kolada/v3/data/kpi/{OWN_KPI}?per_page=5001", 400),
        (f"/kolada/v3/data/kpi/{OWN_KPI}/year/tjugo", 400),
        (f"/kolada/v3/data/kpi/{OWN_KPI}?from_date=igår", 400),
        (f"/kolada/v3/data/kpi/{OWN_KPI}?gender=X", 400),
        (f"/kolada/v3/data/kpi/{OWN_KPI}/skola/1", 404),
        ("/kolada/v3/finns-inte", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert "detail" in response.json()
    bad = client.get(f"/kolada/v3/data/kpi/{OWN_KPI}", HTTP_AUTHORIZATION="Bearer fel")
    assert bad.status_code == 401


def test_metadata_routes(region_world: World):
    client = Client()
    kpis = _get(client, "/kolada/v3/kpi?title=meritvärde")["values"]
    assert [k["id"] for k in kpis] == [MERIT_KPI]
    assert "beräknat av Likvärd" in kpis[0]["description"]
    assert kpis[0]["has_ou_data"] is True
    assert _get(client, f"/kolada/v2/kpi/{OWN_KPI},{MERIT_KPI}")["count"] == 2
    groups = _get(client, "/kolada/v3/municipality_groups/GLVGR")["values"]
    assert [m["id"] for m in groups[0]["members"]] == ["1384", "1481"]
    regions = _get(client, "/kolada/v3/municipality?type=L")["values"]
    assert {"id": "LVGR", "title": "Göteborgsregionen", "type": "L"} in regions
    units = _get(client, "/kolada/v3/ou?municipality=1384")["values"]
    assert {u["id"] for u in units} == {"65390344", "65390345", "65390346", SMALL}
    assert _get(client, "/kolada/v3/kpi_groups")["values"][0]["members"]


def test_girls_and_boys_are_released_with_the_totals(region_world: World):
    client = Client()
    totals = _get(client, f"/kolada/v3/oudata/kpi/{MERIT_KPI}/year/{YEAR}?gender=T")["values"]
    body = _get(client, f"/kolada/v3/oudata/kpi/{MERIT_KPI}/year/{YEAR}?gender=K,M,T")
    default = _get(client, f"/kolada/v3/oudata/kpi/{MERIT_KPI}/year/{YEAR}")
    assert default == body  # no gender asked: every gender, as Kolada answers
    by_unit = {r["ou"]: {v["gender"]: v for v in r["values"]} for r in body["values"]}
    assert {r["ou"]: r["values"][0] for r in totals} == {u: g["T"] for u, g in by_unit.items()}
    assert all(set(g) == {"K", "M", "T"} for g in by_unit.values())
    shown = 0
    for unit, genders in by_unit.items():
        girls, boys, total = genders["K"], genders["M"], genders["T"]
        if total["value"] is None:  # a hidden total hides its parts
            assert girls["value"] is None, unit
            assert boys["value"] is None, unit
        # girls + boys = all: one part hidden beside a shown total and part would be recovered
        assert (girls["value"] is None) == (boys["value"] is None) or total["value"] is None
        shown += girls["value"] is not None
    assert shown >= 1
    assert by_unit[SMALL]["K"]["value"] is None
    girls_only = _get(client, f"/kolada/v3/oudata/kpi/{MERIT_KPI}/year/{YEAR}?gender=K")
    assert {v["gender"] for r in girls_only["values"] for v in r["values"]} == {"K"}
    assert _get(client, f"/kolada/v3/kpi/{MERIT_KPI}")["values"][0]["is_divided_by_gender"] == 1


def test_gender_figures_are_withheld_when_the_joint_release_hides_another_total():
    import pyarrow as pa

    from likvard.opendata.services.gender import served_gender_rows

    def table(rows: list[tuple[str | None, str | None, str]]) -> pa.Table:
        return pa.Table.from_pylist([
            {"region_code": "gr", "municipality_code": m, "organizer_code": None,
             "school_unit_code": None, "indicator": "x", "school_year": YEAR, "group": g,
             "n": 1, "value": 1.0, "ci_low": None, "ci_high": None, "numerator": None,
             "denominator": None, "status": s}
            for m, g, s in rows
        ])  # fmt: skip

    totals = table([(None, None, "exists"), ("1384", None, "exists")])
    agreeing = table([(None, None, "exists"), ("1384", None, "exists"),
                      ("1384", "girls", "exists"), ("1384", "boys", "exists")])  # fmt: skip
    assert [r["status"] for r in served_gender_rows(agreeing, totals)] == ["exists", "exists"]
    hiding_more = table([(None, None, "suppressed_complementary"), ("1384", None, "exists"),
                         ("1384", "girls", "exists"), ("1384", "boys", "exists")])  # fmt: skip
    served = served_gender_rows(hiding_more, totals)
    assert [(r["status"], r["value"]) for r in served] == [("suppressed_complementary", None)] * 2


def test_no_girls_or_boys_cell_is_exposed_given_the_totals(region_world: World):
    # The auditor over T plus K and M as anyone fetches them (#22): the joint release takes the
    # totals as settled, so girls' and boys' figures are served beside every shown total.
    from likvard.organisations.models import Region
    from tests.app.opendata.gender_audit import kolada_gender_audit

    codes = [k.code for k in kpi_list() if k.id in {MERIT_KPI, OWN_KPI}]
    result, rows, shown = kolada_gender_audit(
        region=Region.objects.get(code="gr"), indicators=codes, year=YEAR
    )
    assert rows > 0
    assert shown > 0
    assert result.exposed == 0, [f.describe() for f in result.findings]
