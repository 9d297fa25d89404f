"""The analysis basis (analysunderlag) of an organizer, a school unit or a region, any year.

The core's ``build_basis`` computes every aggregate and hands each to the release gate bound to
the viewer here, so the basis holds released figures only: a suppressed cell arrives as a
status with its Swedish reason and never as a number, in the page, the API and every export.
The organizer's own analysis is stored per organizer and school year and filled in here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from likvard.access.policy import QualityAction, Viewer, quality_require
from likvard.access.release import release
from likvard.organisations.models import Municipality, Organizer, Region, SchoolUnit
from likvard.quality.models import BasisAnalysis, LocalIndicatorValue
from likvard.quality.selectors import default_school_year, organizer_regions
from likvard.quality.services.basis_context import basis_context_get
from likvard.quality.services.basis_gender import gender_levels
from likvard.quality.services.basis_levels import (
    ReleasedLevels,
    basis_levels,
    kept_read,
    levels_lookup,
)
from likvard.quality.services.catalogue import catalogue_current, local_indicators_of
from likvard.warehouse.fragments import figures_cached_keyed, figures_kept
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.quality.basis import AnalysisBasis as AnalysisBasis  # noqa: PLC0414 (re-exported for pages)
from likvard_core.analytics.quality.basis import OwnAnalysis, SubjectKind
from likvard_core.analytics.quality.catalogue_model import Catalogue, DataSource, Indicator
from likvard_core.analytics.quality.indicator_sql import WAREHOUSE_INDICATORS
from likvard_core.analytics.quality.levels_cube import SOURCE
from likvard_core.analytics.quality.local import LOCAL_GOAL, LocalValue, local_values
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.warehouse.schema import ENROLMENTS

if TYPE_CHECKING:
    from likvard_core.analytics.quality.basis_build import ReleasedTable

OVERALL_FIELDS: tuple[str, ...] = ("strengths", "development_areas", "actions")
"""The keys of the organizer's own analysis of the whole basis."""
GOAL_PREFIX = "goal:"


def _regions() -> dict[str, list[str]]:
    return dict(kept_read("regions", _regions_read))


def _regions_read() -> dict[str, list[str]]:
    regions: dict[str, list[str]] = {}
    for region in Region.objects.prefetch_related("municipalities"):
        regions[region.code] = sorted(m.code for m in region.municipalities.all())
    return regions


def _names() -> dict[str, str]:
    """Municipality and region codes → names, for the basis's labels."""
    return dict(kept_read("names", _names_read))


def _names_read() -> dict[str, str]:
    names = dict(Municipality.objects.values_list("code", "name"))
    names.update(Region.objects.values_list("code", "name"))
    return names


def _school_municipalities() -> dict[str, str]:
    return dict(kept_read("school_municipalities", _school_municipalities_read))


def _school_municipalities_read() -> dict[str, str]:
    return dict(SchoolUnit.objects.values_list("code", "municipality__code"))


def _catalogue() -> Catalogue:
    """``catalogue_current()``, read once within ``basis_kept`` (it is immutable)."""
    return kept_read("catalogue", catalogue_current)


def _subject_region(kind: SubjectKind, code: str) -> Region | None:
    """The region whose levels cube holds the subject: itself, else the region of the
    municipality most of its school units lie in (as the basis's own comparisons)."""
    regions = Region.objects.prefetch_related("municipalities")
    if kind is SubjectKind.REGION:
        return regions.filter(code=code).first()
    field = "code" if kind is SubjectKind.SCHOOL_UNIT else "organizer__organisation_number"
    places = list(
        SchoolUnit.objects.filter(**{field: code}).values_list("municipality__code", flat=True)
    )
    if not places:
        return None
    main = max(sorted(set(places)), key=places.count)
    return regions.filter(municipalities__code=main).order_by("code").first()


