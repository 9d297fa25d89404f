"""Each indicator's levels cube of a region and the basis year, released once per data
version and viewer class.

Every analysis basis in a region (a school unit's, an organizer's, the region's) takes its
figures of every level from the same released cube per indicator (``levels_cube``: all the
region's school units, their organizers, its municipalities, the region and the nation, every
year of the trend, ties declared), so a figure on one page never differences against another
page's to reveal a hidden cell, and what a viewer sees in full (their organizer's cells, a
principal's own unit) is known to the suppression. The released tables are kept in Django's
cache per data version, region, year, indicator and viewer class (their organizers and units); a
read from the cache that shows the viewer's own cells is audited like a fresh one.

A run that reads many basis pages of a region (the disclosure audit, ``basis_kept``) keeps
the cubes it reads in the process as well, and indexes each once for the pages
(``levels_lookup``): every page otherwise read the region's cubes of every trend year from
Django's cache and indexed them again (#15).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
from django.core.cache import cache

from likvard.access.audit import audit_student_read
from likvard.access.policy import Viewer
from likvard.access.publication import withdrawn_levels
from likvard.access.release import gate_version, release_cube, thresholds_in_force
from likvard.quality.services.basis_context import region_values_get
from likvard.warehouse.selectors import VersionRef
from likvard_core.analytics.quality.basis_blocks import Lookup
from likvard_core.analytics.quality.levels_cube import SOURCE, levels_cube

if TYPE_CHECKING:
    from likvard_core.analytics.quality.basis_build import ReleasedTable

CACHE_SECONDS = 24 * 3600
"""How long a released cube is kept (a new data version has new keys anyway)."""


@dataclass(frozen=True, slots=True)
class ReleasedLevels:
    """One indicator's released levels cube: what ``build_basis(levels=...)`` reads."""

    table: pa.Table
    data_version: str
    source: str


T = TypeVar("T")
_KEPT: ContextVar[dict[object, object] | None] = ContextVar("quality_basis_kept", default=None)


@contextmanager
def basis_kept() -> Iterator[None]:
    """Within the block, every released cube (and girls' and boys' release) read or decided
    is kept in this process too, under the key that names its figures (``release_keys``),
    each cube is indexed once (``levels_lookup``), and what every basis reads of the
    register and the catalogue is read once (``kept_read``): for a run that reads many basis
    pages (the disclosure audit). What is released and audited is the same as without it."""
    token = _KEPT.set({}) if _KEPT.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _KEPT.reset(token)


def kept_read(name: str, read: Callable[[], T]) -> T:
    """``read()``, once per block of ``basis_kept`` (``name`` names it there)."""
    kept = _KEPT.get()
    if kept is None:
        return read()
    key = ("read", name)
    if key not in kept:
        kept[key] = read()
    return kept[key]  # type: ignore[return-value]


def kept_get_many(keys: Sequence[str]) -> dict[str, object]:
    """``cache.get_many(keys)``, first from what this block keeps (``basis_kept``)."""
    kept = _KEPT.get()
    if kept is None:
        return dict(cache.get_many(list(keys)))
    found = {key: kept[key] for key in keys if key in kept}
    rest = [key for key in keys if key not in found]
    if rest:
        fetched = cache.get_many(rest)
        kept.update(fetched)
        found.update(fetched)
    return found


def kept_set_many(entries: Mapping[str, object]) -> None:
    """``cache.set_many(entries)``, kept in this block too (``basis_kept``)."""
    cache.set_many(dict(entries), CACHE_SECONDS)
    kept = _KEPT.get()
    if kept is not None:
        kept.update(entries)


def levels_lookup(released: ReleasedTable) -> Lookup:
    """``Lookup.from_levels(released)``, built once per cube within ``basis_kept``."""
    kept = _KEPT.get()
    if kept is None:
        return Lookup.from_levels(released)
    key = ("lookup", id(released.table), released.data_version, released.source)
    hit = kept.get(key)
    if isinstance(hit, tuple) and hit[0] is released.table:  # the same table, not a reused id
        return hit[1]  # type: ignore[no-any-return]
    lookup = Lookup.from_levels(released)
    kept[key] = (released.table, lookup)
    return lookup


