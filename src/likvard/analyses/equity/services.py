"""Equity reports: the only code of the equity pages that touches both Django and the core.

Each report opens the current data version, calls the analytics core, and releases every table
through ``likvard.access.release.release``: published statistics pass as they are (Skolverket's
own marks stay), student-level figures come in full (audited) to the viewer who owns them and
suppressed to everyone else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.cache import caches

from likvard.access.audit import audit_reads_recorded, audit_reads_replay
from likvard.access.policy import ANONYMOUS, Viewer
from likvard.access.publication import withdrawn_levels
from likvard.access.release import (
    Released,
    gate_version,
    release,
    release_cube,
    released_union,
    sees_in_full,
    thresholds_for,
    thresholds_in_force,
)
from likvard.analyses.equity import charts
from likvard.analyses.equity.distribution import DistributionRow, distribution_rows
from likvard.analyses.equity.kept import RELEASE_ENTRIES, RELEASES, SLICES, remember
from likvard.analyses.equity.selection import (
    Chosen,
    Selection,
    TablePage,
    detail_page,
    dot_rows,
    labelled,
    missing_test_years,
    resolve,
    standouts,
    subject_label,
)
from likvard.analyses.equity.updates import update_from_previous
from likvard.organisations import selectors as organisations
from likvard.organisations.labels import school_year_label
from likvard.organisations.models import Municipality, Organizer, Region, SchoolUnit
from likvard.warehouse.fragments import figures_cached_keyed, render_version
from likvard.warehouse.selectors import (
    VersionRef,
    data_version_get,
    data_version_previous_complete,
)
from likvard_core.analytics.equity.grade_vs_test import COURSE_GRADE_YEAR
from likvard_core.analytics.equity.groups import BACKGROUND_GROUPS, GENDER_GROUPS, GROUPS
from likvard_core.analytics.equity.kept import kept_units_slice
from likvard_core.analytics.equity.published import (
    published_gap_spread,
    published_gap_trends,
    published_grade_vs_test,
)
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.terms import SchoolForm

TEST_SUBJECTS: tuple[str, ...] = ("Matematik", "Engelska", "Svenska", "Svenska som andraspråk")
"""The year-9 national test subjects in Skolverket's published municipal tables."""
ORGANIZER_TYPES: tuple[str, ...] = ("all", "kommunal", "enskild")
GRADE_YEARS: tuple[int, ...] = (9, 6, COURSE_GRADE_YEAR)
"""Year 9 and year 6 (subject grades against the subject's test) and ``COURSE_GRADE_YEAR``:
upper-secondary course grades against the course's national test."""
REFERENCE_LABEL = "övriga skolenheter i jämförelsen"
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "gender": GENDER_GROUPS,
    "background": (GENDER_GROUPS[0], *BACKGROUND_GROUPS),
}
"""The groups a page shows side by side: everyone and the genders, or everyone and the
background groups (born abroad or in Sweden, newly arrived, parents' education)."""


@dataclass(frozen=True, slots=True)
class PublishedRegionReport:
    """The region's municipalities: test versus subject pass rates in one subject, as published."""

    region: Region
    subject: str
    organizer_type: str
    yearly: Released
    trends: Released
    spread: Released
    names: dict[str, str]
    chart: dict[str, object]


@dataclass(frozen=True, slots=True)
class PublishedMunicipalityReport:
    """One municipality: every test subject over the years, as published."""

    municipality: Municipality
    organizer_type: str
    yearly: Released
    trends: Released
    chart: dict[str, object]