def _warehouse_indicators() -> list[str]:
    wanted = {i.code for i in _catalogue().indicators if i.data_source is DataSource.WAREHOUSE}
    return [code for code in WAREHOUSE_INDICATORS if code in wanted]


@dataclass(frozen=True, slots=True)
class _Local:
    """The subject's local indicators, their entered values and whose they are."""

    indicators: tuple[Indicator, ...] = ()
    values: tuple[LocalValue, ...] = ()
    owners: frozenset[str] = frozenset()


def _local(*, organizer: Organizer | None = None, region: Region | None = None) -> _Local:
    indicators = local_indicators_of(organizer=organizer, region=region)
    if not indicators:
        return _Local()
    rows = LocalIndicatorValue.objects.filter(
        indicator__code__in={i.code for i in indicators}
    ).select_related("indicator")
    return _Local(
        indicators,
        tuple(LocalValue(r.indicator.code, r.school_year, r.value, r.n) for r in rows),
        frozenset({organizer.organisation_number}) if organizer is not None else frozenset(),
    )


def _build(
    *,
    viewer: Viewer,
    kind: SubjectKind,
    code: str,
    name: str,
    year: int,
    channel: str,
    local: _Local,
) -> AnalysisBasis:
    # Imported here: the model fitting pulls in statsmodels, slow to import, so pages that
    # never build a basis do not pay for it.
    from likvard_core.analytics.quality.basis_build import build_basis  # noqa: PLC0415

    def gate(aggregate: Aggregate) -> ReleasedTable:
        return release(aggregate, viewer=viewer, purpose="quality.basis", channel=channel)

    version = data_version_get()
    units_map = _school_municipalities()
    context = basis_context_get(
        version=version, year=year, kind=kind, code=code, school_municipalities=units_map
    )
    entered = local_values(
        local.values, kind=kind, code=code, owners=local.owners, version=version.label
    )
    region = _subject_region(kind, code)
    levels: list[ReleasedLevels] = []
    genders: list[ReleasedLevels] = []  # girls and boys only from the joint release, if any
    if region is not None and context is not None:
        members = [m.code for m in region.municipalities.all()]
        indicators = _warehouse_indicators()
        # Every year of the trend from that year's levels cube, as the basis year: a trend
        # released with the subject's own table alone showed an organizer the year's cube
        # hid to protect a neighbour, the municipality minus it gave the neighbour away (#15).
        levels = [
            released
            for each in context.years
            for released in basis_levels(
                viewer=viewer, version=version, year=each, region_code=region.code,
                members=members, school_municipalities=units_map, indicators=indicators,
                purpose="quality.basis", channel=channel,
            )
        ]  # fmt: skip
        # Girls and boys of every level from one joint release (the open data's K and M):
        # each level's own table, decided alone, let a unit's girls be worked out as its
        # organizer's minus the other units' (#15).
        rows = gender_levels(
            viewer=viewer, version=version, year=year, region_code=region.code,
            members=members, school_municipalities=units_map, indicators=indicators,
            purpose="quality.basis", channel=channel,
        )  # fmt: skip
        genders = [ReleasedLevels(pa.Table.from_pylist(rows), version.label, SOURCE)]
    with version.open() as db:
        return build_basis(
            db,
            _catalogue(),
            subject_kind=kind,
            subject_code=code,
            subject_name=name,
            year=year,
            release=gate,
            regions=_regions(),
            school_municipalities=units_map,
            context=context,
            local_indicators=local.indicators,
            local_values=entered,
            names=_names(),
            levels=levels,
            genders=genders,
            levels_lookup=levels_lookup,
        )


def owner_view(viewer: Viewer) -> Viewer:
    """``viewer`` as a basis's figures see it: who (the audit log's rows name them) and what
    they own. The gate releases an owner's organizers' and school units' cells in full and
    decides the rest knowing them; no other right (roles, regions, coordination, student
    health, networks) decides a figure of a basis. Viewers who own the same share one kept
    basis (``owner_classes``: everyone who owns nothing is one class), so an administrator,
    a coordinator and a network member no longer each compute the region's 535 basis pages
    for figures that are the same (#15, #18)."""
    return Viewer(
        user_id=viewer.user_id,
        username=viewer.username,
        roles=frozenset(),
        regions=frozenset(),
        organizers=viewer.organizers,
        school_units=viewer.school_units,
    )


