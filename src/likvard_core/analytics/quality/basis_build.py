"""Build an ``AnalysisBasis`` from a snapshot: compute, release through the caller, assemble.

``build_basis`` computes every aggregate the basis needs (indicator values for the year at
every level, the subject's own ten-year trend, expected values, published statistics), hands
each to the caller's ``release`` function (in Likvärd ``likvard.access.release.release`` with
the viewer bound), and assembles the basis only from the released tables, so a suppressed
cell reaches the basis as a status and never as a number. With a ``BasisContext`` (the
national part, computed once per data version and year) it only narrows that context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa

from likvard_core.analytics.quality.basis import (
    AnalysisBasis,
    GoalSection,
    OwnAnalysis,
    SubjectKind,
)
from likvard_core.analytics.quality.basis_blocks import (
    NATION_AREA,
    SIMILAR_REGION,
    BlockContext,
    Lookup,
    indicator_block,
    with_corrected_flags,
)
from likvard_core.analytics.quality.basis_context import BasisContext, narrow_expected
from likvard_core.analytics.quality.catalogue_model import Catalogue, DataSource, Indicator
from likvard_core.analytics.quality.comparison import ComparisonGroup, comparison_group
from likvard_core.analytics.quality.expected import expected_values
from likvard_core.analytics.quality.indicator_sql import WAREHOUSE_INDICATORS
from likvard_core.analytics.quality.indicators import IndicatorValues, indicator_values
from likvard_core.analytics.quality.local import LOCAL_GOAL, LOCAL_LEVEL, local_revision
from likvard_core.analytics.quality.narrow import narrow_values
from likvard_core.analytics.quality.public import public_indicator_values
from likvard_core.disclosure.aggregate import Aggregate, Level
from likvard_core.terms import Group
from likvard_core.warehouse.schema import ENROLMENTS
from likvard_core.warehouse.snapshot import Snapshot


class ReleasedTable(Protocol):
    """What the basis needs of a released aggregate (``likvard.access.release.Released``)."""

    @property
    def table(self) -> pa.Table: ...  # with a ``status`` column

    @property
    def data_version(self) -> str: ...

    @property
    def source(self) -> str: ...


Release = Callable[[Aggregate], ReleasedTable]
GENDERS: frozenset[str] = frozenset({Group.GIRLS.value, Group.BOYS.value})
"""The groups a basis shows beside its subject's figure (``IndicatorBlock.by_group``)."""


_UNITS_SQL = f"""
SELECT school_unit_code, mode(home_municipality_code) AS home_municipality
FROM {ENROLMENTS.name}
WHERE list_contains($years::INTEGER[], school_year) AND school_form = 'grundskola'
  AND (CASE $kind WHEN 'organizer' THEN organizer_code ELSE school_unit_code END) = $code
GROUP BY ALL ORDER BY school_unit_code
"""


def _own_units(
    db: Snapshot,
    kind: SubjectKind,
    code: str,
    years: Sequence[int],
    school_municipalities: Mapping[str, str],
) -> tuple[list[str], str | None]:
    """The subject's school units over ``years`` and its main municipality."""
    table = db.query(_UNITS_SQL, {"years": list(years), "kind": kind.value, "code": code})
    units = [str(u) for u in table.column("school_unit_code").to_pylist()]
    if kind is SubjectKind.SCHOOL_UNIT and code not in units:
        units.append(code)
    homes = table.column("home_municipality").to_pylist()
    places = [school_municipalities.get(u) for u in units] if school_municipalities else homes
    known = [p for p in places if p]
    main = max(sorted(set(known)), key=known.count) if known else None
    return units, main


def _released(release: Release, aggregate: Aggregate, level: str) -> Lookup:
    return Lookup.from_released(release(aggregate), level)


def _values_lookups(release: Release, values: IndicatorValues) -> list[Lookup]:
    return [
        _released(release, a, level.value)
        for level, a in values.aggregates.items()
        if a.table.num_rows
    ]


@dataclass(frozen=True, slots=True)
class _Subject:
    kind: SubjectKind
    code: str
    year: int
    years: list[int]
    units: list[str]
    municipality: str | None
    regions: dict[str, list[str]]
    members: tuple[str, ...] = ()

    @property
    def municipalities(self) -> list[str]:
        """The municipalities whose figures the basis shows: the subject's own, or a
        region's members side by side."""
        if self.members:
            return list(self.members)
        return [self.municipality] if self.municipality else []

    @property
    def own_organizers(self) -> list[str]:
        return [self.code] if self.kind is SubjectKind.ORGANIZER else []

    @property
    def own_units(self) -> list[str]:
        return [self.code] if self.kind is SubjectKind.SCHOOL_UNIT else []


