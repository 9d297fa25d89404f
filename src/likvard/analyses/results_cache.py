"""A per-data-version cache of the analytics results the analysis pages compute.

The key is the data version's label plus the query's parameters. A data version never changes
once committed (an import or a withdrawal makes a new one), so an entry can never be stale and
nothing is ever invalidated; old versions' entries simply expire. Values are the core's
*unreleased* results (``Aggregate`` and friends): release and audit still happen on every
request, per viewer, after the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache

from likvard.warehouse.selectors import VersionRef

T = TypeVar("T")
TIMEOUT_SECONDS = 24 * 3600
_MISSING = object()


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def result_key(*, name: str, version: VersionRef, params: Mapping[str, object]) -> str:
    """The cache key of one result: ``analyses:<name>:<data version>:<parameters>``.

    The data-version part hashes the label, the version's files and the warehouse folder, so
    two warehouses that both happen to have a version "v3" never share an entry; the key has
    no spaces or other characters a memcached backend would refuse.
    """
    data = _digest([version.label, str(settings.LIKVARD_WAREHOUSE_DIR), version.files])
    return f"analyses:{name}:{data}:{_digest(params)}"


def result_cached(
    *,
    name: str,
    version: VersionRef,
    params: Mapping[str, object],
    compute: Callable[[], T],
) -> T:
    """The cached result of ``compute()`` for ``name`` at data ``version`` with ``params``.

    Computes and stores it on a miss. ``compute`` must be a deterministic function of the data
    version and ``params`` (the analytics core's functions are).
    """
    key = result_key(name=name, version=version, params=params)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return cast(T, found)
    value = compute()
    cache.set(key, value, TIMEOUT_SECONDS)
    return value
