"""Released values of Likvärd's indicators in Kolada's terms: KPI, area or unit, period.

Every value is read from the released levels cube of the analysis basis
(``likvard.quality.services.basis_levels``): one ``release_cube`` per region, indicator and
school year over all the region's school units, organizers, municipalities, the region and the
nation, released for the viewer's class and kept in Django's cache. So the API shows exactly
the figures the analysis basis pages show the same viewer, hides the same cells, and audits a
read of the viewer's own organizer's cells as the pages do. A hidden value is ``None`` with its
status; the student count ``n`` is never served (Kolada's ``count`` is the number of areas
behind a value: 1, or the members of a group that have a value).

Kolada's ``period`` is the school year's spring year here (``2025`` = läsår 2024/25), the rule
``docs/imports/kolada.md`` applies to grade key figures.

A viewer who knows no cells (anonymous callers, tokens of owners who own no figures) gets the
same released values as every other such viewer, and reading them audits nothing. So each web
process keeps such answers in Django's ``answers`` cache (a per-process LocMemCache of at most
256 entries, settings ``CACHES``): every value of the asked KPIs, regions,
years and genders (one municipality's request keeps its whole region's), keyed on the data
version, the register's regions and units and the withdrawn publication levels: a warm data
request then neither reads the region's cubes from Django's cache nor sifts their rows
(30-50 ms of a request's 45-80 ms on the demo under load, issue 22). A viewer who knows cells
always reads through ``basis_levels``, which audits the read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.cache import caches

from likvard.access.policy import Viewer
from likvard.access.publication import withdrawn_levels
from likvard.access.release import thresholds_in_force
from likvard.opendata.services.entities import (
    NATION,
    region_entity_id,
    region_group_id,
    region_members,
    unit_municipalities,
)
from likvard.opendata.services.kpis import kpi_by_id
from likvard.opendata.services.released import SHOWN, released_rows, school_years
from likvard.warehouse.models import DataVersion
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.quality.levels_cube import level_of
from likvard_core.terms import Group, ValueStatus

PURPOSE = "opendata.kolada"

KOLADA_STATUS: dict[str, str] = {
    ValueStatus.EXISTS.value: "",
    ValueStatus.ROUNDED.value: "",
    ValueStatus.MISSING.value: "Saknas",
    ValueStatus.TOO_FEW.value: "För få",
    ValueStatus.SUPPRESSED_COMPLEMENTARY.value: "Skyddad",
    ValueStatus.NOT_APPLICABLE.value: "Ej tillämpligt",
    ValueStatus.WITHDRAWN.value: "Tillbakadragen",
}
"""Likvärd's value status → the ``status`` text of a Kolada value ('' when shown)."""


GENDERS: dict[str | None, str] = {None: "T", Group.GIRLS.value: "K", Group.BOYS.value: "M"}
"""The levels cube's ``group`` → Kolada's gender."""


class Kind(StrEnum):
    """Which Kolada data route: areas (``data``) or school units (``oudata``)."""

    AREA = "municipality"
    UNIT = "ou"


@dataclass(frozen=True, slots=True)
class Value:
    """One released value: KPI id, area or unit id, period (spring year), value and status."""

    kpi: str
    entity: str
    period: int
    value: float | None
    status: str
    count: int = 1
    gender: str = "T"
    """Kolada's gender: ``T`` all students, ``K`` girls, ``M`` boys."""

    @property
    def kolada_status(self) -> str:
        """The status text Kolada would give ('' when the value is shown)."""
        return KOLADA_STATUS.get(self.status, "Saknas")


def value_years(*, version: VersionRef | None = None) -> list[int]:
    """The school years with released values (every year with students), oldest first."""
    return school_years(version=version)


def _regions_for(
    kind: Kind, entities: Sequence[str] | None, members: dict[str, list[str]],
    places: dict[str, str],
) -> list[str]:  # fmt: skip
    """The Likvärd regions whose cubes hold ``entities`` (every region when None)."""
    if entities is None:
        return sorted(members)
    wanted: set[str] = set()
    if kind is Kind.UNIT:
        municipalities = {places[e] for e in entities if e in places}
    else:
        municipalities = {e for e in entities if e.isdigit() and e != NATION}
        for code in members:
            if {region_entity_id(code), region_group_id(code)} & set(entities):
                wanted.add(code)
        if NATION in entities:
            wanted.update(members)
    for code, codes in members.items():
        if municipalities & set(codes):
            wanted.add(code)
    return sorted(wanted)


def _entity(kind: Kind, row: dict[str, object]) -> str | None:
    level, code = level_of(row)
    if kind is Kind.UNIT:
        return code if level == "school_unit" else None
    if level == "municipality":
        return code
    if level == "region":
        return region_entity_id(code)
    if level == "nation":
        return NATION
    return None


Found = dict[tuple[str, str, int, str], Value]
"""Released values by (KPI, entity, period, gender)."""