def release_keys(
    prefix: str,
    *,
    viewer: Viewer,
    version: VersionRef,
    year: int,
    region_code: str,
    school_municipalities: Mapping[str, str],
    indicators: Iterable[str],
) -> dict[str, str]:
    """One cache key per indicator of a region's release (safe for every backend: the version
    label has spaces): data version, year, region, its units' places, the viewer class (viewers
    who know the same cells see the same released cube), the withdrawals (they change the
    release, not the version), the minimum group sizes and the gate's code."""
    known = ",".join(sorted(viewer.organizers)) + "|" + ",".join(sorted(viewer.school_units))
    viewer_class = hashlib.sha256(known.encode()).hexdigest()[:16]
    place = hashlib.sha256(repr(sorted(school_municipalities.items())).encode()).hexdigest()[:12]
    withdrawn = sorted(withdrawn_levels())
    thresholds = thresholds_in_force()
    return {
        code: f"{prefix}:" + hashlib.sha256(
            repr((version.label, year, region_code, place, code, viewer_class, withdrawn,
                  thresholds, gate_version())).encode()
        ).hexdigest()[:32]
        for code in indicators
    }  # fmt: skip


def basis_levels(
    *,
    viewer: Viewer,
    version: VersionRef,
    year: int,
    region_code: str,
    members: Sequence[str],
    school_municipalities: Mapping[str, str],
    indicators: Sequence[str],
    purpose: str,
    channel: str = "web",
) -> list[ReleasedLevels]:
    """The released levels cube of each of ``indicators`` for the region (see module doc)."""
    if not any(version.files.values()) or not members:
        return []
    keys = release_keys(
        "quality-levels", viewer=viewer, version=version, year=year, region_code=region_code,
        school_municipalities=school_municipalities, indicators=indicators,
    )  # fmt: skip
    found: dict[str, tuple[pa.Table, str]] = kept_get_many(list(keys.values()))  # type: ignore[assignment]
    missing = [code for code, key in keys.items() if key not in found]
    if missing:
        found.update(
            _release(
                viewer=viewer, version=version, year=year, region_code=region_code,
                members=members, school_municipalities=school_municipalities,
                indicators=missing, keys=keys, purpose=purpose, channel=channel,
            )
        )  # fmt: skip
    else:
        _audit_known(viewer, found.values(), version, purpose, channel)
    return [
        ReleasedLevels(found[keys[code]][0], version.label, SOURCE)
        for code in indicators
        if keys[code] in found and found[keys[code]][0].num_rows
    ]


def _release(
    *,
    viewer: Viewer,
    version: VersionRef,
    year: int,
    region_code: str,
    members: Sequence[str],
    school_municipalities: Mapping[str, str],
    indicators: Sequence[str],
    keys: Mapping[str, str],
    purpose: str,
    channel: str,
) -> dict[str, tuple[pa.Table, str]]:
    member_set = set(members)
    units = sorted(u for u, m in school_municipalities.items() if m in member_set)
    long = region_values_get(
        version=version, year=year, school_municipalities=school_municipalities,
        units=units, organizers=region_organizers(version, year, school_municipalities, units),
        members=members,
    )  # fmt: skip
    out: dict[str, tuple[pa.Table, str]] = {}
    for code in indicators:
        aggregate = levels_cube(
            long, indicator=code, region_code=region_code, members=members,
            unit_municipalities=school_municipalities, version=version.label, year=year,
        )  # fmt: skip
        if aggregate.table.num_rows == 0:
            # kept empty too: a year without the indicator's data (no national tests in 2020
            # and 2021) was computed again by every basis page of the region (#15)
            out[keys[code]] = (aggregate.table, aggregate.population.scope)
            continue
        released = release_cube(
            {"levels": aggregate}, viewer=viewer, purpose=purpose, channel=channel
        )["levels"]
        out[keys[code]] = (released.table, aggregate.population.scope)
    kept_set_many(out)
    return out


def region_organizers(
    version: VersionRef, year: int, school_municipalities: Mapping[str, str], units: list[str]
) -> list[str]:
    """The organizers of the region's units (any year of the trend), from the kept values."""
    pairs = region_values_get(
        version=version, year=year, school_municipalities=school_municipalities,
        units=units, organizers=[], members=[],
    )  # fmt: skip
    mask = pc.equal(pairs.column("level"), "unit_organizer")
    codes = pairs.filter(mask).column("pair_code").to_pylist()
    return sorted({str(c) for c in codes if c})


def _audit_known(
    viewer: Viewer,
    cubes: Iterable[tuple[pa.Table, str]],
    version: VersionRef,
    purpose: str,
    channel: str,
) -> None:
    """Audit a cached read that shows the viewer's own organizer's or unit's cells."""
    for table, scope in cubes:
        organizers = set(table.column("organizer_code").to_pylist())
        units = set(table.column("school_unit_code").to_pylist())
        if organizers & set(viewer.organizers) or units & set(viewer.school_units):
            audit_student_read(
                viewer=viewer, action="read", scope=scope, purpose=purpose,
                data_version=version.label, channel=channel,
            )  # fmt: skip
