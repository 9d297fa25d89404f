"""Open data sets: CSV and Parquet of the public released table, their description, the
DCAT-AP-SE catalogue (expanded with pyld against its own inline context) and the Swedish page."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.test import Client
from pyld import jsonld

from tests.app.conftest import World
from tests.app.opendata.conftest import SMALL, YEAR

pytestmark = pytest.mark.django_db

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "@type"
REQUIRED = {
    f"{DCAT}Catalog": [f"{DCT}title", f"{DCT}description", f"{DCT}publisher", f"{DCAT}dataset"],
    f"{DCAT}Dataset": [f"{DCT}title", f"{DCT}description", f"{DCT}publisher",
                       f"{DCAT}contactPoint", f"{DCAT}distribution"],
    f"{DCAT}Distribution": [f"{DCAT}accessURL", f"{DCT}format", f"{DCT}license"],
    f"{FOAF}Agent": [f"{FOAF}name"],
}  # fmt: skip


def _nodes(expanded: list) -> list[dict]:
    """Every node object of an expanded JSON-LD document, nested ones too."""
    out: list[dict] = []

    def walk(item: object) -> None:
        if isinstance(item, dict):
            if RDF_TYPE in item:
                out.append(item)
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(expanded)
    return out


def test_csv_and_parquet_equal_the_api(region_world: World):
    client = Client()
    content = client.get(f"/oppna-data/analysunderlag/{YEAR}.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    parquet = pq.read_table(io.BytesIO(client.get(f"/oppna-data/analysunderlag/{YEAR}.parquet")
                                      .content)).to_pylist()  # fmt: skip
    assert len(rows) == len(parquet) > 0
    api = client.get(f"/kolada/v3/oudata/kpi/N15504,L00001/year/{YEAR}?gender=T").json()["values"]
    for record in api:
        kpi, unit = record["kpi"], record["ou"]
        value = record["values"][0]["value"]
        row = next(r for r in rows if r["kpi_id"] == kpi and r["school_unit_code"] == unit)
        cell = next(r for r in parquet if r["kpi_id"] == kpi and r["school_unit_code"] == unit)
        assert cell["value"] == (pytest.approx(value) if value is not None else None)
        assert row["value"] == ("" if value is None else str(cell["value"]))
    small = next(r for r in rows if r["kpi_id"] == "N15504" and r["school_unit_code"] == SMALL)
    assert (small["value"], small["n"], small["ci_low"], small["status"], small["mark"]) == (
        "", "", "", "too_few", "..",
    )  # fmt: skip
    nation = [r for r in rows if r["level"] == "nation" and r["indicator"] == "gr9_test_vs_grade"]
    assert len(nation) == 1
    assert float(nation[0]["value"]) == pytest.approx(39.0)


def test_description_names_columns_units_marks_version_source_licence(region_world: World):
    body = Client().get(f"/oppna-data/analysunderlag/{YEAR}-beskrivning.json").json()
    names = [f["name"] for f in body["schema"]["fields"]]
    content = Client().get(f"/oppna-data/analysunderlag/{YEAR}.csv").content.decode()
    assert names == content.splitlines()[0].split(",")
    assert all(f["description"] for f in body["schema"]["fields"])
    assert body["suppression"]["statuses"]["too_few"]["mark"] == ".."
    assert body["data_version"].startswith("v")
    assert body["sources"]
    assert body["licenses"]
    assert Client().get("/oppna-data/analysunderlag/1999.csv").status_code == 404
    assert Client().get(f"/oppna-data/analysunderlag/{YEAR}.xlsx").status_code == 404


def test_dcat_catalogue_expands_with_every_required_property(region_world: World):
    response = Client().get("/oppna-data/katalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    expanded = jsonld.expand(response.json())
    nodes = _nodes(expanded)
    by_type: dict[str, list[dict]] = {}
    for node in nodes:
        for kind in node[RDF_TYPE]:
            by_type.setdefault(kind, []).append(node)
    for kind, properties in REQUIRED.items():
        assert by_type.get(kind), kind
        for node in by_type[kind]:
            missing = [p for p in properties if p not in node]
            assert not missing, (kind, node.get("@id"), missing)
    datasets = by_type[f"{DCAT}Dataset"]
    assert len(datasets) == 1  # one analysis, one school year in the test warehouse
    urls = [d[f"{DCAT}downloadURL"][0]["@id"] for d in by_type[f"{DCAT}Distribution"]]
    assert sorted(u.rsplit(".", 1)[1] for u in urls) == ["csv", "parquet"]
    client = Client()
    for url in urls:
        assert client.get(url.split("testserver", 1)[1]).status_code == 200


def test_the_page_lists_the_data_sets_in_swedish(region_world: World):
    response = Client().get("/oppna-data/")
    assert response.status_code == 200
    text = response.content.decode()
    assert all(words in text for words in ("Öppna data", "Läsår", "2024/25"))
    assert f"/oppna-data/analysunderlag/{YEAR}.parquet" in text
