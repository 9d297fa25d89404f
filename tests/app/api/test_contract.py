"""The API keeps its own contract: bounded parameters, every error JSON in one shape (Swedish
message), every error status documented, one ``ReleasedTableOut`` that matches the responses."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from likvard.api import api
from tests.app.conftest import World


def _client(world: World, role: str = "regional_coordinator") -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert "kroppen" not in body["error"]["message"]
    return body["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/planning/regions/gr/forecast?from_year=100000",
        "/api/v1/planning/regions/gr/supply-demand?from_year=100000",
        "/api/v1/quality/analysis-basis/regions/gr?year=2147483648",
        "/api/v1/quality/analysis-basis/organizers/2120001256?year=2147483648",
        "/api/v1/quality/analysis-basis/school-units/65390344/file?year=-1",
        "/api/v1/movement/regions/gr?year=2147483648",
        "/api/v1/movement/regions/gr/admissions?year=99999999999",
        "/api/v1/quality/catalogue/indicators?year=2147483648",
    ],
)
def test_years_out_of_range_are_422_json(world: World, url: str):
    error = _assert_error(_client(world).get(url), 422, "invalid_input")
    assert "year" in error["message"]
    assert error["details"][0]["loc"][-1] in {"year", "from_year"}


@pytest.mark.django_db
def test_grade_year_outside_its_enumeration_is_422_not_a_body_message(world: World):
    response = _client(world).get("/api/v1/analyses/equity/regions/gr?grade_year=7")
    error = _assert_error(response, 422, "invalid_input")
    assert "grade_year" in error["message"]


@pytest.mark.django_db
def test_malformed_codes_in_paths_are_422(world: World):
    _assert_error(
        _client(world).get("/api/v1/organisations/school-units/12%0034"), 422, "invalid_input"
    )


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(world: World):
    _assert_error(_client(world).get("/api/v1/finns-inte"), 404, "not_found")


@pytest.mark.django_db
def test_wrong_method_is_json_405_with_allow(world: World):
    response = _client(world).delete("/api/v1/organisations/regions")
    _assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_body_over_the_limit_is_json_413(world: World, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000})
    response = _client(world).post("/api/v1/access/tokens", body, content_type="application/json")
    _assert_error(response, 413, "too_large")


@pytest.mark.django_db
def test_body_that_is_not_json_is_400_in_swedish(world: World):
    response = _client(world).post(
        "/api/v1/access/tokens", "{inte json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert "JSON" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_server_error_is_json_500(world: World, monkeypatch):
    def broken() -> list:
        raise RuntimeError("boom")

    monkeypatch.setattr("likvard.organisations.selectors.region_list", broken)
    response = _client(world).get("/api/v1/organisations/regions")
    error = _assert_error(response, 500, "server_error")
    assert "boom" not in error["message"]


def test_every_operation_documents_its_errors():
    schema = api.get_openapi_schema(path_prefix="/api/")
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "500"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in documented, (method, path)


def test_grade_year_is_documented_as_its_enumeration():
    schema = api.get_openapi_schema(path_prefix="/api/")
    operation = schema["paths"]["/api/v1/analyses/equity/regions/{code}"]["get"]
    (grade_year,) = [p for p in operation["parameters"] if p["name"] == "grade_year"]
    text = json.dumps(grade_year["schema"]) + json.dumps(schema["components"]["schemas"])
    assert '"enum": [6, 9, 10]' in text


def test_one_released_table_schema_with_provenance():
    schema = api.get_openapi_schema(path_prefix="/api/")
    table = schema["components"]["schemas"]["ReleasedTableOut"]
    assert {"columns", "rows", "source", "data_version", "full", "provenance"} <= set(
        table["required"]
    )


@pytest.mark.django_db
def test_equity_and_movement_tables_carry_provenance(warehouse: World):
    client = _client(warehouse, "organizer_analyst")
    equity = client.get("/api/v1/analyses/equity/school-units/65390344").json()
    movement = client.get("/api/v1/movement/regions/gr").json()
    for table in (equity["yearly"], equity["patterns"], movement["balance"]):
        assert table["provenance"].startswith("Källa:")
        assert table["data_version"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=2147483648", "Läsår: Kontrollera att detta värde är mindre än eller lika med 2100."),
        ("grade_year=7", "Välj årskurs 6, årskurs 9 eller gymnasiekurser."),
    ],
)
def test_pages_answer_bad_values_with_a_swedish_400(warehouse: World, query: str, message: str):
    client = _client(warehouse, "organizer_analyst")
    response = client.get(f"/likvardig-betygssattning/skolenhet/65390344/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "swedish", "english"),
    [
        ("/api/v1/komvux/regions/nowhere", "Regionen finns inte.", "There is no such region."),
        (
            "/api/v1/komvux/organizers/0000000000",
            "Det finns ingen huvudman med det organisationsnumret.",
            "There is no organizer with that organisation number.",
        ),
        (
            "/api/v1/analyses/incidents/regions/nowhere",
            "Regionen finns inte.",
            "There is no such region.",
        ),
        (
            "/api/v1/analyses/incidents/regions/gr?within_days=9",
            "Antalet dagar kan vara 7, 14 eller 30.",
            "The number of days can be 7, 14 or 30.",
        ),
    ],
)
def test_not_found_speaks_the_callers_language(world: World, settings, url, swedish, english):
    """404 texts are message ids like the pages', not Swedish typed into the API: an
    installation that offers English answers an English caller in English."""
    settings.LANGUAGES = [("sv", "Svenska"), ("en", "English")]
    assert _assert_error(_client(world).get(url), 404, "not_found")["message"] == swedish
    answer = _client(world).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert _assert_error(answer, 404, "not_found")["message"] == english