def _build_cached(
    *,
    viewer: Viewer,
    kind: SubjectKind,
    code: str,
    name: str,
    year: int,
    channel: str,
    local: _Local,
) -> AnalysisBasis:
    """``_build``, computed once per data version, owner class (``owner_view``), subject, year,
    channel, catalogue and local values (``warehouse.fragments.figures_cached_keyed``); a viewer
    reading their own figures from the cache is audited for the same reads as if computed."""
    arguments = {"kind": kind, "code": code, "name": name, "year": year, "channel": channel}
    return _build_keyed(viewer=viewer, local=local, **arguments)[0]  # type: ignore[arg-type]


def _build_keyed(
    *,
    viewer: Viewer,
    kind: SubjectKind,
    code: str,
    name: str,
    year: int,
    channel: str,
    local: _Local,
) -> tuple[AnalysisBasis, str]:
    """``_build_cached`` with the key naming exactly its figures (``figures_cached_keyed``)."""
    choices = _figures_choices(kind=kind, code=code, name=name, year=year, channel=channel,
                               local=local)  # fmt: skip
    arguments = {"kind": kind, "code": code, "name": name, "year": year, "channel": channel}
    owner = owner_view(viewer)  # keyed, computed and audited as what decides the figures
    return figures_cached_keyed(
        name=FIGURES,
        viewer=owner,
        choices=choices,
        compute=lambda: _build(viewer=owner, local=local, **arguments),  # type: ignore[arg-type]
    )


FIGURES = "quality.basis"
"""The name the basis's figures are kept under (``figures_cached_keyed``)."""


def _figures_choices(
    *, kind: SubjectKind, code: str, name: str, year: int, channel: str, local: _Local
) -> dict[str, str]:
    """Everything besides the data version and the owner class that a basis's figures depend
    on: the key they are kept under (``figures_cached_keyed``)."""
    inputs = repr((_catalogue(), local.indicators, local.values, sorted(local.owners)))
    return {
        "kind": kind.value,
        "code": code,
        "name": name,
        "year": str(year),
        "channel": channel,
        "inputs": hashlib.sha256(inputs.encode()).hexdigest(),
        # girls and boys from the joint release (#15): no basis kept before it is served
        "genders": "joint",
        # each trend year from that year's levels cube (#15): no basis kept before it is served
        "trend": "levels",
    }


Subject = Organizer | SchoolUnit | Region
"""What an analysis basis is of."""


def _subject_arguments(subject: Subject) -> dict[str, object]:
    """The kind, code, name and local indicators ``_build_cached`` takes for ``subject``
    (a school unit's organizer's local indicators without their values, as its basis)."""
    if isinstance(subject, Organizer):
        kind, code, local = (
            SubjectKind.ORGANIZER, subject.organisation_number, _local(organizer=subject)
        )  # fmt: skip
    elif isinstance(subject, SchoolUnit):
        own = _local(organizer=subject.organizer)
        kind, code, local = (
            SubjectKind.SCHOOL_UNIT,
            subject.code,
            _Local(own.indicators, (), own.owners),
        )
    else:
        kind, code, local = SubjectKind.REGION, subject.code, _local(region=subject)
    return {"kind": kind, "code": code, "name": subject.name, "local": local}


