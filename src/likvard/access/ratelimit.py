"""Login throttling in counts every process shares (``likvard.access.counters``, in the database).

Failed logins are counted per username, per client address and per pair of the two, within
``LOGIN_RATE_WINDOW`` seconds of the last failure. Past a few free failures each further
attempt must wait twice as long as the one before (5, 10, 20 … seconds); at
``LOGIN_RATE_LIMIT`` failures the wait is the whole window: locked.

Who is held back, before the password is even checked:
- the pair: someone who keeps getting one account wrong from one address;
- the username, from an address that has failed before: guessing one account from many places;
- the address, for a username that has failed before: spraying many accounts from one place.

Each attempt is counted as a failure when it is let through, before its password is checked
(``login_attempt``), and a correct sign-in takes it back: of simultaneous attempts that read
the same counts only one is let through on them (``counters.advance``), so a guesser sending
many at once gets no more attempts than one sending them in turn, and an attempt that checks
nothing (an empty password) clears nothing.

So a person who made no mistakes always gets in with the right password: twenty wrong
passwords for a made-up name from an office's address do not stop a colleague at that address,
and someone guessing a user's password elsewhere does not lock that user out of their own desk.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import ngettext

from likvard.access import counters

# Failures before the waits start, per kind of key.
FREE_FAILURES = {"pair": 3, "user": 5, "address": 10}
# Waits shorter than this are told in seconds, longer ones in minutes.
SECONDS_SHOWN_UNTIL = 120
# The first wait, in seconds; each further failure doubles it.
FIRST_DELAY = 5


@dataclass(frozen=True, slots=True)
class Failures:
    """Recent failed logins under one key: how many, and when the last one was."""

    count: int = 0
    last: float = 0.0


def _now() -> float:
    return time.time()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _keys(username: str, address: str) -> dict[str, str]:
    user = _digest(username.strip().lower())
    return {
        "pair": f"login-fail:pair:{user}:{_digest(address)}",
        "user": f"login-fail:user:{user}",
        "address": f"login-fail:addr:{_digest(address)}",
    }


def _wait(failures: Failures, free: int, now: float) -> float:
    """Seconds still to wait after ``failures`` (0 when free to try)."""
    if failures.count < free:
        return 0.0
    window = float(settings.LOGIN_RATE_WINDOW)
    if failures.count >= int(settings.LOGIN_RATE_LIMIT):
        delay = window
    else:
        delay = min(float(FIRST_DELAY * 2 ** (failures.count - free)), window)
    return max(0.0, failures.last + delay - now)


# Tries to let an attempt through that lost its counts to simultaneous attempts.
CLAIM_TRIES = 20


def _counts(keys: dict[str, str], now: float) -> dict[str, Failures]:
    current = counters.counts(keys.values(), now=now)
    return {kind: Failures(*current.get(key, (0, 0.0))) for kind, key in keys.items()}


def _longest_wait(found: dict[str, Failures], now: float) -> int:
    waits = [_wait(found["pair"], FREE_FAILURES["pair"], now)]
    if found["address"].count:
        waits.append(_wait(found["user"], FREE_FAILURES["user"], now))
    if found["user"].count:
        waits.append(_wait(found["address"], FREE_FAILURES["address"], now))
    return math.ceil(max(waits))


def login_wait(*, username: str, address: str) -> int:
    """Seconds an attempt would have to wait now (0: it would be checked); counts nothing."""
    now = _now()
    return _longest_wait(_counts(_keys(username, address), now), now)


def login_attempt(*, username: str, address: str) -> int:
    """Let this attempt through, counted as a failure until ``login_succeeded`` takes it back
    (0), or the seconds it must wait (nothing counted)."""
    keys = _keys(username, address)
    window = float(settings.LOGIN_RATE_WINDOW)
    for _ in range(CLAIM_TRIES):
        now = _now()
        found = _counts(keys, now)
        wait = _longest_wait(found, now)
        if wait:
            return wait
        expected = {keys[kind]: failures.count for kind, failures in found.items()}
        if counters.advance(expected, now=now, window=window):
            counters.forget_over(now=now)
            return 0
    return 1  # every try met another attempt's count: the next second decides again


def login_succeeded(*, username: str, address: str) -> None:
    """Forget the pair's and the username's failures after a correct sign-in, and take its
    attempt back from the address's (not the rest: one person's success does not clear what
    others tried from there)."""
    keys = _keys(username, address)
    counters.forget([keys["pair"], keys["user"]])
    counters.take_back(keys["address"])


def blocked_message(seconds: int) -> str:
    """The Swedish message for an attempt that must wait ``seconds``."""
    minutes = math.ceil(seconds / 60)
    if seconds < SECONDS_SHOWN_UNTIL:
        return ngettext(
            "Too many failed sign-in attempts. Wait %(count)d second and try again.",
            "Too many failed sign-in attempts. Wait %(count)d seconds and try again.",
            seconds,
        ) % {"count": seconds}
    return ngettext(
        "Too many failed sign-in attempts. Wait %(count)d minute and try again.",
        "Too many failed sign-in attempts. Wait %(count)d minutes and try again.",
        minutes,
    ) % {"count": minutes}