def _released(
    *, viewer: Viewer, kind: Kind, codes: dict[str, str], regions: Iterable[str],
    years: Iterable[int], channel: str, version: VersionRef, genders: Sequence[str],
    members: dict[str, list[str]], places: dict[str, str], entities: set[str] | None,
) -> Found:  # fmt: skip
    found: Found = {}

    def wanted(row: dict[str, object]) -> bool:
        entity = _entity(kind, row)
        return entity is not None and (entities is None or entity in entities)

    rows = []
    if "T" in genders:
        rows += released_rows(
            viewer=viewer, indicators=list(codes), regions=regions, years=years,
            purpose=PURPOSE, channel=channel, version=version, members=members, places=places,
            wanted=wanted,
        )  # fmt: skip
    if {"K", "M"} & set(genders):
        rows += released_rows(
            viewer=viewer, indicators=list(codes), regions=regions, years=years,
            purpose=PURPOSE, channel=channel, version=version, genders=True, members=members,
            places=places, wanted=wanted,
        )  # fmt: skip
    for row in rows:
        entity = _entity(kind, row)
        gender = GENDERS.get(str(row["group"]) if row["group"] is not None else None)
        if entity is None or gender is None or gender not in genders:
            continue
        status = str(row.get("status") or ValueStatus.EXISTS.value)
        raw = row.get("value")
        shown = status in SHOWN and isinstance(raw, float | int)
        value = Value(
            kpi=codes[str(row["indicator"])], entity=entity, period=int(str(row["school_year"])),
            value=float(raw) if shown and isinstance(raw, float | int) else None,
            status=status if shown or status not in SHOWN else ValueStatus.MISSING.value,
            gender=gender,
        )  # fmt: skip
        found[(value.kpi, value.entity, value.period, gender)] = value
    return found


ANSWERS_CACHE = "answers"
"""The alias of ``CACHES`` that keeps released answers of viewers who know no cells (module
doc)."""


def _answer_key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _released_kept(
    *, viewer: Viewer, kind: Kind, codes: dict[str, str], regions: list[str], years: list[int],
    channel: str, version: VersionRef, genders: Sequence[str], members: dict[str, list[str]],
    places: dict[str, str], entities: set[str] | None,
) -> Found:  # fmt: skip
    """``_released``, from this process's kept answers when ``viewer`` knows no cells (module
    doc); the same values either way."""
    if viewer.organizers or viewer.school_units:  # its reads are audited: never kept
        return _released(
            viewer=viewer, kind=kind, codes=codes, regions=regions, years=years,
            channel=channel, version=version, genders=genders, members=members, places=places,
            entities=entities,
        )  # fmt: skip
    key = _answer_key(
        version.key, kind.value, sorted(codes.items()), regions, years, sorted(genders),
        channel, sorted(members.items()), sorted(places.items()), sorted(withdrawn_levels()),
        thresholds_in_force(),
    )  # fmt: skip
    kept = caches[ANSWERS_CACHE]
    found: Found | None = kept.get(key)
    if found is None:
        found = _released(
            viewer=viewer, kind=kind, codes=codes, regions=regions, years=years,
            channel=channel, version=version, genders=genders, members=members, places=places,
            entities=None,
        )  # fmt: skip
        kept.set(key, found)
    if entities is None:
        return found
    return {k: v for k, v in found.items() if k[1] in entities}


def _group_means(
    found: dict[tuple[str, str, int, str], Value], members: dict[str, list[str]],
    regions: Iterable[str],
) -> list[Value]:  # fmt: skip
    """Each region group's unweighted mean of its members' shown values (Kolada's groups)."""
    out: list[Value] = []
    keys = {(kpi, period, gender) for kpi, _entity, period, gender in found}
    for region in regions:
        for kpi, period, gender in sorted(keys):
            shown = [
                v.value
                for code in members[region]
                if (v := found.get((kpi, code, period, gender))) is not None and v.value is not None
            ]
            mean = sum(shown) / len(shown) if shown else None
            out.append(
                Value(
                    kpi, region_group_id(region), period, mean,
                    ValueStatus.EXISTS.value if shown else ValueStatus.MISSING.value,
                    len(shown), gender,
                )
            )  # fmt: skip
    return out


def kolada_values(
    *,
    viewer: Viewer,
    kind: Kind,
    kpis: Sequence[str] | None = None,
    entities: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    genders: Sequence[str] = ("T",),
    channel: str = "api",
) -> list[Value]:
    """The released values for ``viewer`` of ``kpis`` (all when None) for ``entities`` (area
    ids of ``area_list``/``group_list``, or school unit codes; all when None) in ``years``
    (school years; all when None) and ``genders`` (Kolada's ``T``, ``K``, ``M``), sorted by KPI,
    entity, period and gender. Unknown ids give nothing. Girls' and boys' values are released
    jointly with the totals (``likvard.quality.services.basis_gender``).
    """
    version = data_version_get()
    by_id = kpi_by_id(version=version)
    codes = {k.code: k.id for k in by_id.values() if kpis is None or k.id in kpis}
    all_years = value_years(version=version)
    wanted_years = [y for y in all_years if years is None or y in years]
    if not codes or not wanted_years:
        return []
    members = region_members()  # the register, read once per request
    places = unit_municipalities()
    regions = _regions_for(kind, entities, members, places)
    served = None if entities is None else set(entities)
    if served is not None:  # a group's mean needs its members' values
        served.update(m for r in members if region_group_id(r) in served for m in members[r])
    found = _released_kept(
        viewer=viewer, kind=kind, codes=codes, regions=regions, years=wanted_years,
        channel=channel, version=version, genders=genders, members=members, places=places,
        entities=served,
    )  # fmt: skip
    values = list(found.values())
    if kind is Kind.AREA:
        groups = [
            r for r in regions
            if entities is None or region_group_id(r) in entities
        ]  # fmt: skip
        values += _group_means(found, members, groups)
    if entities is not None:
        keep = set(entities)
        values = [v for v in values if v.entity in keep]
    return sorted(values, key=lambda v: (v.kpi, v.entity, v.period, v.gender))


def values_updated_at() -> str | None:
    """The date (ISO) the current data version was made: when every served value last changed."""
    version = DataVersion.objects.first()
    return version.created_at.date().isoformat() if version is not None else None
