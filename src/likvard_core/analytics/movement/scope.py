"""What a movement query covers, the reference lookups it needs, and the shared SQL base.

Every movement figure starts from one row per student and school year (the 15 October count
in ``enrolments``); a student registered at two school units that day is counted once, at the
unit with the lowest code (one hash aggregate with ``arg_min``, twice as fast as a window),
so that each student falls in exactly one cell of every breakdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from likvard_core.terms import OrganizerType, SchoolForm
from likvard_core.warehouse.schema import ENROLMENTS

UPPER_SECONDARY_FORMS: tuple[str, ...] = (
    SchoolForm.UPPER_SECONDARY.value,
    SchoolForm.UPPER_SECONDARY_ADAPTED.value,
)
UNKNOWN = ""
"""The municipality or organizer type of a code missing from the reference lookups."""
INTRODUCTION_PREFIX = "IM"


@dataclass(frozen=True, slots=True)
class OrganizerInfo:
    """An organizer's type and, for a municipal organizer, its municipality."""

    organizer_type: str
    municipality_code: str


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """Where a school unit is, and who runs it."""

    municipality_code: str
    organizer_code: str


@dataclass(frozen=True, slots=True)
class Lookups:
    """Reference data the warehouse facts lack, passed in by the caller.

    ``organizers`` maps an organisation number to its type and municipality (the municipal
    organizer of a municipality is the one of type ``kommunal`` with that municipality);
    ``school_units`` maps a school unit code to its municipality and organizer.
    """

    organizers: Mapping[str, OrganizerInfo]
    school_units: Mapping[str, UnitInfo] = field(default_factory=dict)

    def params(self) -> dict[str, object]:
        """The lookups as parallel lists, bound as SQL parameters."""
        org_codes = sorted(self.organizers)
        unit_codes = sorted(self.school_units)
        return {
            "org_codes": org_codes,
            "org_types": [self.organizers[c].organizer_type for c in org_codes],
            "org_munis": [self.organizers[c].municipality_code for c in org_codes],
            "unit_codes": unit_codes,
            "unit_munis": [self.school_units[c].municipality_code for c in unit_codes],
        }


@dataclass(frozen=True, slots=True)
class Scope:
    """Which students a movement query counts.

    ``municipalities``: the region (home or school municipality in it); ``None`` is the whole
    country. ``years``: school years (spring year); ``None`` is every year. ``programmes``,
    ``organizer_types``: ``None`` means all. ``school_forms``: upper secondary by default.
    """

    municipalities: frozenset[str] | None = None
    years: tuple[int, ...] | None = None
    programmes: frozenset[str] | None = None
    school_forms: tuple[str, ...] = UPPER_SECONDARY_FORMS
    organizer_types: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        *,
        municipalities: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        programmes: Iterable[str] | None = None,
        school_forms: Iterable[str] | None = None,
        organizer_types: Iterable[str] | None = None,
    ) -> Scope:
        """A scope from any iterables (``None`` leaves a filter open)."""
        return cls(
            municipalities=None if municipalities is None else frozenset(municipalities),
            years=None if years is None else tuple(sorted(set(years))),
            programmes=None if programmes is None else frozenset(programmes),
            school_forms=UPPER_SECONDARY_FORMS if school_forms is None else tuple(school_forms),
            organizer_types=None if organizer_types is None else frozenset(organizer_types),
        )

    def label(self) -> str:
        """A short text naming the scope, for audit and caching."""
        munis = "all" if self.municipalities is None else f"{len(self.municipalities)}"
        years = "all" if not self.years else f"{self.years[0]}-{self.years[-1]}"
        return f"municipalities:{munis}/years:{years}" + (
            "" if self.programmes is None and self.organizer_types is None else "/filtered"
        )


MUNICIPAL = OrganizerType.MUNICIPAL.value

_BASE_SQL = f"""
WITH org AS (
    SELECT unnest($org_codes) AS organizer_code, unnest($org_types) AS organizer_type,
           unnest($org_munis) AS organizer_municipality
),
units AS (
    SELECT unnest($unit_codes) AS school_unit_code, unnest($unit_munis) AS school_municipality
),
students AS (
    SELECT school_year, student_key,
           arg_min(home_municipality_code, school_unit_code) AS home_municipality_code,
           arg_min(organizer_code, school_unit_code) AS organizer_code,
           min(school_unit_code) AS school_unit_code,
           arg_min(coalesce(programme_code, ''), school_unit_code) AS programme_code,
           arg_min(school_form, school_unit_code) AS school_form,
           arg_min(grade_year, school_unit_code) AS grade_year
    FROM {ENROLMENTS.name}
    WHERE school_form IN (SELECT unnest($forms)) {{year_filter}}
    GROUP BY school_year, student_key
),
base AS (
    SELECT s.school_year, s.student_key, s.home_municipality_code, s.organizer_code,
           coalesce(o.organizer_type, '') AS organizer_type,
           coalesce(o.organizer_municipality, '') AS organizer_municipality,
           s.school_unit_code, coalesce(u.school_municipality, '') AS school_municipality_code,
           s.programme_code, s.school_form, s.grade_year,
           NOT (coalesce(o.organizer_type, '') = '{MUNICIPAL}'
                AND o.organizer_municipality = s.home_municipality_code) AS other_organizer
    FROM students AS s
    LEFT JOIN org AS o ON o.organizer_code = s.organizer_code
    LEFT JOIN units AS u ON u.school_unit_code = s.school_unit_code
    WHERE TRUE {{filters}}
)
"""


def base_sql(
    scope: Scope, lookups: Lookups, *, region_by: str = "either"
) -> tuple[str, dict[str, object]]:
    """The ``base`` CTE (one row per student and year, with lookups joined) and its params.

    ``region_by``: ``"either"`` keeps students living or studying in the region, ``"home"``
    only those living in it.
    """
    params: dict[str, object] = {"forms": list(scope.school_forms), **lookups.params()}
    year_filter = ""
    if scope.years is not None:
        params["years"] = list(scope.years)
        year_filter = "AND school_year IN (SELECT unnest($years))"
    filters: list[str] = []
    if scope.municipalities is not None:
        params["region"] = sorted(scope.municipalities)
        home = "s.home_municipality_code IN (SELECT unnest($region))"
        school = "coalesce(u.school_municipality, '') IN (SELECT unnest($region))"
        filters.append(f"AND {home}" if region_by == "home" else f"AND ({home} OR {school})")
    if scope.programmes is not None:
        params["programmes"] = sorted(scope.programmes)
        filters.append("AND s.programme_code IN (SELECT unnest($programmes))")
    if scope.organizer_types is not None:
        params["organizer_types"] = sorted(scope.organizer_types)
        filters.append("AND coalesce(o.organizer_type, '') IN (SELECT unnest($organizer_types))")
    sql = _BASE_SQL.format(year_filter=year_filter, filters=" ".join(filters))
    return sql, params
