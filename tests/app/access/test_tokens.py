"""Personal API tokens: scopes, expiry, revocation, names validated, managed only from a signed-in
browser (a token cannot create tokens), and a Swedish page to create, list and revoke them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from likvard.access.models import ApiToken, TokenScope
from likvard.access.tokens import api_token_create
from tests.app.conftest import World

TOKENS = "/api/v1/access/tokens"
PAGE = "/konto/api-nycklar/"


def _session(world: World, role: str = "organizer_analyst") -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.django_db
def test_session_creates_a_token_with_scopes_and_expiry(world: World):
    response = _session(world).post(
        TOKENS, {"name": "Rapport", "scopes": ["read"], "days": 30}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("lkv_")
    assert body["scopes"] == ["read"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash != body["token"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert _bearer(body["token"]).get("/api/v1/access/me").json()["username"] == "analytiker"


@pytest.mark.django_db
def test_a_token_cannot_create_list_or_revoke_tokens(world: World):
    created = api_token_create(
        user=world.users["organizer_analyst"], name="allt", scopes=list(TokenScope)
    )
    client = _bearer(created.secret)
    response = client.post(TOKENS, {"name": "ny"}, content_type="application/json")
    assert response.status_code == 401
    assert client.get(TOKENS).status_code == 401
    assert client.delete(f"{TOKENS}/{created.token.pk}").status_code == 401
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["a\x00b", "rad\nbrytning", " ", "x" * 101, "\u202emanipulerad"])
def test_bad_token_names_are_422(world: World, name: str):
    response = _session(world).post(TOKENS, {"name": name}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_a_token_without_the_read_scope_cannot_read(world: World):
    created = api_token_create(
        user=world.users["organizer_analyst"], name="import", scopes=[TokenScope.IMPORT]
    )
    response = _bearer(created.secret).get("/api/v1/organisations/regions")
    assert response.status_code == 403
    assert "läsa analyser" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_expired_and_revoked_tokens_are_refused(world: World):
    user = world.users["organizer_analyst"]
    expired = api_token_create(user=user, name="gammal")
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked = api_token_create(user=user, name="återkallad")
    session = _session(world)
    assert session.delete(f"{TOKENS}/{revoked.token.pk}").status_code == 204
    for secret in (expired.secret, revoked.secret):
        response = _bearer(secret).get("/api/v1/organisations/regions")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.django_db
def test_one_cannot_revoke_another_persons_token(world: World):
    other = api_token_create(user=world.users["other_analyst"], name="hans")
    assert _session(world).delete(f"{TOKENS}/{other.token.pk}").status_code == 404
    assert _session(world).post(f"{PAGE}{other.token.pk}/aterkalla/").status_code == 404
    assert _bearer(other.secret).get("/api/v1/access/me").status_code == 200


@pytest.mark.django_db
def test_page_creates_shows_the_secret_once_lists_and_revokes(world: World):
    client = _session(world)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Mina API-nycklar" in page.content.decode()
    assert "Du har inga giltiga nycklar." in page.content.decode()
    response = client.post(PAGE, {"name": "Power BI", "scopes": ["read"], "days": "90"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    token = ApiToken.objects.get()
    secret = text.split('autocomplete="off">')[1].split("</textarea>")[0]
    assert secret.startswith(token.prefix)
    assert "visas bara den här gången" in text
    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert "Power BI" in again
    assert "Läsa analyser" in again
    revoke = client.post(f"{PAGE}{token.pk}/aterkalla/")
    assert revoke.status_code == 302
    assert _bearer(secret).get("/api/v1/access/me").status_code == 401
    assert "Power BI" not in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_page_refuses_a_control_character_in_the_name(world: World):
    response = _session(world).post(PAGE, {"name": "a\x07b", "scopes": ["read"], "days": "90"})
    assert response.status_code == 400
    assert "styrtecken" in response.content.decode()
    assert ApiToken.objects.count() == 0
