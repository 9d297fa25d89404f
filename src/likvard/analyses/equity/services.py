"""Equity reports: the only code of the equity pages that touches both Django and the core.

Each report opens the current data version, calls the analytics core, and releases every table
through ``likvard.access.release.release``: published statistics pass as they are (Skolverket's
own marks stay), student-level figures come in full (audited) to the viewer who owns them and
suppressed to everyone else.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard.access.policy import Viewer
from likvard.access.release import Released, release
from likvard.analyses.equity import charts
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Municipality, Organizer, Region, SchoolUnit
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.equity.grade_vs_test import COURSE_GRADE_YEAR
from likvard_core.analytics.equity.groups import BACKGROUND_GROUPS, GENDER_GROUPS
from likvard_core.analytics.equity.national import kept_units_slice
from likvard_core.analytics.equity.published import (
    published_gap_spread,
    published_gap_trends,
    published_grade_vs_test,
)
from likvard_core.disclosure.aggregate import Aggregate

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
    """

    title: str
    grade_year: int
    school_units: list[SchoolUnit]
    yearly: Released
    patterns: Released
    chart: dict[str, object]
    breakdown: str = "gender"
    """``gender`` (all, girls, boys) or ``background`` (all and the background groups)."""

    @property
    def courses(self) -> bool:
        """True when the rows are upper-secondary courses, not year-6 or year-9 subjects."""
        return self.grade_year == COURSE_GRADE_YEAR


@dataclass(frozen=True, slots=True)
class DistributionRow:
    """How the schools of a region spread in one subject and year (no school named)."""

    subject_code: str
    school_year: int
    schools: int
    hidden: int
    share_min: float | None
    share_median: float | None
    share_max: float | None
    flagged_higher: int
    flagged_lower: int
    """Units flagged for grading above (``flagged_higher``) or below their tests more often
    than the other units; a unit flagged for doing so *less* often is not counted here."""


@dataclass(frozen=True, slots=True)
class RegionEquityReport:
    """The spread across a region's school units, with each unit's uncertainty."""

    region: Region
    grade_year: int
    yearly: Released
    distribution: list[DistributionRow]
    chart: dict[str, object]


def published_region_report(
    *, viewer: Viewer, region: Region, subject: str = "Matematik", organizer_type: str = "all"
) -> PublishedRegionReport:
    """Published test and subject pass rates of the region's municipalities in ``subject``."""
    municipalities = organisations.region_municipalities(region=region)
    names = {m.code: m.name for m in municipalities}
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
    *, viewer: Viewer, school: SchoolUnit, grade_year: int = 9, breakdown: str = "gender"
) -> StudentEquityReport:
    """One school unit by subject, year and group, tested against the other units' rates.

    ``grade_year`` is 9, 6 or 10 for upper-secondary courses (``GRADE_YEARS``);
    ``breakdown`` picks the groups (``BREAKDOWNS``).
    """
    yearly, patterns = _student_level(
        viewer,
        [school.code],
        purpose="equity.school",
        grade_year=grade_year,
        groups=BREAKDOWNS[breakdown],
    )
    return StudentEquityReport(
        title=school.name,
        grade_year=grade_year,
        school_units=[school],
        yearly=yearly,
        patterns=patterns,
        chart=charts.school_shares_chart(yearly.rows()),
        breakdown=breakdown,
    )