def basis_ready(*, viewer: Viewer, subject: Subject, year: int) -> bool:
    """Whether ``subject``'s basis page of ``year`` for ``viewer`` reads kept figures (of the
    viewer's owner class, ``owner_view``) rather than computes them: a first page of a class
    before any warm-up decided it takes a minute and more on a busy machine (every trend
    year's levels cube released anew, the national context of each computed when it is not
    kept yet), longer than a web request may run. Nothing is computed or audited here."""
    arguments = _subject_arguments(subject)
    choices = _figures_choices(year=year, channel="web", **arguments)  # type: ignore[arg-type]
    return figures_kept(name=FIGURES, viewer=owner_view(viewer), choices=choices)


def basis_prepare(*, viewer: Viewer, subject: Subject, year: int) -> None:
    """Compute and keep ``subject``'s basis figures of ``year`` for ``viewer``'s owner class
    (what ``basis_ready`` asks for), in the task worker; its reads are audited when a viewer
    reads the kept figures (call it within ``audit_reads_withheld``)."""
    arguments = _subject_arguments(subject)
    _build_keyed(viewer=viewer, year=year, channel="web", **arguments)  # type: ignore[arg-type]


def organizer_basis(
    *, viewer: Viewer, organizer: Organizer, year: int, channel: str = "web"
) -> AnalysisBasis:
    """The organizer's analysis basis for school year ``year``, with its own analysis.

    Figures of the organizer's own students come in full (audited) to its analysts and
    suppressed to everyone else; the own analysis is the organizer's text as saved. The
    figures are computed once per data version and owner class (``owner_view``); every read is
    audited (``_build_cached``).
    """
    basis = _build_cached(
        viewer=viewer,
        kind=SubjectKind.ORGANIZER,
        code=organizer.organisation_number,
        name=organizer.name,
        year=year,
        channel=channel,
        local=_local(organizer=organizer),
    )
    return _with_own_analysis(basis, own_analysis_get(organizer=organizer, year=year))


def organizer_basis_keyed(
    *, viewer: Viewer, organizer: Organizer, year: int
) -> tuple[AnalysisBasis, str]:
    """``organizer_basis`` for the page, with a key naming exactly what it holds: its figures'
    key (data version, owner class, catalogue, local values) and the own analysis as
    saved, so a page rendered from it may be kept under that key."""
    basis, figures = _build_keyed(
        viewer=viewer,
        kind=SubjectKind.ORGANIZER,
        code=organizer.organisation_number,
        name=organizer.name,
        year=year,
        channel="web",
        local=_local(organizer=organizer),
    )
    texts = own_analysis_get(organizer=organizer, year=year)
    digest = hashlib.sha256(repr((figures, sorted(texts.items()))).encode()).hexdigest()
    return _with_own_analysis(basis, texts), digest


def school_unit_basis(
    *, viewer: Viewer, school_unit: SchoolUnit, year: int, channel: str = "web"
) -> AnalysisBasis:
    """The school unit's analysis basis for school year ``year`` (no own analysis), with the
    goals and conditions of the school forms it runs (all of them if it runs none of them).

    Its organizer's local indicators are listed too; their values are entered for the
    organizer as a whole, so the unit's own cells stay empty ('.').
    """
    local = _local(organizer=school_unit.organizer)
    basis = _build_cached(
        viewer=viewer,
        kind=SubjectKind.SCHOOL_UNIT,
        code=school_unit.code,
        name=school_unit.name,
        year=year,
        channel=channel,
        local=_Local(local.indicators, (), local.owners),
    )
    # Only the goals of the school forms the unit runs: an upper-secondary unit's basis
    # otherwise opened with a compulsory-school section of empty rows. The organizer's own
    # (local) indicators stay, whatever the school form.
    forms = school_unit.school_forms
    if not any(g.goal.school_form in forms for g in basis.goals):
        return basis
    kept = tuple(g for g in basis.goals if g.goal.school_form in forms or g.goal is LOCAL_GOAL)
    # The conditions the same way: an upper-secondary unit's basis listed preschool and
    # compulsory-school conditions beside its own. One that names no school form stays.
    conditions = tuple(
        block
        for block in basis.conditions
        if not block.indicator.school_forms
        or block.indicator.local
        or any(form in forms for form in block.indicator.school_forms)
    )
    return dataclasses.replace(basis, goals=kept, conditions=conditions)