@dataclass(frozen=True, slots=True)
class StudentEquityReport:
    """Final grade against test grade for some school units, with flags and patterns.

    ``yearly``: per unit, subject, year and group (shares, intervals, flags, reasons);
    ``patterns``: per unit, subject and group over the last years, systematic ones first.
    The page shows ``standouts`` and ``chart`` first, then ``detail``: the yearly rows of the
    ``chosen`` unit, subject, year and group, one page at a time.
    """

    title: str
    grade_year: int
    school_units: list[SchoolUnit]
    yearly: Released
    patterns: Released
    chart: dict[str, object]
    breakdown: str = "gender"
    """``gender`` (all, girls, boys) or ``background`` (all and the background groups)."""
    names: dict[str, str] = field(default_factory=dict)
    chosen: Chosen | None = None
    detail: TablePage | None = None
    standouts: list[dict[str, object]] = field(default_factory=list)
    missing_test_years: list[str] = field(default_factory=list)
    unit_pages: bool = False
    """True on an organizer's page: the chart has one dot per school unit."""

    @property
    def courses(self) -> bool:
        """True when the rows are upper-secondary courses, not year-6 or year-9 subjects."""
        return self.grade_year == COURSE_GRADE_YEAR

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups the page offers."""
        return BREAKDOWNS[self.breakdown]


@dataclass(frozen=True, slots=True)
class RegionEquityReport:
    """The spread across a region's school units, with each unit's uncertainty.

    ``distribution`` is every subject and year; ``overview`` the chosen year's rows of it and
    ``chart`` the chosen subject and year, one unnamed dot per school unit, sorted.
    """

    region: Region
    grade_year: int
    yearly: Released
    distribution: list[DistributionRow]
    chart: dict[str, object]
    chosen: Chosen | None = None
    overview: list[DistributionRow] = field(default_factory=list)
    missing_test_years: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """The region's school units by code (for the downloads; the page names none)."""

    @property
    def year_label(self) -> str:
        """The chosen school year, e.g. ``2024/25`` (empty without data)."""
        year = self.chosen.year if self.chosen is not None else None
        return school_year_label(year) if year is not None else ""


def default_grade_year(school: SchoolUnit) -> int:
    """The grade year a school unit's page opens on: courses for an upper-secondary unit."""
    forms = set(school.school_forms or [])
    compulsory = {SchoolForm.COMPULSORY.value, SchoolForm.COMPULSORY_ADAPTED.value}
    upper = {SchoolForm.UPPER_SECONDARY.value, SchoolForm.UPPER_SECONDARY_ADAPTED.value}
    if forms & upper and not forms & compulsory:
        return COURSE_GRADE_YEAR
    return GRADE_YEARS[0]


def published_region_report(
    *, viewer: Viewer, region: Region, subject: str = "Matematik", organizer_type: str = "all"
) -> PublishedRegionReport:
    """Published test and subject pass rates of the region's municipalities in ``subject``.

    Public figures, released alike to every viewer (none is student-level: nothing is decided
    or audited), so the report is kept once per data version and choices for everyone
    (``figures_cached_keyed`` as a viewer who owns nothing): 300-600 ms a request at load 8-10
    before, a DuckDB snapshot opened and three queries each time."""
    municipalities = organisations.region_municipalities(region=region)
    names = {m.code: m.name for m in municipalities}
    choices = {
        "region": region.code,
        "subject": subject,
        "organizer_type": organizer_type,
        "names": json.dumps(sorted(names.items())),
    }
    report, _key = figures_cached_keyed(
        name="equity.published.region",
        viewer=ANONYMOUS,
        choices=choices,
        compute=lambda: _published_region_report(
            region=region, subject=subject, organizer_type=organizer_type, names=names
        ),
    )
    return report


def _published_region_report(
    *, region: Region, subject: str, organizer_type: str, names: dict[str, str]
) -> PublishedRegionReport:
    """``published_region_report``, computed."""
    viewer = ANONYMOUS
    codes = sorted(names)
    with data_version_get().open() as db:
        yearly = published_grade_vs_test(
            db, municipalities=codes, organizer_types=[organizer_type], subjects=[subject]
        )
        trends = published_gap_trends(
            db, municipalities=codes, organizer_types=[organizer_type], subjects=[subject]
        )
        spread = published_gap_spread(db, organizer_types=[organizer_type], subjects=[subject])
    purpose = "equity.published.region"
    yearly_released = release(yearly, viewer=viewer, purpose=purpose)
    return PublishedRegionReport(
        region=region,
        subject=subject,
        organizer_type=organizer_type,
        yearly=yearly_released,
        trends=release(trends, viewer=viewer, purpose=purpose),
        spread=release(spread, viewer=viewer, purpose=purpose),
        names=names,
        chart=charts.municipality_gap_chart(yearly_released.rows(), names, subject=subject),
    )


