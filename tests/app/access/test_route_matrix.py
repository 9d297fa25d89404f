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
from tests.app.conftest import ROLES, World

AUTHENTICATED_200 = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
ADMIN_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "administrator": 200}

# Expected status per web route and role, with the arguments used to reach it.
WEB_ROUTES: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    "web:home": ({}, AUTHENTICATED_200),
    "web:login": ({}, dict.fromkeys(ROLES, 302) | {"anonymous": 200}),
    "web:logout": ({}, dict.fromkeys(ROLES, 405)),
    "web:region-list": ({}, AUTHENTICATED_200),
    "web:region-detail": ({"code": "gr"}, AUTHENTICATED_200),
    "web:municipality-detail": ({"code": "1384"}, AUTHENTICATED_200),
    "web:organizer-detail": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "web:school-unit-detail": ({"code": "65390344"}, AUTHENTICATED_200),
    "web:audit-list": ({}, ADMIN_ONLY),
    "warehouse:organizer-students": ({"organisation_number": "2120001256"}, AUTHENTICATED_200),
    "warehouse:import-history": ({}, ADMIN_ONLY),
}

# Unknown codes in URLs: 404 for a signed-in user, never a 500.
UNKNOWN: list[tuple[str, dict[str, str]]] = [
    ("web:region-detail", {"code": "finns-inte"}),
    ("web:municipality-detail", {"code": "9999"}),
    ("web:municipality-detail", {"code": "inte-en-kod"}),
    ("web:organizer-detail", {"organisation_number": "0000000000"}),
    ("web:school-unit-detail", {"code": "99999999"}),
    ("warehouse:organizer-students", {"organisation_number": "0000000000"}),
]

API_ARGS = {
    "code": "gr",
    "organisation_number": "2120001256",
}
API_ARGS_BY_PATH = {"/api/v1/organisations/school-units/{code}": {"code": "65390344"}}


APP_NAMESPACES = {name.split(":")[0] for name in WEB_ROUTES}


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
def test_web_routes_by_role(world: World, role: str):
    client = _client_for(world, role)
    for name, (kwargs, expected) in WEB_ROUTES.items():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == expected[role], (name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "organizer_analyst", "principal"])
def test_unknown_codes_are_404(world: World, role: str):
    client = _client_for(world, role)
    for name, kwargs in UNKNOWN:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, (name, kwargs)
        assert "finns inte" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_paths_by_role(world: World, role: str):
    client = _client_for(world, role)
    for path, spec in api.get_openapi_schema()["paths"].items():
        args = API_ARGS | API_ARGS_BY_PATH.get(path, {})
        url = re.sub(r"{(\w+)}", lambda m, args=args: args[m.group(1)], path)
        for method in spec:
            response = getattr(client, method)(url)
            # A POST without a body is malformed: 400 with a JSON error once signed in.
            expected = 401 if role == "anonymous" else (400 if method == "post" else 200)
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
