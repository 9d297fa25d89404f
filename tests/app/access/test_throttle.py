"""Login throttling shared by every process: per user and address, slowing down before it
locks, never locking out a correct login of someone who made no mistakes; the admin's sign-in
is the app's own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from likvard.access import counters, ratelimit
from likvard.access.models import ThrottleCount
from tests.app.conftest import World
from tests.concurrency import at_once
from tests.factories.access import PASSWORD

LOGIN = "/konto/logga-in/"


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> list[float]:
    """A clock the test moves by hand, so waits are exact and nothing sleeps."""
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0], raising=False)
    return now


def _post(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_counts_live_in_the_database_not_in_the_process(world: World):
    # A live-server test on the same worker commits its own logins' counts, and flushing the
    # database between tests empties the table.
    _post("analytiker", "fel")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, count FROM access_throttlecount")
        rows = cursor.fetchall()
    assert len(rows) == 3  # the pair, the username and the address
    assert {count for _key, count in rows} == {1}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_get_no_more_than_attempts_in_turn(world: World):
    # Eight processes' sign-in attempts for one account at once (threads, each with its own
    # connection). Counting failures after the password check let all eight be checked (and a
    # cache's read-then-write lost some of the counts): the pair's three free attempts are let
    # through, each counted, and the other five must wait.
    waits = at_once(lambda: ratelimit.login_attempt(username="rektor", address="10.0.0.7"), 8)
    free = ratelimit.FREE_FAILURES["pair"]
    assert sorted(waits)[:free] == [0] * free
    assert all(wait > 0 for wait in sorted(waits)[free:])
    assert sorted(ThrottleCount.objects.values_list("count", flat=True)) == [free] * 3


@pytest.mark.django_db
def test_a_count_advances_only_from_the_count_it_was_decided_on():
    assert counters.advance({"k": 0}, now=100.0, window=10.0)
    assert counters.advance({"k": 1}, now=105.0, window=10.0)
    assert not counters.advance({"k": 1}, now=105.0, window=10.0)  # another came first
    assert counters.counts(["k", "other"], now=114.0) == {"k": (2, 105.0)}
    assert counters.counts(["k"], now=115.5) == {}  # over: counts as nothing
    assert counters.advance({"k": 0}, now=116.0, window=10.0)
    assert counters.counts(["k"], now=116.0) == {"k": (1, 116.0)}
    # one stale key leaves every key of the call as it was
    assert not counters.advance({"new": 0, "k": 0}, now=117.0, window=10.0)
    assert counters.counts(["k", "new"], now=117.0) == {"k": (1, 116.0)}
    counters.take_back("k")
    assert counters.counts(["k"], now=117.0) == {}
    assert counters.advance({"gone": 0}, now=100.0, window=1.0)
    assert counters.forget_over(now=116.0) == 1
    assert set(ThrottleCount.objects.values_list("key", flat=True)) == {"k"}


@pytest.mark.django_db
def test_twenty_wrong_for_a_made_up_user_do_not_stop_a_real_user(world: World, clock):
    for _ in range(20):
        assert _post("finns-inte", "fel").status_code in {400, 429}
        clock[0] += 1
    response = _post("samordnare", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


@pytest.mark.django_db
def test_guessing_one_user_elsewhere_does_not_lock_them_out(world: World, clock):
    for _ in range(12):
        _post("analytiker", "fel", address="203.0.113.9")
        clock[0] += 1
    assert _post("analytiker", PASSWORD, address="203.0.113.9").status_code == 429
    assert _post("analytiker", PASSWORD, address="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_waits_grow_before_the_lock(world: World, clock):
    waits = []
    for _ in range(10):
        response = _post("rektor", "fel")
        assert response.status_code == 400  # each attempt is after its wait: checked
        waits.append(ratelimit.login_wait(username="rektor", address="10.0.0.1"))
        clock[0] += waits[-1]
    assert waits[:2] == [0, 0]
    assert waits[2:9] == [5, 10, 20, 40, 80, 160, 320]
    assert waits[9] == settings.LOGIN_RATE_WINDOW  # locked
    clock[0] -= waits[-1]
    response = _post("rektor", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_RATE_WINDOW)
    assert "Vänta 15 minuter" in response.content.decode()


@pytest.mark.django_db
def test_a_wait_is_a_429_with_retry_after_and_then_passes(world: World, clock):
    for _ in range(3):
        _post("rektor", "fel")
    response = _post("rektor", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert "Vänta 5 sekunder" in response.content.decode()
    clock[0] += 5
    assert _post("rektor", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_admin_sign_in_is_the_throttled_app_sign_in(world: World, clock):
    client = Client(REMOTE_ADDR="10.0.0.1")
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    for _ in range(8):
        client.post("/admin/login/", {"username": "admin", "password": "fel"})
        client.post(LOGIN, {"username": "admin", "password": "fel"})
    # The admin's own form no longer signs anyone in, and the app's sign-in is throttled.
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.post(LOGIN, {"username": "admin", "password": PASSWORD}).status_code == 429


@pytest.mark.django_db
def test_admin_login_for_a_signed_in_non_administrator_is_403(world: World):
    client = Client()
    client.force_login(world.users["principal"])
    assert client.get("/admin/login/?next=/admin/").status_code == 403


@pytest.mark.django_db
def test_external_next_is_dropped(world: World):
    response = Client().get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{LOGIN}?next=/admin/"


@pytest.mark.django_db
def test_an_empty_password_does_not_clear_the_failures(world: World, clock):
    for _ in range(3):
        _post("rektor", "fel")
    clock[0] += 5  # the first wait is over
    # a post without a password checks nothing and is no sign-in: it must not forget the
    # failures, or a guesser could clear them between guesses
    assert _post("rektor", "").status_code == 400
    assert _post("rektor", "fel").status_code == 400  # the fourth failure
    assert ratelimit.login_wait(username="rektor", address="10.0.0.1") == 10
