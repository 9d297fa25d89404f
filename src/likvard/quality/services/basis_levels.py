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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from django.core.cache import cache

from likvard.access.audit import audit_student_read
from likvard.access.policy import Viewer
from likvard.access.publication import withdrawn_levels
from likvard.access.release import gate_version, release_cube, thresholds_in_force
from likvard.quality.services.basis_context import region_values_get
from likvard.warehouse.selectors import VersionRef
from likvard_core.analytics.quality.levels_cube import SOURCE, levels_cube

CACHE_SECONDS = 24 * 3600
"""How long a released cube is kept (a new data version has new keys anyway)."""


@dataclass(frozen=True, slots=True)
class ReleasedLevels:
    """One indicator's released levels cube: what ``build_basis(levels=...)`` reads."""

    table: pa.Table
    data_version: str
    source: str


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
    found: dict[str, tuple[pa.Table, str]] = cache.get_many(list(keys.values()))
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
    cache.set_many(out, CACHE_SECONDS)
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
