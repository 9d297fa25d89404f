"""Counts of events under keys, in the database every process shares (``ThrottleCount``).

A count lasts ``window`` seconds from its last event; an event after that starts it again at
one. Each event is one conditional ``UPDATE`` (the first under a key an ``INSERT`` that does
nothing when another process made the row meanwhile, and the ``UPDATE`` again) whose condition
is the decision it was counted for: below a limit (``claim_events``), or unchanged since it was
read (``advance``). So simultaneous events are each counted, and decided, once: a cache's
read-then-write would let two failed sign-ins at the same moment count as one, and SQLite's
database cache drops a write that meets another process's (its ``set`` swallows the error).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, Value, When

from likvard.access.models import ThrottleCount


def advance(expected: dict[str, int], *, now: float, window: float) -> bool:
    """Count one event under every key of ``expected`` if each key's current count (0 when it
    has none, or its window is over) is still the one given; count nothing and return False if
    another process counted one meanwhile.

    Each key is one conditional ``UPDATE`` (compare and set), all in one transaction: of
    simultaneous callers that read the same counts exactly one advances them, so each decision
    taken on a count is taken once.
    """
    with transaction.atomic():
        for key, count in expected.items():
            if not _advance(key, count, now=now, window=window):
                transaction.set_rollback(True)
                return False
    return True


def _advance(key: str, expected: int, *, now: float, window: float) -> bool:
    current = Q(count=expected, expires__gte=now)
    if expected == 0:
        current |= Q(expires__lt=now)  # a count that is over counts as nothing
    return _count_if(key, current, count=Value(expected + 1), now=now, window=window)


def take_back(key: str) -> None:
    """Take one event back from ``key``'s count (nothing when it has none)."""
    ThrottleCount.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def claim_events(limits: dict[str, int], *, now: float, window: float) -> bool:
    """Count one event under every key of ``limits`` if each key's count is below its limit;
    count nothing and return False if any is not.

    Check and count are one conditional ``UPDATE`` per key inside one transaction: the database
    orders concurrent claims on a row (PostgreSQL's row lock, SQLite's write lock), so however
    many processes claim at once, no more than a key's limit are let through in its window.
    """
    with transaction.atomic():
        for key, limit in limits.items():
            if not _claim(key, limit=limit, now=now, window=window):
                transaction.set_rollback(True)
                return False
    return True


def _claim(key: str, *, limit: int, now: float, window: float) -> bool:
    counted = Case(When(expires__lt=now, then=Value(1)), default=F("count") + 1)
    current = Q(count__lt=limit) | Q(expires__lt=now)
    return _count_if(key, current, count=counted, now=now, window=window)


def _count_if(key: str, current: Q, *, count: Any, now: float, window: float) -> bool:
    """Set ``key``'s count to ``count`` (an expression) where ``current`` holds, the key's
    first event made a row of count 0 first (an ``INSERT`` that does nothing when another
    process made it meanwhile); whether it was counted."""
    row = ThrottleCount.objects.filter(key=key).filter(current)
    values = {"count": count, "last": now, "expires": now + window}
    if row.update(**values):
        return True
    ThrottleCount.objects.bulk_create(
        [ThrottleCount(key=key, count=0, last=now, expires=now + window)],
        ignore_conflicts=True,
    )
    return bool(row.update(**values))


def counts(keys: Iterable[str], *, now: float) -> dict[str, tuple[int, float]]:
    """Each key's current count and the moment of its last event (keys without a current
    count are left out)."""
    found = ThrottleCount.objects.filter(key__in=list(keys), expires__gte=now, count__gt=0)
    return {row.key: (row.count, row.last) for row in found.only("key", "count", "last")}


def forget(keys: Iterable[str]) -> None:
    """Forget the counts under ``keys``."""
    ThrottleCount.objects.filter(key__in=list(keys)).delete()


def forget_over(*, now: float) -> int:
    """Delete the counts that are over at ``now`` (they count as nothing already); returns
    how many."""
    deleted, _ = ThrottleCount.objects.filter(expires__lt=now).delete()
    return deleted