def published_municipality_report(
    *, viewer: Viewer, municipality: Municipality, organizer_type: str = "all"
) -> PublishedMunicipalityReport:
    """Published test and subject pass rates of one municipality, every test subject and year."""
    with data_version_get().open() as db:
        yearly = published_grade_vs_test(
            db, municipalities=[municipality.code], organizer_types=[organizer_type]
        )
        trends = published_gap_trends(
            db, municipalities=[municipality.code], organizer_types=[organizer_type]
        )
    purpose = "equity.published.municipality"
    yearly_released = release(yearly, viewer=viewer, purpose=purpose)
    return PublishedMunicipalityReport(
        municipality=municipality,
        organizer_type=organizer_type,
        yearly=yearly_released,
        trends=release(trends, viewer=viewer, purpose=purpose),
        chart=charts.municipality_subjects_chart(yearly_released.rows()),
    )


def published_table(
    *,
    viewer: Viewer,
    municipalities: Sequence[str] | None = None,
    organizer_types: Sequence[str] = ("all",),
    trends: bool = False,
    channel: str = "cli",
) -> Released:
    """The published comparison (yearly, or trends) for any municipalities, e.g. all 290."""
    with data_version_get().open() as db:
        compute = published_gap_trends if trends else published_grade_vs_test
        aggregate = compute(db, municipalities=municipalities, organizer_types=organizer_types)
    return release(aggregate, viewer=viewer, purpose="equity.published.table", channel=channel)


def school_equity_report(
    *,
    viewer: Viewer,
    school: SchoolUnit,
    grade_year: int | None = None,
    breakdown: str = "gender",
    selection: Selection | None = None,
) -> StudentEquityReport:
    """One school unit by subject, year and group, tested against the other units' rates.

    ``grade_year`` is 9, 6 or 10 for upper-secondary courses (``GRADE_YEARS``; None: the
    unit's own school form, ``default_grade_year``); ``breakdown`` picks the groups
    (``BREAKDOWNS``); ``selection`` the subject, year, group and page of the detail table.
    """
    grade_year = default_grade_year(school) if grade_year is None else grade_year
    yearly, patterns = _student_level(
        viewer,
        [school.code],
        purpose="equity.school",
        grade_year=grade_year,
        groups=BREAKDOWNS[breakdown],
    )
    return _student_report(
        title=school.name,
        grade_year=grade_year,
        units=[school],
        yearly=yearly,
        patterns=patterns,
        breakdown=breakdown,
        selection=selection or Selection(),
        unit_pages=False,
    )


def organizer_equity_report(
    *,
    viewer: Viewer,
    organizer: Organizer,
    grade_year: int = 9,
    breakdown: str = "gender",
    selection: Selection | None = None,
) -> StudentEquityReport:
    """All of an organizer's school units side by side, systematic patterns first."""
    units = organisations.organizer_school_units(organizer=organizer)
    yearly, patterns = _student_level(
        viewer,
        [u.code for u in units],
        purpose="equity.organizer",
        grade_year=grade_year,
        groups=BREAKDOWNS[breakdown],
    )
    return _student_report(
        title=organizer.name,
        grade_year=grade_year,
        units=units,
        yearly=yearly,
        patterns=patterns,
        breakdown=breakdown,
        selection=selection or Selection(),
        unit_pages=True,
    )