def organizer_equity_report(
    *, viewer: Viewer, organizer: Organizer, grade_year: int = 9, breakdown: str = "gender"
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
    names = {u.code: u.name for u in units}
    return StudentEquityReport(
        title=organizer.name,
        grade_year=grade_year,
        school_units=units,
        yearly=yearly,
        patterns=patterns,
        chart=charts.school_shares_chart(yearly.rows(), names=names),
        breakdown=breakdown,
    )


def region_school_units(*, region: Region) -> dict[str, str]:
    """The names of the school units located in the region's municipalities, by code."""
    return {
        unit.code: unit.name
        for municipality in organisations.region_municipalities(region=region)
        for organizer in organisations.organizers_in_municipality(municipality=municipality)
        for unit in organisations.organizer_school_units(organizer=organizer)
        if unit.municipality_id == municipality.code
    }


def region_equity_report(
    *, viewer: Viewer, region: Region, grade_year: int = 9
) -> RegionEquityReport:
    """The distribution of the region's school units per subject and year, with intervals."""
    codes = sorted(region_school_units(region=region))
    yearly, _patterns = _student_level(
        viewer, codes, purpose="equity.region", grade_year=grade_year
    )
    return RegionEquityReport(
        region=region,
        grade_year=grade_year,
        yearly=yearly,
        distribution=_distribution(yearly.table),
        chart=charts.distribution_chart(yearly.rows()),
    )


def _units(
    version: VersionRef, school_units: Sequence[str], grade_year: int
) -> tuple[Aggregate, Aggregate]:
    """Flags and systematic-first patterns of ``school_units``, from the kept national tables.

    The national comparison is computed once per data version and grade year and kept beside
    the warehouse (``VersionRef.derived``), so a page reads only its own units' rows.
    """
    units = kept_units_slice(
        keep=version.derived,
        open_snapshot=version.open,
        school_units=school_units,
        grade_year=grade_year,
        data_version=version.label,
        reference_label=REFERENCE_LABEL,
    )
    return units.yearly, units.patterns


def equity_tables_warm(
    version: VersionRef | None = None, *, grade_years: Sequence[int] = GRADE_YEARS
) -> list[int]:
    """Compute and keep ``version``'s (default: the newest) national comparison.

    Registered as a warmer (``likvard.warehouse.warm``): it runs right after an import commits,
    in the import's background job, so that even the first page request of the new data
    version only reads its rows. Returns the grade years done.
    """
    version = version if version is not None else data_version_get()
    for grade_year in grade_years:
        _units(version, [], grade_year)
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

    The baseline and the multiple-testing family are every unit in the data version, so a flag
    does not depend on which units a page shows. Both are computed once per data version and
    grade year and kept (``kept_units_slice``); release and audit run on every call.
    """
    flagged, patterns = _units(data_version_get(), school_units, grade_year)
    flagged, patterns = _of_groups(flagged, groups), _of_groups(patterns, groups)
    return (
        release(flagged, viewer=viewer, purpose=purpose),
        release(patterns, viewer=viewer, purpose=purpose),
    )


def _of_groups(aggregate: Aggregate, groups: Sequence[str]) -> Aggregate:
    """``aggregate``'s rows of ``groups`` alone (same population and description)."""
    keep = pc.is_in(aggregate.table.column("group"), pa.array(list(groups), pa.string()))
    return dataclasses.replace(aggregate, table=aggregate.table.filter(keep))


def _distribution(table: pa.Table) -> list[DistributionRow]:
    """Per subject and year: how many units, their spread, how many flagged (released rows)."""
    by_key: dict[tuple[str, int], list[dict[str, object]]] = {}
    for row in table.filter(pc.equal(table.column("group"), "all")).to_pylist():
        by_key.setdefault((str(row["subject_code"]), int(row["school_year"])), []).append(row)
    result = []
    for (subject, year), rows in sorted(by_key.items()):
        shown = [r for r in rows if r["share_higher"] is not None]
        shares = sorted(float(str(r["share_higher"])) for r in shown)
        result.append(
            DistributionRow(
                subject_code=subject,
                school_year=year,
                schools=len(rows),
                hidden=len(rows) - len(shown),
                share_min=shares[0] if shares else None,
                share_median=statistics.median(shares) if shares else None,
                share_max=shares[-1] if shares else None,
                flagged_higher=sum(1 for r in shown if _flagged_above(r, "higher")),
                flagged_lower=sum(1 for r in shown if _flagged_above(r, "lower")),
            )
        )
    return result


def _flagged_above(row: dict[str, object], measure: str) -> bool:
    """Flagged with a share of ``measure`` above the other units' rate (more often higher/lower)."""
    return bool(row[f"flag_{measure}"]) and bool(row[f"above_{measure}"])
