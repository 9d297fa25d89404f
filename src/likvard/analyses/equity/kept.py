"""Per-process memory of the equity pages: page slices and suppressed releases.

A page slice of the kept national tables is read once per data version, grade year, units and
groups; a suppressed release once per slice and viewer class. A full (audited) read is never
kept: the audit must record every one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from likvard.access.release import Released
from likvard_core.disclosure.aggregate import Aggregate

KEPT_ENTRIES = 32
RELEASE_ENTRIES = 4096
"""Suppressed releases kept: one per school unit, grade year and viewer class, so that a
region's pages (and an audit of them) decide each unit's cube once."""
SLICES: OrderedDict[tuple[object, ...], tuple[Aggregate, Aggregate]] = OrderedDict()
"""Page slices of the kept national tables, per data version, grade year, units and groups."""
RELEASES: OrderedDict[tuple[object, ...], tuple[Released, Released]] = OrderedDict()
"""Suppressed releases per slice and viewer class (organizers, units, withdrawn levels): the
same viewer class always gets the same cells hidden, and a page costs a suppression once."""
T = TypeVar("T")


def remember(
    store: OrderedDict[tuple[object, ...], T],
    key: tuple[object, ...],
    compute: Callable[[], T],
    *,
    size: int = KEPT_ENTRIES,
) -> T:
    """``store[key]``, computed on first use; the least recently used entries are dropped."""
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > size:
        store.popitem(last=False)
    return value