def _student_report(
    *,
    title: str,
    grade_year: int,
    units: list[SchoolUnit],
    yearly: Released,
    patterns: Released,
    breakdown: str,
    selection: Selection,
    unit_pages: bool,
) -> StudentEquityReport:
    names = {u.code: u.name for u in units}
    table = yearly.table
    chosen = resolve(table, selection, names=names, groups=BREAKDOWNS[breakdown])
    plotted = dot_rows(table, chosen, by_unit=unit_pages)
    chart: dict[str, object] = {}  # nothing to draw: the page says so instead of an empty axis
    if plotted:
        chart = (
            charts.units_dot_chart(plotted, names, subject=subject_label(chosen.subject or ""))
            if unit_pages
            else charts.subjects_dot_chart(plotted)
        )
    return StudentEquityReport(
        title=title,
        grade_year=grade_year,
        school_units=units,
        yearly=yearly,
        patterns=patterns,
        chart=chart,
        breakdown=breakdown,
        names=names,
        chosen=chosen,
        detail=detail_page(table, chosen, selection.page, names=names, by_unit=unit_pages),
        standouts=labelled(standouts(patterns.table), names),
        missing_test_years=missing_test_years(table),
        unit_pages=unit_pages,
    )


def _region_units(region: Region, grade_year: int) -> list[str]:
    """The region's school units with rows in ``grade_year`` (those its report releases)."""
    offered = _offered(sorted(region_school_units(region=region)), grade_year)
    return sorted({str(c) for c in pc.unique(offered.column("school_unit_code")).to_pylist()})


def _region_shared(units: Sequence[str]) -> _Shared:
    return _Shared(
        data_version_get(), withdrawn_levels(), thresholds_in_force(), _siblings_of(units),
        _owners_of(units),
    )  # fmt: skip


def region_units_ready(*, viewer: Viewer, region: Region, grade_year: int) -> tuple[int, int]:
    """(units whose release to ``viewer``'s class is kept, units) of the region's report:
    looked up in this process's kept releases and the shared cache, nothing released. A cold
    cache (a new data version before its warm-up, a class the warm-up does not keep) left
    every unit to be released inside the request: GR's workbook took 165 s (171 units)."""
    units = _region_units(region, grade_year)
    if not units:
        return 0, 0
    shared = _region_shared(units)
    ready, keys = 0, {}
    for unit in units:
        siblings = shared.siblings.get(unit, (unit,))
        known = (
            viewer.organizers & {shared.owners.get(unit, "")},
            viewer.school_units & set(siblings),
        )
        viewer_class = (*known, shared.withdrawn, shared.thresholds)
        if RELEASES.get((shared.version.key, grade_year, unit, viewer_class)) is not None:
            ready += 1
        else:
            keys[_unit_release_key(shared, grade_year, unit, known=known)] = unit
    found = caches[settings.LIKVARD_FRAGMENT_CACHE].get_many(list(keys))
    ready += sum(1 for hit in found.values() if isinstance(hit, tuple) and len(hit) == 2)  # noqa: PLR2004
    return ready, len(units)