def _cold_lookups(
    db: Snapshot, subject: _Subject, release: Release, units_map: Mapping[str, str],
    indicators: list[str],
) -> list[Lookup]:  # fmt: skip
    """Compute what the subject needs: the year nationally, its own trend, expected values."""
    current = indicator_values(
        db, years=[subject.year], regions=subject.regions,
        school_municipalities=units_map or None, school_units=subject.own_units,
        organizers=subject.own_organizers,
        municipalities=subject.municipalities,
        indicators=indicators,
    )  # fmt: skip
    lookups = _values_lookups(release, current)
    if subject.kind is SubjectKind.REGION:
        trend = indicator_values(
            db, years=subject.years, regions={subject.code: subject.regions.get(subject.code, [])},
            school_municipalities=units_map or None, school_units=[], organizers=[],
            municipalities=[], indicators=indicators,
        )  # fmt: skip
        return [*lookups, _released(release, trend.level(Level.REGION), "region")]
    trend = indicator_values(
        db, years=subject.years, only_school_units=subject.units,
        school_units=subject.own_units, organizers=subject.own_organizers, indicators=indicators,
    )  # fmt: skip
    unit_expected, organizer_expected = expected_values(
        db, current, year=subject.year, school_units=subject.own_units,
        organizers=subject.own_organizers,
    )  # fmt: skip
    return [
        *lookups,
        *_values_lookups(release, trend),
        _released(release, unit_expected, "expected_school_unit"),
        _released(release, organizer_expected, "expected_organizer"),
    ]


def _cached_lookups(context: BasisContext, subject: _Subject, release: Release) -> list[Lookup]:
    """Narrow the shared national context to the subject."""
    values = narrow_values(
        context.values, school_units=subject.own_units, organizers=subject.own_organizers,
        municipalities=subject.municipalities,
        regions=subject.regions,
    )  # fmt: skip
    lookups = _values_lookups(release, values)
    if subject.kind is SubjectKind.REGION:
        return lookups
    owners = frozenset(context.unit_organizers.get(u, "") for u in subject.own_units) - {""}
    return [
        *lookups,
        _released(
            release,
            narrow_expected(context.expected_units, "school_unit_code", subject.own_units, owners),
            "expected_school_unit",
        ),
        _released(
            release,
            narrow_expected(
                context.expected_organizers, "organizer_code", subject.own_organizers,
                frozenset(subject.own_organizers),
            ),
            "expected_organizer",
        ),
    ]  # fmt: skip


def _own_regions(
    regions: dict[str, list[str]], kind: SubjectKind, code: str, municipality: str | None
) -> dict[str, list[str]]:
    """The regions the basis computes: for a region itself (its own figures), else the
    regions that contain the subject's main municipality (none when it has none)."""
    if kind is SubjectKind.REGION:
        return {k: v for k, v in regions.items() if k == code}
    return {k: v for k, v in regions.items() if municipality is not None and municipality in v}


