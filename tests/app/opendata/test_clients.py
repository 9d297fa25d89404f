"""Real Kolada clients, unchanged, against a live Likvärd: only their base URL points here.

``koladapy`` takes a base URL (``KoladaAPI(base_url=...)``). ``pykolada`` has none: its module
constant ``BASE_URL`` is monkeypatched, nothing else. Both use their own URL building, paging
and parsing, so the shapes they read are the shapes we answer.
"""

from __future__ import annotations

import pykolada
import pykolada.pykolada
import pytest
from koladapy import KoladaAPI

from likvard.access.policy import ANONYMOUS
from likvard.organisations.models import SchoolUnit
from likvard.quality.services.basis import region_basis, school_unit_basis
from tests.app.conftest import World
from tests.app.opendata.conftest import MERIT_KPI, OWN_KPI, SMALL, YEAR

YEARS = list(range(2016, 2026))


def _basis_value(basis) -> float | None:
    block = next(b for b in basis.all_blocks() if b.indicator.code == "gr9_test_vs_grade")
    return block.value.value


def _gender(record: dict, gender: str) -> dict:
    return next(v for v in record["values"] if v["gender"] == gender)


@pytest.fixture
def koladapy_client(live_server) -> KoladaAPI:
    return KoladaAPI(base_url=f"{live_server.url}/kolada/v3/", max_requests_per_second=1000)


def test_koladapy_reads_likvard(region_world: World, koladapy_client: KoladaAPI):
    api = koladapy_client
    found = api.search_kpis(query="meritvärde")
    assert [k["id"] for k in found] == [MERIT_KPI]
    assert api.get_kpi(OWN_KPI)["title"] == "Åk 9: ämnesbetyg högre än provbetyget"

    group = api.get_municipality_group("GLVGR")
    assert {m["title"] for m in group["members"]} == {"Kungsbacka", "Mölndal"}
    units = api.get_organizational_units(municipality="1384")
    assert {u["id"] for u in units} == set(
        SchoolUnit.objects.filter(municipality__code="1384").values_list("code", flat=True)
    )

    frame = api.get_data_as_dataframe(kpi_id=OWN_KPI, municipality_id=["1384", "LVGR"],
                                      years=YEARS)  # fmt: skip
    assert set(frame["period"]) == {YEAR}  # the test warehouse holds one school year
    assert set(frame["gender"]) == {"T", "K", "M"}  # no gender asked: every gender, as Kolada
    frame = frame[frame["gender"] == "T"]
    by_area = dict(zip(frame["municipality"], frame["value"], strict=True))
    region = region_basis(viewer=ANONYMOUS, region=region_world.region, year=YEAR)
    assert by_area["LVGR"] == pytest.approx(_basis_value(region))
    members = {c.label_sv: c.figure.value for b in region.all_blocks()
               if b.indicator.code == "gr9_test_vs_grade" for c in b.members}  # fmt: skip
    assert by_area["1384"] == pytest.approx(members["Kungsbacka"])

    unit = api.get_values(kpi_id=OWN_KPI, ou_id=region_world.own_unit.code, years=YEARS)
    basis = school_unit_basis(viewer=ANONYMOUS, school_unit=region_world.own_unit, year=YEAR)
    assert [(r["period"], _gender(r, "T")["value"]) for r in unit] == [
        (YEAR, pytest.approx(_basis_value(basis)))
    ]

    hidden = api.get_values(kpi_id=MERIT_KPI, ou_id=SMALL, years=YEARS)
    assert _gender(hidden[0], "T") == {
        "gender": "T", "count": 1, "status": "För få", "value": None, "isdeleted": False,
    }  # fmt: skip
    assert {v["gender"] for v in hidden[0]["values"]} == {"T", "K", "M"}
    assert all(v["value"] is None and v["status"] for v in hidden[0]["values"])

    walked = api.get_values(kpi_id=MERIT_KPI, years=YEARS)
    assert {v["gender"] for r in walked for v in r["values"]} == {"T", "K", "M"}
    for record in walked:  # a suppressed value is null with Kolada's status, a shown one not
        for value in record["values"]:
            assert (value["value"] is None) == (value["status"] != ""), record
    assert any(v["value"] is not None for r in walked for v in r["values"] if v["gender"] == "K")

    api.DEFAULT_PER_PAGE = 2  # its paging, in pages of two records instead of 5,000
    walked = api.get_values(kpi_id=[OWN_KPI, MERIT_KPI])
    assert len(walked) == 10
    assert len({(r["kpi"], r["municipality"], r["period"]) for r in walked}) == 10


def test_pykolada_reads_likvard_on_v2(region_world: World, live_server, monkeypatch):
    monkeypatch.setattr(pykolada.pykolada, "BASE_URL", f"{live_server.url}/kolada/v2/")
    assert [k["id"] for k in pykolada.get_kpi(title="meritvärde")] == [MERIT_KPI]
    groups = pykolada.get_municipality_groups(id="GLVGR")
    assert [m["id"] for m in groups[0]["members"]] == ["1384", "1481"]
    assert {u["id"] for u in pykolada.get_ou(title="Björkris")} == {"65390344", "65390345"}

    rows = pykolada.get_data(kpi=OWN_KPI, municipality=["1384", "LVGR", "0000"],
                             year=[str(y) for y in YEARS])  # fmt: skip
    values = {r["municipality"]: r["value"] for r in rows if r["gender"] == "T"}
    assert values["LVGR"] == pytest.approx(48.75)
    assert values["0000"] == pytest.approx(39.0)
    units = pykolada.get_oudata(kpi=[OWN_KPI, MERIT_KPI], ou=[region_world.own_unit.code, SMALL],
                                year=[str(y) for y in YEARS])  # fmt: skip
    got = {(r["kpi"], r["ou"]): r["value"] for r in units if r["gender"] == "T"}
    assert got[(OWN_KPI, region_world.own_unit.code)] == pytest.approx(75.0)
    assert got[(MERIT_KPI, SMALL)] is None

    paged = pykolada._make_request(f"{live_server.url}/kolada/v2/data/kpi/{OWN_KPI}?per_page=2")
    assert len(paged) == 5  # three pages followed through next_page
