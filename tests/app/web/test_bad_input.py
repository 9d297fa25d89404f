"""Bad input gets a clear Swedish message (or a JSON error in the API) and a 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.app.conftest import World
from tests.factories.access import PASSWORD


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_bad_login_is_400_with_swedish_message(world: World):
    response = Client().post(reverse("web:login"), {"username": "analytiker", "password": "fel"})
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord" in response.content.decode()


@pytest.mark.django_db
def test_good_login_redirects_home(world: World):
    response = Client().post(reverse("web:login"), {"username": "analytiker", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


@pytest.mark.django_db
def test_login_is_rate_limited_even_with_right_password(world: World):
    client = Client()
    for _ in range(5):
        client.post(reverse("web:login"), {"username": "rektor", "password": "fel"})
    response = client.post(reverse("web:login"), {"username": "rektor", "password": PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


@pytest.mark.django_db
def test_forged_csrf_token_is_403_in_swedish(world: World):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("web:login"))
    response = client.post(
        reverse("web:login"),
        {"username": "analytiker", "password": PASSWORD, "csrfmiddlewaretoken": "förfalskad"},
    )
    assert response.status_code == 403
    assert "säkerhetskod" in response.content.decode()


@pytest.mark.django_db
def test_unknown_organizer_in_url_is_404_in_swedish(world: World):
    client = Client()
    client.force_login(world.users["regional_coordinator"])
    response = client.get("/huvudman/1234567890/")
    assert response.status_code == 404
    assert "Det finns ingen huvudman med det organisationsnumret." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    ["{not json", '{"name": ""}', '{"name": 5}', "[]", '{"namn": "x"}', "x" * 10_000],
)
def test_malformed_api_body_is_json_4xx(world: World, body: str):
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    response = client.post("/api/v1/access/tokens", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert error["code"] in {"invalid_input", "malformed_request"}
    assert any(c in error["message"] for c in "åäö")  # a Swedish message


@pytest.mark.django_db
def test_api_token_authenticates(world: World):
    client = Client()
    client.force_login(world.users["organizer_analyst"])
    created = client.post(
        "/api/v1/access/tokens", {"name": "skript"}, content_type="application/json"
    )
    assert created.status_code == 201
    token = created.json()["token"]
    me = Client().get("/api/v1/access/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["student_data_organizers"] == [world.own.organisation_number]
    wrong = Client().get("/api/v1/access/me", HTTP_AUTHORIZATION="Bearer lkv_fel")
    assert wrong.status_code == 401


@pytest.mark.django_db
def test_sign_out_needs_post(world: World):
    client = Client()
    client.force_login(world.users["network_member"])
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:home")).status_code == 302