def build_basis(
    db: Snapshot,
    catalogue: Catalogue,
    *,
    subject_kind: SubjectKind,
    subject_code: str,
    year: int,
    release: Release,
    subject_name: str = "",
    regions: Mapping[str, Sequence[str]] | None = None,
    school_municipalities: Mapping[str, str] | None = None,
    trend_years: int = 10,
    similar: int = 10,
    context: BasisContext | None = None,
    local_indicators: Sequence[Indicator] = (),
    local_values: Aggregate | None = None,
    names: Mapping[str, str] | None = None,
    levels: Sequence[ReleasedTable] = (),
    genders: Sequence[ReleasedTable] | None = None,
    levels_lookup: Callable[[ReleasedTable], Lookup] = Lookup.from_levels,
) -> AnalysisBasis:
    """The analysis basis of one organizer, school unit or region for school year ``year``.

    ``regions`` maps region codes to municipality codes; only the subject's own regions are
    compared with (those containing its main municipality; for a region subject, itself, so
    it must contain ``subject_code``). With ``school_municipalities`` (school unit ->
    municipality) municipalities count students by school municipality, else by home
    municipality. ``release`` clears each aggregate for the viewer. The trend covers the
    ``trend_years`` school years up to ``year``; ``similar`` is the size of the comparison
    group of municipalities most like the subject's main municipality. With ``context``
    (``basis_context`` of the same snapshot and year, cached by the caller) nothing national
    is recomputed; its years and municipality basis then apply. ``local_indicators`` (the
    subject's own, ``local_revision``) are listed in a section of their own (``LOCAL_GOAL``)
    with the entered ``local_values`` (``likvard_core.analytics.quality.local.local_values``).
    ``names`` (municipality and region codes → names) label the comparisons; a region
    subject is compared with the nation and shows its member municipalities side by side.
    ``levels`` are the released ``levels_cube`` of each indicator for the subject's region
    and each year of the trend: their figures (every level, every year, so the trend shows
    what each year's cube shows) replace those released level by level, and a
    group's figure of a total hidden there is hidden too. ``genders`` are the girls' and boys'
    rows of every level of the same region and year, released jointly with the totals
    (``likvard.quality.services.basis_gender``): given, every girls' and boys' figure comes
    from them alone (one released elsewhere is withheld), so the basis's girls are the open
    data's and no page's girls difference against another's. ``levels_lookup`` indexes a
    table of ``levels`` (``Lookup.from_levels``; a caller reading the same cubes for many
    bases may pass one that indexes each once).
    """
    if context is not None:
        year, school_municipalities = context.year, context.school_municipalities
        trend_years = len(context.years)
    years = list(range(year - trend_years + 1, year + 1))
    units_map = dict(school_municipalities or {})
    region_map = {k: list(v) for k, v in (regions or {}).items()}
    units: list[str] = []
    municipality: str | None = None
    group: ComparisonGroup | None = None
    if subject_kind is not SubjectKind.REGION:
        units, municipality = _own_units(db, subject_kind, subject_code, years, units_map)
        if municipality is not None:
            group = comparison_group(db, target=municipality, school_year=year, k=similar)
    region_map = _own_regions(region_map, subject_kind, subject_code, municipality)
    if group is not None:
        region_map[SIMILAR_REGION] = list(group.codes)
    wanted = [i.code for i in catalogue.indicators if i.data_source is DataSource.WAREHOUSE]
    indicators = [c for c in WAREHOUSE_INDICATORS if c in wanted]
    members: tuple[str, ...] = ()
    if subject_kind is SubjectKind.REGION:
        members = tuple(
            sorted(region_map.get(subject_code, []), key=lambda c: (names or {}).get(c, c))
        )
    subject = _Subject(
        subject_kind, subject_code, year, years, units, municipality, region_map, members
    )
    if context is None:
        lookups = _cold_lookups(db, subject, release, units_map, indicators)
    else:
        lookups = _cached_lookups(context, subject, release)
    lookups += [levels_lookup(table) for table in levels]
    areas = [NATION_AREA, *subject.municipalities]
    public = public_indicator_values(db, catalogue, years=years, area_codes=areas)
    lookups.append(_released(release, public, "public"))
    if local_values is not None:
        lookups.append(_released(release, local_values, LOCAL_LEVEL))
    lookup = Lookup.merge(lookups)
    if genders is not None:
        joint = Lookup.merge([Lookup.from_levels(table) for table in genders])
        lookup = lookup.with_groups_from(joint, GENDERS)
    current_basis = (
        context.values.municipality_basis.value
        if context is not None
        else ("school" if units_map else "home")
    )
    blocks_context = BlockContext(
        subject_kind=subject_kind,
        subject_code=subject_code,
        municipality=municipality,
        year=year,
        years=tuple(years),
        regions=tuple(k for k in region_map if k != SIMILAR_REGION),
        similar=group,
        lookup=lookup.with_groups_of_hidden_totals_hidden(),
        names=dict(names or {}),
        members=members,
    )
    sections = []
    for goal in catalogue.goals:
        blocks = tuple(
            indicator_block(blocks_context, i) for i in catalogue.indicators_for_goal(goal, year)
        )
        if blocks:
            sections.append(GoalSection(goal, blocks))
    local = tuple(
        indicator_block(blocks_context, local_revision(i))
        for i in local_indicators
        if i.applies_in(year)
    )
    if local:
        sections.append(GoalSection(LOCAL_GOAL, local))
    conditions = tuple(
        indicator_block(blocks_context, i) for i in catalogue.condition_indicators(year)
    )
    corrected, conditions = with_corrected_flags(sections, conditions)
    return AnalysisBasis(
        subject_kind=subject_kind,
        subject_code=subject_code,
        subject_name=subject_name or subject_code,
        school_year=year,
        catalogue_version=catalogue.version,
        data_version=db.version,
        goals=corrected,
        conditions=conditions,
        success_factors=catalogue.success_factors,
        comparison_group=group,
        municipality_basis=current_basis,
        own_analysis=OwnAnalysis(),
        notes_sv=_notes(current_basis, municipality, names or {}),
        members=tuple((code, (names or {}).get(code, code)) for code in members),
        comparison_names=tuple(
            (code, (names or {}).get(code, code)) for code in (group.codes if group else ())
        ),
    )


def _notes(
    municipality_basis: str, municipality: str | None, names: Mapping[str, str]
) -> tuple[str, ...]:
    basis = (
        "skolenhetens kommun (lägeskommun)"
        if municipality_basis == "school"
        else "elevens hemkommun"
    )
    notes = [f"Kommunvärden räknar elever efter {basis}."]
    if municipality:
        notes.append(
            "Offentlig statistik (t.ex. Skolenkäten och personalstatistik) finns bara per "
            f"kommun: den visas för {names.get(municipality, municipality)} som helhet "
            "bland jämförelserna, aldrig som underlagets eget värde."
        )
    return tuple(notes)