def region_units_release(
    *, viewer: Viewer, region: Region, grade_year: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:  # fmt: skip
    """Release each of the region's units for ``viewer``'s class into the shared cache (the
    background task of the region's files), reporting (units done, units) as it goes; returns
    the units."""
    units = _region_units(region, grade_year)
    shared = _region_shared(units)
    for done, unit in enumerate(units, start=1):
        unit_cube_released(
            viewer, unit, purpose="equity.region", grade_year=grade_year, shared=shared
        )
        if progress is not None:
            progress(done, len(units))
    return len(units)


def region_school_units(*, region: Region) -> dict[str, str]:
    """The names of the school units located in the region's municipalities, by code."""
    return {unit.code: unit.name for unit in organisations.region_school_units(region=region)}


def region_equity_report(
    *, viewer: Viewer, region: Region, grade_year: int = 9, selection: Selection | None = None
) -> RegionEquityReport:
    """The distribution of the region's school units in one school year, with intervals.

    The chosen year's (default: the latest) gender rows of each unit, as released in the
    unit's own cube (``unit_cube_released``): the same release its school and organizer pages
    show, so no cell is shown here and hidden there (issue #15: a cube of the region's own let
    24 hidden cells be worked out, Skaraborg 2025). The units' cubes are decided once per data
    version and what the viewer knows of each unit, by the release warmer for a viewer who owns
    no figures and for each owner class, and kept in Django's cache with the reads made
    releasing them (replayed for each reader): no web process releases them again.
    """
    names = region_school_units(region=region)
    offered = _offered(sorted(names), grade_year)
    choice = resolve(offered, selection or Selection(), names={}, groups=("all",))
    present = sorted({str(c) for c in pc.unique(offered.column("school_unit_code")).to_pylist()})
    yearly, _patterns = _of_units(
        viewer,
        present,
        purpose="equity.region",
        grade_year=grade_year,
        groups=GENDER_GROUPS,
        years=None if choice.year is None else (choice.year,),
        per_unit=True,
    )
    table = yearly.table
    chosen = dataclasses.replace(
        resolve(table, selection or Selection(), names={}, groups=("all",)),
        years=choice.years,
        year=choice.year,
    )
    distribution = distribution_rows(yearly.table)
    return RegionEquityReport(
        region=region,
        grade_year=grade_year,
        yearly=yearly,
        distribution=distribution,
        chart=charts.distribution_chart(
            dot_rows(table, chosen, by_unit=True), subject=subject_label(chosen.subject or "")
        ),
        chosen=chosen,
        overview=[d for d in distribution if d.school_year == chosen.year],
        missing_test_years=missing_test_years(offered),
        names=names,
    )


def _offered(codes: Sequence[str], grade_year: int) -> pa.Table:
    """Which of ``codes`` have rows in which subjects and school years (the choices a region
    page offers; no figure), kept in Django's cache per data version, so that a web process's
    first region page does not read the region's whole slice of the kept tables (0.5-1 s)."""
    version = data_version_get()
    text = json.dumps([version.key, grade_year, list(codes), render_version()])
    key = "equity-offered:" + hashlib.sha256(text.encode()).hexdigest()
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    kept = cache.get(key)
    if isinstance(kept, pa.Table):
        return kept
    offered = _slice(codes, grade_year, GENDER_GROUPS, version=version)[0].table.select(
        ["school_unit_code", "subject_code", "school_year"]
    )
    cache.set(key, offered, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return offered


def _units(
    version: VersionRef,
    school_units: Sequence[str],
    grade_year: int,
    *,
    previous: VersionRef | None = None,
) -> tuple[Aggregate, Aggregate]:
    """Flags and systematic-first patterns of ``school_units``, from the kept national tables.

    The national comparison is computed once per data version and grade year and kept beside
    the warehouse (``VersionRef.derived``), so a page reads only its own units' rows. With
    ``previous`` (a warm-up), its kept counts and tests are updated in the years whose facts
    changed.
    """
    min_group = thresholds_for().for_columns(("school_unit_code",))
    units = kept_units_slice(
        keep=version.derived,
        open_snapshot=version.open,
        school_units=school_units,
        grade_year=grade_year,
        data_version=version.label,
        reference_label=REFERENCE_LABEL,
        min_group=min_group,
        read_parts=version.derived_parts,
        previous=update_from_previous(version=version, previous=previous, grade_year=grade_year),
    )
    return units.yearly, units.patterns


def equity_tables_warm(
    version: VersionRef | None = None,
    *,
    grade_years: Sequence[int] = GRADE_YEARS,
    previous: VersionRef | None = None,
) -> list[int]:
    """Compute and keep ``version``'s (default: the newest) national comparison.

    Registered as a warmer (``likvard.warehouse.warm``): it runs right after an import commits,
    in the import's background job, so that even the first page request of the new data
    version only reads its rows. The counts are the previous complete version's (``previous``,
    default: looked up), counted again only in the school years the new batches touch
    (``likvard.analyses.equity.updates``). Returns the grade years done.
    """
    version = version if version is not None else data_version_get()
    previous = previous if previous is not None else data_version_previous_complete(version)
    for grade_year in grade_years:
        _units(version, [], grade_year, previous=previous)
    return list(grade_years)


def _student_level(
    viewer: Viewer,
    school_units: Sequence[str],
    *,
    purpose: str,
    grade_year: int = 9,
    groups: Sequence[str] = GENDER_GROUPS,
) -> tuple[Released, Released]:
    """Yearly flags and multi-year patterns for ``school_units``, released for ``viewer``.

    The baseline and the multiple-testing family are every unit in the data version (the
    family: every unit's rows of the same school year), so a flag does not depend on which
    units a page shows. Both are computed once per data version and
    grade year and kept (``kept_units_slice``); each unit's rows are released from the unit's
    own cube (``unit_cube_released``), whichever page shows them.
    """
    return _of_units(viewer, school_units, purpose=purpose, grade_year=grade_year, groups=groups)


def _of_units(
    viewer: Viewer, school_units: Sequence[str], *, purpose: str, grade_year: int,
    groups: Sequence[str], years: Sequence[int] | None = None, per_unit: bool = False,
) -> tuple[Released, Released]:  # fmt: skip
    """The rows of ``groups`` (and ``years``, None: all) of each of ``school_units``' own
    cubes, one table per kind; a pattern spans years, so ``years`` keeps no pattern row.
    ``per_unit``: release unit by unit without reading the page's slice first to see whether
    the viewer owns it all (a region's page, which no viewer does; each unit they own comes
    in full from its own cube anyway)."""
    units = sorted(set(school_units)) or [""]
    keep: dict[str, Sequence[object]] = {"group": list(groups)}
    version = data_version_get()
    # A viewer who owns no organizer and heads some of the units only (a principal on their
    # organizer's page) never sees the page in full: unit by unit, without reading the page's
    # slice to find that out (0.5 s of a principal's first organizer page on the demo)
    per_unit = per_unit or (not viewer.organizers and not set(units) <= viewer.school_units)
    whole = (
        ""
        if per_unit
        else _whole_key(
            viewer, units, purpose, grade_year=grade_year, groups=groups, version=version
        )
    )
    if whole and isinstance(hit := caches[settings.LIKVARD_FRAGMENT_CACHE].get(whole), tuple):
        audit_reads_replay(viewer=viewer, reads=hit[1])  # read from the cache: audited alike
        cubes = [hit[0]]
    elif not per_unit and sees_in_full(
        (page := _slice(tuple(units), grade_year, groups, version=version))[0], viewer
    ):  # the viewer's own: nothing decided, kept with its reads for the viewer's class
        with audit_reads_recorded() as reads:
            cubes = [released_together(*page, viewer=viewer, purpose=purpose)]
        entry = (cubes[0], list(reads))
        caches[settings.LIKVARD_FRAGMENT_CACHE].set(
            whole, entry, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS
        )
    else:  # the same for every unit, read once: a page's queries do not grow with its units
        shared = _Shared(
            version, withdrawn_levels(), thresholds_in_force(), _siblings_of(units),
            _owners_of(units),
        )  # fmt: skip
        cubes = [
            unit_cube_released(viewer, unit, purpose=purpose, grade_year=grade_year, shared=shared)
            for unit in units
        ]
    patterns = released_union([p for _y, p in cubes], keep=keep)
    if years is not None:
        keep["school_year"] = list(years)
        patterns = released_union([patterns], keep={"school_unit_code": []})
    return released_union([y for y, _p in cubes], keep=keep), patterns


def _whole_key(
    viewer: Viewer, units: Sequence[str], purpose: str, *, grade_year: int,
    groups: Sequence[str], version: VersionRef,
) -> str:  # fmt: skip
    """The shared cache's key of a page of ``units`` that ``viewer`` sees in full (an
    analyst's own organizer, a principal's own unit), per data version and the units the
    viewer owns and heads: released once, not in every web process (0.25-0.45 s of CPU on
    an analyst's first organizer page), its reads replayed for each reader. Empty for a
    viewer who owns nothing (never in full)."""
    if not viewer.organizers and not viewer.school_units:
        return ""
    parts = [
        version.key, list(units), purpose, grade_year, list(groups), sorted(viewer.organizers),
        sorted(viewer.school_units), sorted(withdrawn_levels()), thresholds_in_force(),
        render_version(), gate_version(),
    ]  # fmt: skip
    return "equity-whole:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every unit's release of one page reads alike: the data version, the withdrawn
    publication levels, the minimum group sizes and each unit's organizer's units."""

    version: VersionRef
    withdrawn: frozenset[str]
    thresholds: str
    """The minimum group sizes in force (``thresholds_in_force``): a change is no new version."""
    siblings: dict[str, tuple[str, ...]]
    owners: dict[str, str] = field(default_factory=dict)
    """Each unit's organizer's organisation number (``_owners_of``)."""


def unit_cube_released(
    viewer: Viewer, school_unit: str, *, purpose: str, grade_year: int,
    shared: _Shared | None = None,
) -> tuple[Released, Released]:  # fmt: skip
    """One school unit's whole equity cube (every group, year and pattern), released jointly.

    The unit's cube is the population every equity page draws the unit's rows from: its
    school page (either breakdown) and its organizer's page show slices of this one release,
    so no two pages disagree on which of the unit's cells are hidden (an ``all`` row shown on
    the gender page and hidden on the background page gave a hidden group's count away).
    Units are tied to each other by no sum (the comparison rates are over every unit in the
    data version), so deciding each unit alone protects the organizer's page too.
    """
    if shared is None:
        shared = _Shared(
            data_version_get(),
            withdrawn_levels(),
            thresholds_in_force(),
            _siblings_of([school_unit]),
            _owners_of([school_unit]),
        )
    key = (shared.version.key, grade_year, school_unit)
    siblings = shared.siblings.get(school_unit, (school_unit,))
    # What the viewer knows of this unit's cube (its own organizer, its own units): the gate
    # narrows ``known`` to the cells present, so every viewer who knows none of them gets the
    # release of a viewer who owns no figures, audited for nothing.
    viewer_class = (
        viewer.organizers & {shared.owners.get(school_unit, "")},
        viewer.school_units & set(siblings),
        shared.withdrawn,
        shared.thresholds,
    )
    kept = RELEASES.get((*key, viewer_class))
    if kept is not None:  # kept before its slice is read: a page of a released unit reads none
        return kept
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    shared_key = _unit_release_key(shared, grade_year, school_unit, known=viewer_class[:2])
    hit = cache.get(shared_key)
    if isinstance(hit, tuple) and len(hit) == 2 and hit[1]:  # noqa: PLR2004 (release, reads)
        # the owner's own unit: kept with the reads made releasing it, which every reader is
        # audited for under their page's purpose (reading is what is audited, not computing)
        audit_reads_replay(viewer=viewer, reads=[replace(r, purpose=purpose) for r in hit[1]])
        return hit[0]  # type: ignore[no-any-return]
    if isinstance(hit, tuple) and len(hit) == 2:  # noqa: PLR2004 (nothing read in full)
        return remember(RELEASES, (*key, viewer_class), lambda: hit[0], size=RELEASE_ENTRIES)
    flagged, patterns = (
        _one_unit(a, school_unit)
        for a in _slice(siblings, grade_year, GROUPS, version=shared.version)
    )
    with audit_reads_recorded() as reads:
        released = released_together(flagged, patterns, viewer=viewer, purpose=purpose)
    if not reads:  # nothing audited: the same release for the class on every call
        remember(RELEASES, (*key, viewer_class), lambda: released, size=RELEASE_ENTRIES)
    entry = (released, list(reads))
    cache.set(shared_key, entry, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return released


def _unit_release_key(
    shared: _Shared, grade_year: int, school_unit: str, *, known: tuple[frozenset[str], ...]
) -> str:
    """The shared cache's key of a unit's release to the viewers who know ``known`` of its
    cells (its organizer, its principals' units; nothing for most): kept by the warm-up (a
    viewer who owns no figures, and each owner class), read by every web process, so that
    nobody's first region page releases a unit's cube."""
    parts = [
        shared.version.key, grade_year, school_unit, sorted(shared.withdrawn), shared.thresholds,
        [sorted(k) for k in known], render_version(), gate_version(),
    ]  # fmt: skip
    return "equity-unit:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _owners_of(school_units: Sequence[str]) -> dict[str, str]:
    """Per unit, its organizer's organisation number (one query)."""
    return dict(
        SchoolUnit.objects.filter(code__in=list(school_units)).values_list(
            "code", "organizer__organisation_number"
        )
    )


def _siblings_of(school_units: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per unit, the school units of its organizer (with itself; a unit the register lacks
    has none): the slice every page reads a unit's rows from, so that they are the same rows
    on every page. Two queries, however many units."""
    organizer_of = dict(
        SchoolUnit.objects.filter(code__in=list(school_units)).values_list("code", "organizer_id")
    )
    units_of: dict[object, set[str]] = {}
    for code, organizer in SchoolUnit.objects.filter(
        organizer_id__in=set(organizer_of.values())
    ).values_list("code", "organizer_id"):
        units_of.setdefault(organizer, set()).add(code)
    return {
        unit: tuple(sorted(units_of.get(organizer, set()) | {unit}))
        for unit, organizer in organizer_of.items()
    }


def _one_unit(aggregate: Aggregate, school_unit: str) -> Aggregate:
    """``aggregate``'s rows of ``school_unit`` alone."""
    mine = pc.equal(aggregate.table.column("school_unit_code"), school_unit)
    table = aggregate.table.filter(mine)
    return dataclasses.replace(
        aggregate, table=table, partitions=aggregate.partitions if table.num_rows else None
    )


def _slice(
    school_units: Sequence[str], grade_year: int, groups: Sequence[str],
    version: VersionRef | None = None,
) -> tuple[Aggregate, Aggregate]:  # fmt: skip
    """The unreleased page slice of ``school_units`` (kept per process and data version)."""
    version = version if version is not None else data_version_get()
    units = tuple(sorted(set(school_units)))

    def read() -> tuple[Aggregate, Aggregate]:
        flagged, patterns = _units(version, units, grade_year)
        return _of_groups(flagged, groups), _of_groups(patterns, groups)

    return remember(SLICES, (version.key, grade_year, units, tuple(groups)), read)


def released_together(
    yearly: Aggregate, patterns: Aggregate, *, viewer: Viewer, purpose: str, channel: str = "web"
) -> tuple[Released, Released]:
    """The yearly rows and the patterns released as one cube (issue #15, leak 2).

    A pattern's students are the sum of its unit's ``recent`` yearly rows (same unit, subject,
    group and ``period``), so the yearly table declares ``school_year`` a margin: the pattern
    row is its total, and no hidden year can be worked out as the pattern minus the shown ones.
    """
    tied = dataclasses.replace(yearly, margins=(*yearly.margins, "school_year"))
    released = release_cube(
        {"yearly": tied, "patterns": patterns}, viewer=viewer, purpose=purpose, channel=channel
    )
    return released["yearly"], released["patterns"]


def _of_groups(aggregate: Aggregate, groups: Sequence[str]) -> Aggregate:
    """``aggregate``'s rows of ``groups`` alone (same population and description)."""
    keep = pc.is_in(aggregate.table.column("group"), pa.array(list(groups), pa.string()))
    return dataclasses.replace(aggregate, table=aggregate.table.filter(keep))
