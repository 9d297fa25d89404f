"""#17: the JSON API limits the rate of requests per caller (token or user) and per address,
counted in the database that every process shares; past the limit 429 with Retry-After
and the API's JSON error shape in Swedish."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client

from likvard.access import api_rate, counters
from likvard.access.models import ThrottleCount, TokenScope
from likvard.access.tokens import api_token_create
from likvard.api import api
from tests.app.conftest import World
from tests.concurrency import at_once

URL = "/api/v1/organisations/regions"


@pytest.fixture
def small_limits(settings):
    settings.LIKVARD_API_RATE_LIMIT = 3
    settings.LIKVARD_API_RATE_LIMIT_ADDRESS = 5
    settings.LIKVARD_API_RATE_WINDOW = 60
    return settings


def _token(world: World, role: str = "regional_coordinator") -> str:
    user = world.users[role]
    return api_token_create(user=user, name="test", scopes=[TokenScope.READ]).secret


def _bearer(token: str, address: str = "10.1.1.1") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_a_token_past_its_limit_gets_429_json_in_swedish_with_retry_after(
    world: World, small_limits
):
    client = _bearer(_token(world))
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    error = response.json()["error"]
    assert error["code"] == "too_many_requests"
    assert "För många förfrågningar" in error["message"]
    assert str(wait) in error["message"]


@pytest.mark.django_db
def test_a_signed_in_user_is_limited_too_and_others_are_not(world: World, small_limits):
    limited = Client(REMOTE_ADDR="10.1.1.2")
    limited.force_login(world.users["regional_coordinator"])
    other = Client(REMOTE_ADDR="10.1.1.3")
    other.force_login(world.users["organizer_analyst"])
    assert [limited.get(URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert other.get(URL).status_code == 200


@pytest.mark.django_db
def test_an_address_is_limited_across_callers_and_before_authentication(world: World, small_limits):
    address = "10.1.1.4"
    for role in ("regional_coordinator", "organizer_analyst"):
        client = _bearer(_token(world, role), address)
        assert [client.get(URL).status_code for _ in range(2)] == [200, 200]
    # the fifth request from the address: a bad token is counted too, before it is checked
    assert _bearer("inte-en-nyckel", address).get(URL).status_code == 401
    assert _bearer("inte-en-nyckel", address).get(URL).status_code == 429
    assert _bearer(_token(world), "10.1.1.5").get(URL).status_code == 200


@pytest.mark.django_db
def test_counts_live_in_the_shared_database(world: World, small_limits):
    _bearer(_token(world)).get(URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM access_throttlecount WHERE count = 1")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("api-rate:caller:" in key for key in keys)
    assert any("api-rate:address:" in key for key in keys)


@pytest.mark.django_db
def test_the_window_ends_and_requests_pass_again(small_limits):
    waits = [api_rate.api_request_wait(caller="x", address="a", now=120.0) for _ in range(4)]
    assert waits == [0, 0, 0, 60]
    assert api_rate.api_request_wait(caller="x", address="a", now=179.5) == 1
    assert api_rate.api_request_wait(caller="x", address="a", now=180.0) == 0


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_never_pass_more_than_the_limit(small_limits, monkeypatch):
    # Twelve processes answering one caller at once (threads, each with its own connection):
    # checking the count before counting let several of them through past the limit. The
    # purge of old counts is made slow to widen any gap between a check and its count.
    forget_over = counters.forget_over

    def slow_forget_over(*, now: float) -> int:
        time.sleep(0.05)
        return forget_over(now=now)

    monkeypatch.setattr(counters, "forget_over", slow_forget_over)
    attempts = 12
    waits = at_once(
        lambda: api_rate.api_request_wait(caller="same", address="10.9.9.9", now=120.0), attempts
    )
    assert sorted(waits) == [0] * 3 + [60] * (attempts - 3)


@pytest.mark.django_db
def test_a_refused_request_counts_against_neither_key(small_limits):
    # the address is full (five requests from two callers), the caller "new" has room: its
    # refused request leaves its own count as it was, so it has three once the address allows
    for caller in ("a", "a", "a", "b", "b"):
        assert api_rate.api_request_wait(caller=caller, address="10.9.9.1", now=120.0) == 0
    assert api_rate.api_request_wait(caller="new", address="10.9.9.1", now=120.0) == 60
    # a's three, b's two, the address's five: nothing counted for "new"
    assert sorted(ThrottleCount.objects.values_list("count", flat=True)) == [2, 3, 5]


@pytest.mark.django_db
def test_zero_switches_the_limit_off_and_pages_are_not_counted(world: World, settings):
    settings.LIKVARD_API_RATE_LIMIT = 0
    settings.LIKVARD_API_RATE_LIMIT_ADDRESS = 0
    client = _bearer(_token(world))
    assert {client.get(URL).status_code for _ in range(5)} == {200}
    settings.LIKVARD_API_RATE_LIMIT_ADDRESS = 1
    page = Client(REMOTE_ADDR="10.1.1.6")
    assert {page.get("/konto/logga-in/").status_code for _ in range(3)} == {200}


def test_the_defaults_are_generous_and_429_is_documented(settings):
    assert settings.LIKVARD_API_RATE_LIMIT >= 300
    assert settings.LIKVARD_API_RATE_LIMIT_ADDRESS >= settings.LIKVARD_API_RATE_LIMIT
    schema = api.get_openapi_schema(path_prefix="/api/")
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert "429" in operation["responses"]