def region_basis(
    *, viewer: Viewer, region: Region, year: int, channel: str = "web"
) -> AnalysisBasis:
    """The region's analysis basis for school year ``year`` (no own analysis)."""
    return _build_cached(
        viewer=viewer,
        kind=SubjectKind.REGION,
        code=region.code,
        name=region.name,
        year=year,
        channel=channel,
        local=_local(region=region),
    )


def region_levels(
    *, viewer: Viewer, region: Region, year: int, channel: str = "web"
) -> list[ReleasedLevels]:
    """The released levels cube of every warehouse indicator of ``region`` and ``year``: the
    figures of every level that each basis page of the region takes its slice of (the
    disclosure audit reads them here)."""
    return basis_levels(
        viewer=viewer,
        version=data_version_get(),
        year=year,
        region_code=region.code,
        members=[m.code for m in region.municipalities.all()],
        school_municipalities=_school_municipalities(),
        indicators=_warehouse_indicators(),
        purpose="quality.basis",
        channel=channel,
    )


def own_analysis_get(*, organizer: Organizer, year: int) -> dict[str, str]:
    """The organizer's own analysis of ``year``: key (see ``BasisAnalysis``) → text."""
    rows = BasisAnalysis.objects.filter(organizer=organizer, school_year=year)
    return {row.key: row.text for row in rows}


def _with_own_analysis(basis: AnalysisBasis, texts: Mapping[str, str]) -> AnalysisBasis:
    goals = tuple(
        dataclasses.replace(section, own_analysis=texts.get(GOAL_PREFIX + section.goal.code, ""))
        for section in basis.goals
    )
    own = OwnAnalysis(**{key: texts.get(key, "") for key in OVERALL_FIELDS})
    return dataclasses.replace(basis, goals=goals, own_analysis=own)


@transaction.atomic
def own_analysis_save(
    *,
    viewer: Viewer,
    by: AbstractBaseUser,
    organizer: Organizer,
    year: int,
    texts: Mapping[str, str],
) -> dict[str, str]:
    """Save the organizer's own analysis of ``year`` (keys as in ``BasisAnalysis``).

    Raises ``PermissionDenied`` unless the viewer is one of the organizer's analysts and
    ``ValueError`` for an unknown key; returns the analysis as saved.
    """
    quality_require(
        viewer,
        QualityAction.WRITE_ANALYSIS,
        organizer=organizer.organisation_number,
        regions=organizer_regions(organizer=organizer),
    )
    for key, text in texts.items():
        if key not in OVERALL_FIELDS and not key.startswith(GOAL_PREFIX):
            raise ValueError(f"unknown field of the own analysis: {key}")
        row = BasisAnalysis.objects.filter(
            organizer=organizer, school_year=year, key=key
        ).first() or BasisAnalysis(organizer=organizer, school_year=year, key=key)
        row.text = text.strip()
        row.updated_by_id = by.pk
        row.full_clean()
        row.save()
    return own_analysis_get(organizer=organizer, year=year)


def basis_years() -> list[int]:
    """School years with students in the current data version, newest first (read once per
    version and process: a version never changes)."""
    version = data_version_get()
    years = _YEARS.get(version.key)
    if years is None:
        with version.open() as db:
            table = db.query(f"SELECT DISTINCT school_year FROM {ENROLMENTS.name} ORDER BY 1 DESC")
        years = [int(y) for y in table.column("school_year").to_pylist() if y is not None]
        if len(_YEARS) > _YEARS_KEPT:
            _YEARS.clear()
        _YEARS[version.key] = years
    return list(years)


_YEARS: dict[str, list[int]] = {}
_YEARS_KEPT = 16


def fallback_year() -> int:
    """The school year shown when the warehouse has no students: the last one finished."""
    return default_school_year() - 1
