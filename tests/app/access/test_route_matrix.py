"""Every URL and API endpoint × every role → the expected status.

The routes are read from the URL resolver and the OpenAPI schema, so a new route without an
expectation here fails the test (Datasette's path × actor habit).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from likvard.api import api
from tests.app.analyses.planning.factories import route_matrix_planning
from tests.app.conftest import ROLES, World
from tests.app.quality.conftest import route_matrix_quality
from tests.factories.knowledge import ROUTE_PUBLIC_ITEM, item_make, route_matrix_knowledge
from tests.factories.networks import route_matrix_networks

AUTHENTICATED_200 = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
ADMIN_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "administrator": 200}
# Organizer analysts import their organizers' files, regional coordinators their region's joint
# admissions file, administrators everything.
IMPORTERS_200 = ADMIN_ONLY | {
    "organizer_analyst": 200,
    "other_analyst": 200,
    "regional_coordinator": 200,
}
IMPORTERS_404 = {role: 404 if status == 200 else status for role, status in IMPORTERS_200.items()}
NO_SUCH_ID = "00000000-0000-0000-0000-000000000000"
NETWORK_FORBIDDEN = dict.fromkeys(ROLES, 403) | {"anonymous": 302}
SIGNED_IN_404 = dict.fromkeys(ROLES, 404) | {"anonymous": 302}
SECRETARY_ONLY = NETWORK_FORBIDDEN | {"network_secretary": 200}
NETWORK_MEMBERS = SECRETARY_ONLY | {"network_member": 200}
COORDINATOR_ONLY = NETWORK_FORBIDDEN | {"regional_coordinator": 200}

EVERYONE_200 = dict.fromkeys(ROLES, 200)
EVERYONE_404 = dict.fromkeys(ROLES, 404)
ANALYST_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "organizer_analyst": 200}
PRINCIPAL_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "principal": 200}
QUALITY_READERS = ANALYST_ONLY | {"regional_coordinator": 200}
EVERYONE_200 = dict.fromkeys(ROLES, 200)
# Knowledge bank: the region's coordinator and the network's secretary edit; a network's item
# is read by its members and editors, and is 404 to everyone else (signed in or not).
KNOWLEDGE_EDITORS = NETWORK_FORBIDDEN | {"regional_coordinator": 200, "network_secretary": 200}
KNOWLEDGE_NETWORK_READERS = dict.fromkeys(ROLES, 404) | {
    "regional_coordinator": 200,
    "network_secretary": 200,
    "network_member": 200,
}
KNOWLEDGE_NETWORK_EDITORS = KNOWLEDGE_NETWORK_READERS | {"anonymous": 302, "network_member": 403}

# Expected status per web route and role, with the arguments used to reach it.
WEB_ROUTES: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    "web:home": ({}, AUTHENTICATED_200),
    "web:login": ({}, dict.fromkeys(ROLES, 302) | {"anonymous": 200}),
    "web:logout": ({}, dict.fromkeys(ROLES, 405)),
    "access:token-list": ({}, AUTHENTICATED_200),
    "access:token-revoke": ({"token_id": "999"}, dict.fromkeys(ROLES, 405) | {"anonymous": 302}),
    "web:region-list": ({}, AUTHENTICATED_200),
    "web:region-detail": ({"code": "gr"}, AUTHENTICATED_200),
    "web:municipality-detail": ({"code": "1384"}, AUTHENTICATED_200),
    "web:organizer-detail": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "web:school-unit-detail": ({"code": "65390344"}, AUTHENTICATED_200),
    "web:audit-list": ({}, ADMIN_ONLY),
    "web:accessibility": ({}, dict.fromkeys(ROLES, 200)),
    "web:privacy": ({}, dict.fromkeys(ROLES, 200)),
    "warehouse:organizer-students": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    # warehouse imports: administrators (public kinds) and organizer analysts (their students).
    "warehouse:import-history": ({}, IMPORTERS_200),
    "warehouse:import-start": ({}, IMPORTERS_200),
    "warehouse:kind-docs": ({"kind": "enrolments"}, AUTHENTICATED_200),
    # An export job is its owner's alone: anyone else gets 404 (tests/app/warehouse).
    "warehouse:export-detail": ({"job_id": NO_SUCH_ID}, SIGNED_IN_404),
    "warehouse:export-progress": ({"job_id": NO_SUCH_ID}, SIGNED_IN_404),
    "warehouse:export-download": ({"job_id": NO_SUCH_ID}, SIGNED_IN_404),
    "warehouse:job-detail": ({"job_id": NO_SUCH_ID}, IMPORTERS_404),
    "warehouse:job-progress": ({"job_id": NO_SUCH_ID}, IMPORTERS_404),
    "warehouse:job-commit": (
        {"job_id": NO_SUCH_ID},
        dict.fromkeys(ROLES, 405) | {"anonymous": 302},
    ),
    "warehouse:batch-withdraw": ({"batch_id": NO_SUCH_ID}, IMPORTERS_404),
    "warehouse:publication-settings": ({}, ADMIN_ONLY),
    "warehouse:health": ({}, dict.fromkeys(ROLES, 200)),  # for the load balancer: no sign-in
    # analyses (equity): open to every signed-in user; release() decides full or suppressed.
    "analyses:equity-index": ({}, AUTHENTICATED_200),
    "analyses:equity-published-region": ({"code": "gr"}, AUTHENTICATED_200),
    "analyses:equity-published-municipality": ({"code": "1384"}, AUTHENTICATED_200),
    "analyses:equity-school": ({"code": "65390344"}, AUTHENTICATED_200),
    "analyses:equity-organizer": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "analyses:equity-region": ({"code": "gr"}, AUTHENTICATED_200),
    # analyses (completion): open pages; the early-warning list is the principal's own only.
    "analyses:completion-index": ({}, AUTHENTICATED_200),
    "analyses:completion-region": ({"code": "gr"}, AUTHENTICATED_200),
    "analyses:completion-organizer": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "analyses:completion-warning-list": ({"code": "65390344"}, PRINCIPAL_ONLY),
    # komvux: open pages; the release gate decides what is shown in full.
    "komvux:index": ({}, AUTHENTICATED_200),
    "komvux:region": ({"code": "gr"}, AUTHENTICATED_200),
    "komvux:organizer": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    # analyses (incidents): the region's counts are open; a school's cases its principal's only.
    "analyses:incidents-region": ({"code": "gr"}, AUTHENTICATED_200),
    "analyses:incidents-cases": ({"code": "65390344"}, PRINCIPAL_ONLY),
    # analyses (adjusted results): likewise open; release() decides full or suppressed.
    "analyses:adjusted-year9-region": ({"code": "gr"}, AUTHENTICATED_200),
    "analyses:adjusted-year9-organizer": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "analyses:adjusted-upper-secondary-region": ({"code": "gr"}, AUTHENTICATED_200),
    "analyses:adjusted-upper-secondary-organizer": (
        {"organisation_number": "2120001256"},
        AUTHENTICATED_200,
    ),
    "analyses:adjusted-year9-school": ({"code": "65390344"}, AUTHENTICATED_200),
    "analyses:adjusted-upper-secondary-school": ({"code": "65390344"}, AUTHENTICATED_200),
    # networks: Gymnasienätverket's secretary (sekreterare) and member (medlem); see
    # tests/factories/networks.py:route_matrix_networks for the meetings at fixed keys.
    "networks:network-list": ({}, AUTHENTICATED_200),
    # administrators and the region's coordinator create networks and appoint secretaries.
    "networks:network-create": ({}, COORDINATOR_ONLY | {"administrator": 200}),
    "networks:secretaries": (
        {"code": "gymnasienatverket"},
        COORDINATOR_ONLY | {"administrator": 200},
    ),
    "networks:network-detail": ({"code": "gymnasienatverket"}, AUTHENTICATED_200),
    "networks:attendance-overview": ({"code": "gymnasienatverket"}, AUTHENTICATED_200),
    "networks:search": ({}, AUTHENTICATED_200),
    "networks:action-items": ({}, AUTHENTICATED_200),
    "networks:notes-import": (
        {},
        NETWORK_FORBIDDEN | {"network_secretary": 200, "administrator": 200},
    ),
    "networks:notes-review": (
        {"pk": "9021"},
        dict.fromkeys(ROLES, 404) | {"anonymous": 302, "network_secretary": 200},
    ),
    "networks:notes-reading": (
        {"pk": "9021"},
        dict.fromkeys(ROLES, 404) | {"anonymous": 302, "network_secretary": 200},
    ),
    "networks:meeting-create": ({"code": "gymnasienatverket"}, SECRETARY_ONLY),
    "networks:meeting-detail": ({"pk": "9001"}, NETWORK_MEMBERS),
    "networks:meeting-export": ({"pk": "9001", "fmt": "docx"}, NETWORK_MEMBERS),
    "networks:meeting-attendance": ({"pk": "9002"}, SECRETARY_ONLY),
    "networks:item-create": ({"pk": "9002"}, SECRETARY_ONLY),
    "networks:item-edit": ({"pk": "9011"}, SECRETARY_ONLY),
    "networks:item-snapshot": ({"pk": "9011"}, dict.fromkeys(ROLES, 405)),
    "networks:meeting-check": ({"pk": "9002"}, dict.fromkeys(ROLES, 405)),
    "networks:meeting-publish": ({"pk": "9002"}, dict.fromkeys(ROLES, 405)),
    "networks:representation": ({}, AUTHENTICATED_200),
    "networks:members": ({"code": "gymnasienatverket"}, SECRETARY_ONLY | {"administrator": 200}),
    "networks:membership-end": ({"pk": "1"}, dict.fromkeys(ROLES, 405)),
    "networks:incoming": ({"code": "gymnasienatverket"}, NETWORK_MEMBERS),
    "networks:decision-forward": ({"pk": "1"}, dict.fromkeys(ROLES, 405)),
    "networks:action-item-forward": ({"pk": "1"}, dict.fromkeys(ROLES, 405)),
    "networks:action-item-done": ({"pk": "1"}, dict.fromkeys(ROLES, 405)),
    "networks:meeting-share": ({"pk": "9001"}, dict.fromkeys(ROLES, 405)),
    "networks:attachment-upload": ({"pk": "9011"}, SECRETARY_ONLY),
    "networks:attachment-detail": ({"pk": "9031"}, NETWORK_MEMBERS),
    "networks:attachment-remove": ({"pk": "9031"}, SECRETARY_ONLY),
    "networks:attachment-download": ({"pk": "9031"}, NETWORK_MEMBERS),
    "networks:attachment-preview": ({"pk": "9031"}, NETWORK_MEMBERS),
    # planning: the page for everyone; the coordinator (samordnare) runs the survey, basis and
    # scenario; each municipality's organizer analyst fills in its own response (survey 9101,
    # tests/app/analyses/planning/factories.py:route_matrix_planning).
    "planning:index": ({}, AUTHENTICATED_200),
    "planning:region": ({"code": "gr"}, AUTHENTICATED_200),
    "planning:region-export": (
        {"code": "gr", "fmt": "xlsx"},
        dict.fromkeys(ROLES, 404) | {"anonymous": 302},  # no population imported: nothing
    ),
    "planning:scenario-add": ({"code": "gr"}, dict.fromkeys(ROLES, 405)),
    "planning:scenario-remove": ({"code": "gr", "pk": "1"}, dict.fromkeys(ROLES, 405)),
    "planning:survey-open": ({"code": "gr"}, COORDINATOR_ONLY),
    "planning:basis-import": ({"code": "gr"}, COORDINATOR_ONLY),
    "planning:survey-detail": (
        {"pk": "9101"},
        COORDINATOR_ONLY | {"organizer_analyst": 200, "other_analyst": 200},
    ),
    "planning:response-edit": (
        {"pk": "9101", "municipality": "1384"},
        COORDINATOR_ONLY | {"organizer_analyst": 200},
    ),
    "planning:response-reopen": (
        {"pk": "9101", "municipality": "1384"},
        dict.fromkeys(ROLES, 405),
    ),
    # movement: open to every signed-in user; release() decides full or suppressed.
    "movement:index": ({}, AUTHENTICATED_200),
    "movement:region": ({"code": "gr"}, AUTHENTICATED_200),
    "movement:admissions": ({"code": "gr"}, AUTHENTICATED_200),
    "movement:municipality": ({"code": "1384"}, AUTHENTICATED_200),
    # surveys: open to every signed-in user; release_cube() decides full or suppressed.
    "surveys:survey-index": ({}, AUTHENTICATED_200),
    "surveys:survey-region": ({"code": "gr", "survey": "gr-elev"}, AUTHENTICATED_200),
    # answering: public behind a class code; rounds: listed to the signed in, a round's page and
    # codes to its organizer and region (an unknown round is a 404), changes by POST only.
    "surveys:answer-start": ({}, EVERYONE_200),
    "surveys:answer-form": ({"code": "FINNSINTE"}, EVERYONE_404),
    "surveys:round-list": ({}, AUTHENTICATED_200),
    "surveys:round-detail": ({"pk": 999999}, SIGNED_IN_404),
    "surveys:round-codes": ({"pk": 999999}, SIGNED_IN_404),
    "surveys:round-class-add": ({"pk": 999999}, dict.fromkeys(ROLES, 405)),
    "surveys:round-close": ({"pk": 999999}, dict.fromkeys(ROLES, 405)),
    # quality: catalogue for everyone; self-evaluation and dialogues of Kungsbacka (see
    # tests/app/quality/conftest.py:route_matrix_quality for the dialogue at a fixed key).
    "quality:index": ({}, AUTHENTICATED_200),
    "quality:catalogue": ({}, AUTHENTICATED_200),
    "quality:catalogue-upload": ({}, ADMIN_ONLY),
    "quality:local-indicator-create": (
        {},
        ANALYST_ONLY | {"other_analyst": 200, "regional_coordinator": 200},
    ),
    "quality:catalogue-school-form": ({"school_form": "grundskola"}, AUTHENTICATED_200),
    "quality:indicator-detail": ({"code": "gr9_pass_all"}, AUTHENTICATED_200),
    "quality:indicator-edit": ({"code": "gr9_pass_all"}, ADMIN_ONLY),
    "quality:local-values": (
        {"code": "lokal-kungsbacka-studiero"},
        ADMIN_ONLY | {"organizer_analyst": 200},
    ),
    "quality:self-evaluation": (
        {"organisation_number": "2120001256"},
        QUALITY_READERS | {"principal": 200},
    ),
    "quality:self-evaluation-organizer-edit": (
        {"organisation_number": "2120001256", "year": "2026"},
        ANALYST_ONLY,
    ),
    "quality:self-evaluation-unit-edit": (
        {"code": "65390344", "year": "2026"},
        ANALYST_ONLY | {"organizer_analyst": 403, "principal": 200},
    ),
    "quality:dialogue-list": ({"organisation_number": "2120001256"}, QUALITY_READERS),
    "quality:dialogue-create": ({"organisation_number": "2120001256"}, ANALYST_ONLY),
    "quality:dialogue-detail": ({"pk": "9101"}, QUALITY_READERS),
    "quality:dialogue-edit": ({"pk": "9101"}, ANALYST_ONLY),
    "quality:action-status": ({"pk": "9201"}, dict.fromkeys(ROLES, 405)),
    # the analysis basis: open to every signed-in user; release() decides full or suppressed.
    "quality:basis-organizer": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "quality:basis-organizer-download": (
        {"organisation_number": "2120001256", "fmt": "xlsx"},
        AUTHENTICATED_200,
    ),
    "quality:basis-analysis-save": (
        {"organisation_number": "2120001256"},
        dict.fromkeys(ROLES, 405),
    ),
    "quality:basis-school-unit": ({"code": "65390344"}, AUTHENTICATED_200),
    "quality:basis-school-unit-download": ({"code": "65390344", "fmt": "xlsx"}, AUTHENTICATED_200),
    "quality:basis-region": ({"code": "gr"}, AUTHENTICATED_200),
    "quality:basis-region-download": ({"code": "gr", "fmt": "xlsx"}, AUTHENTICATED_200),
    "quality:success-factor-detail": ({"code": "sf_student_participation"}, AUTHENTICATED_200),
    # knowledge bank (tests/factories/knowledge.py): public pages open without signing in.
    "knowledge:index": ({}, EVERYONE_200),
    "knowledge:feed": ({}, EVERYONE_200),
    "knowledge:item-create": ({}, KNOWLEDGE_EDITORS),
    "knowledge:import": ({}, KNOWLEDGE_EDITORS),
    "knowledge:topics": ({}, COORDINATOR_ONLY),
    "knowledge:item-from-attachment": ({"pk": "9031"}, KNOWLEDGE_EDITORS),
    "knowledge:item-detail": ({"pk": "9302"}, KNOWLEDGE_NETWORK_READERS),
    "knowledge:item-edit": ({"pk": "9302"}, KNOWLEDGE_NETWORK_EDITORS),
    "knowledge:item-review": ({"pk": "9302"}, dict.fromkeys(ROLES, 405)),
    "knowledge:file-download": ({"pk": "9311"}, EVERYONE_200),
    "knowledge:file-preview": ({"pk": "9311"}, EVERYONE_200),
    # open data: public to everyone, signed in or not; release() hides what is not public.
    # (No warehouse in this world: data answers Kolada's empty envelope, a year's file 404.)
    **{
        f"opendata:kolada-{name}": ({"version": "v3", **args}, EVERYONE_200)
        for name, args in {
            "kpi": {},
            "kpi-ids": {"ids": "N15504"},
            "kpi-groups": {},
            "kpi-groups-ids": {"ids": "GLVKPI01"},
            "municipality": {},
            "municipality-ids": {"ids": "1384"},
            "municipality-groups": {},
            "municipality-groups-ids": {"ids": "GLVGR"},
            "ou": {},
            "ou-ids": {"ids": "65390344"},
            "data": {"rest": "kpi/N15504"},
            "oudata": {"rest": "kpi/N15504"},
            "openapi": {},
        }.items()
    },
    "opendata:kolada-not-found": ({"version": "v2", "rest": "finns-inte"}, EVERYONE_404),
    "opendata:dataset-list": ({}, EVERYONE_200),
    "opendata:dataset-catalogue": ({}, EVERYONE_200),
    "opendata:dataset-file": (
        {"analysis": "analysunderlag", "year": "2025", "fmt": "csv"},
        EVERYONE_404,
    ),
    "opendata:dataset-description": (
        {"analysis": "analysunderlag", "year": "2025"},
        EVERYONE_404,
    ),
}

# Unknown codes in URLs: 404 for a signed-in user, never a 500.
UNKNOWN: list[tuple[str, dict[str, str]]] = [
    ("web:region-detail", {"code": "finns-inte"}),
    ("web:municipality-detail", {"code": "9999"}),
    ("web:municipality-detail", {"code": "inte-en-kod"}),
    ("web:organizer-detail", {"organisation_number": "0000000000"}),
    ("web:school-unit-detail", {"code": "99999999"}),
    ("warehouse:organizer-students", {"organisation_number": "0000000000"}),
    ("analyses:equity-published-region", {"code": "finns-inte"}),
    ("analyses:equity-published-municipality", {"code": "9999"}),
    ("analyses:equity-school", {"code": "99999999"}),
    ("analyses:equity-organizer", {"organisation_number": "0000000000"}),
    ("analyses:equity-region", {"code": "finns-inte"}),
    ("analyses:adjusted-year9-region", {"code": "finns-inte"}),
    ("analyses:completion-region", {"code": "finns-inte"}),
    ("analyses:completion-organizer", {"organisation_number": "0000000000"}),
    ("analyses:completion-warning-list", {"code": "99999999"}),
    ("komvux:region", {"code": "finns-inte"}),
    ("komvux:organizer", {"organisation_number": "0000000000"}),
    ("analyses:incidents-region", {"code": "finns-inte"}),
    ("analyses:incidents-cases", {"code": "99999999"}),
    ("analyses:adjusted-upper-secondary-organizer", {"organisation_number": "0000000000"}),
    ("analyses:adjusted-year9-school", {"code": "99999999"}),
    ("networks:network-detail", {"code": "finns-inte"}),
    ("networks:meeting-detail", {"pk": "999999"}),
    ("networks:attachment-detail", {"pk": "999999"}),
    ("networks:incoming", {"code": "finns-inte"}),
    ("planning:region", {"code": "finns-inte"}),
    ("movement:region", {"code": "finns-inte"}),
    ("movement:admissions", {"code": "finns-inte"}),
    ("movement:municipality", {"code": "9999"}),
    ("surveys:survey-region", {"code": "finns-inte", "survey": "gr-elev"}),
    ("surveys:survey-region", {"code": "gr", "survey": "finns-inte"}),
    ("planning:survey-detail", {"pk": "999999"}),
    ("quality:catalogue-school-form", {"school_form": "finns-inte"}),
    ("quality:indicator-detail", {"code": "finns-inte"}),
    ("quality:local-values", {"code": "gr9_pass_all"}),
    ("quality:self-evaluation", {"organisation_number": "0000000000"}),
    ("quality:dialogue-detail", {"pk": "999999"}),
    ("quality:basis-organizer", {"organisation_number": "0000000000"}),
    ("quality:basis-region", {"code": "finns-inte"}),
    ("quality:basis-region-download", {"code": "finns-inte", "fmt": "pdf"}),
    ("quality:basis-school-unit-download", {"code": "65390344", "fmt": "doc"}),
    ("quality:success-factor-detail", {"code": "finns-inte"}),
    ("knowledge:item-detail", {"pk": "999999"}),
    ("knowledge:file-download", {"pk": "999999"}),
]

API_ARGS = {
    "code": "gr",
    "organisation_number": "2120001256",
    "municipality_code": "1384",
    "school_unit_code": "65390344",
    "token_id": "999",
}
API_ARGS_BY_PATH = {
    "/api/v1/organisations/school-units/{code}": {"code": "65390344"},
    "/api/v1/knowledge/items/{item_id}": {"item_id": "9301"},
    "/api/v1/surveys/{survey}/regions/{code}": {"survey": "gr-elev", "code": "gr"},
}
# Paths not open to every signed-in role: the expected status per role.
API_EXPECTED = {
    "/api/v1/analyses/completion/school-units/{school_unit_code}/warning-list": (
        dict.fromkeys(ROLES, 403) | {"anonymous": 401, "principal": 200}
    ),
    "/api/v1/analyses/incidents/school-units/{school_unit_code}/cases": (
        dict.fromkeys(ROLES, 403) | {"anonymous": 401, "principal": 200}
    ),
}


APP_NAMESPACES = {name.split(":")[0] for name in WEB_ROUTES}


@pytest.fixture
def networks(world: World) -> None:
    route_matrix_networks(world.region, world.users)
    route_matrix_quality(world)
    route_matrix_planning(world)
    route_matrix_knowledge(world.region)


def _web_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and namespace in APP_NAMESPACES:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def _client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def test_every_web_route_has_expectations():
    assert _web_route_names() == set(WEB_ROUTES)


def test_every_api_path_is_covered():
    paths = set(api.get_openapi_schema()["paths"])
    assert paths, "the API has no paths"
    for path in paths:
        for name in re.findall(r"{(\w+)}", path):
            assert name in API_ARGS or path in API_ARGS_BY_PATH, f"no argument for {path}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_web_routes_by_role(world: World, networks, role: str):
    client = _client_for(world, role)
    for name, (kwargs, expected) in WEB_ROUTES.items():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == expected[role], (name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "organizer_analyst", "principal"])
def test_unknown_codes_are_404(world: World, networks, role: str):
    client = _client_for(world, role)
    for name, kwargs in UNKNOWN:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, (name, kwargs)
        assert "finns inte" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_paths_by_role(world: World, role: str):
    item_make(region=world.region, pk=ROUTE_PUBLIC_ITEM)  # /api/v1/knowledge/items/{item_id}
    client = _client_for(world, role)
    for path, spec in api.get_openapi_schema()["paths"].items():
        args = API_ARGS | API_ARGS_BY_PATH.get(path, {})
        url = re.sub(r"{(\w+)}", lambda m, args=args: args[m.group(1)], path)
        for method in spec:
            response = getattr(client, method)(url)
            # A POST without a body is malformed: 400 with a JSON error once signed in; a
            # DELETE of a token one does not have is a 404.
            signed_in = {"post": 400, "delete": 404}.get(method, 200)
            expected = 401 if role == "anonymous" else signed_in
            expected = API_EXPECTED.get(path, {}).get(role, expected)
            assert response.status_code == expected, (method, url, role)
            if expected == 401:
                assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.django_db
def test_api_unknown_codes_are_json_404(world: World):
    client = _client_for(world, "regional_coordinator")
    response = client.get("/api/v1/organisations/regions/finns-inte")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_index_only_for_administrators(world: World, role: str):
    response = _client_for(world, role).get(reverse("admin:index"))
    assert response.status_code == (200 if role == "administrator" else 302)
