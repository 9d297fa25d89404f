"""Survey results for pages, API, CLI and exports: computed in the core, released by the gate.

Every figure leaves through ``likvard.access.release.release_cube``: the survey's own minimum of
respondents raises the gate's minimum groups (``thresholds_for``), so a small school unit's
index shows ``..`` with the reason "too few respondents"; a group under the survey's response
rate keeps its count but has its index withheld (reason "response rate below ...").
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from django.core.cache import cache

from likvard.access.policy import Viewer
from likvard.access.release import Released, release, release_cube, thresholds_for
from likvard.analyses.surveys import charts
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.surveys.definition import Method, Revision, SurveyVersion
from likvard_core.analytics.surveys.index import respondent_indices
from likvard_core.analytics.surveys.registry import builtin_definitions, definition_get, revision_of
from likvard_core.analytics.surveys.results import (
    eligible_and_respondents,
    index_aggregate,
    priority_table,
    units_answered,
)
from likvard_core.analytics.surveys.revision import index_comparable
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import Thresholds

LEVELS = (Level.MUNICIPALITY, Level.ORGANIZER, Level.SCHOOL_UNIT)
TABLE_NAMES = {
    Level.REGION: "region",
    Level.MUNICIPALITY: "municipality",
    Level.ORGANIZER: "organizer",
    Level.SCHOOL_UNIT: "school_unit",
}


class UnknownSurveyError(LookupError):
    """No survey version of that name."""


def survey_list() -> list[SurveyVersion]:
    """Every survey version Likvärd has, by key."""
    return list(builtin_definitions().values())


def survey_get(*, survey: str, version: str | None = None) -> SurveyVersion:
    """The version of ``survey`` (the latest when ``version`` is None)."""
    versions = [v for v in survey_list() if v.survey == survey]
    if version is not None:
        versions = [v for v in versions if v.version == version]
    if not versions:
        raise UnknownSurveyError(survey)
    return versions[-1]


def surveys_answered_in(*, region: Region) -> list[SurveyVersion]:
    """The latest version of each survey that a school unit in ``region`` has answered in the
    current data version (a region's page links only these: another region's survey would
    open on an empty page). Which units answered is looked up once per data version."""
    ref = data_version_get()
    key = f"surveys.answered.{ref.key}"
    answered = cache.get(key)
    if not isinstance(answered, dict):
        latest = {version.survey: version for version in survey_list()}
        with ref.open() as db:
            answered = {name: units_answered(db, v) for name, v in latest.items()}
        cache.set(key, answered, timeout=None)
    units = {unit.code for unit in organisations.region_school_units(region=region)}
    return [
        version
        for version in {v.survey: v for v in survey_list()}.values()
        if units & answered.get(version.survey, frozenset())
    ]


def revision_get(*, version: SurveyVersion) -> Revision:
    """``version``'s revision against its previous version."""
    return revision_of(version)


def enrolled_for_round(*, version: SurveyVersion) -> dict[tuple[str, int], int]:
    """Pupils enrolled per (school unit, year group) in ``version``'s school year and year
    groups, to invite a new round's classes (its organizer's own data)."""
    with data_version_get().open() as db:
        eligible, _ = eligible_and_respondents(db, version)
    return {
        (str(r["school_unit_code"]), int(r["year_group"])): int(r["eligible"])
        for r in eligible.to_pylist()
    }


Places = dict[str, tuple[str, str]]
"""School unit code to (organizer's organisation number, municipality code)."""


def _register(region: Region) -> tuple[Places, dict[str, dict[str, str]]]:
    """What the report reads from the register, in two queries: the region's school units'
    places (``Places``) and the names of its municipalities, organizers and school units."""
    units = organisations.school_unit_places(region=region)
    municipalities = organisations.region_municipalities(region=region)
    places = {u.code: (u.organisation_number, u.municipality_code) for u in units}
    names = {
        "municipality_code": {m.code: m.name for m in municipalities},
        "school_unit_code": {u.code: u.name for u in units},
        "organizer_code": {u.organisation_number: u.organizer_name for u in units},
    }
    return places, names


def _respondents(ref: VersionRef, version: SurveyVersion) -> pa.Table:
    def compute() -> pa.Table:
        with ref.open() as db:
            return respondent_indices(db, version)

    return ref.derived("survey_respondent_indices", {"key": version.key, "v": 1}, compute)


def survey_thresholds(version: SurveyVersion, organizers: frozenset[str]) -> Thresholds:
    """The gate's minimum groups, raised to the survey's minimum of respondents."""
    gate = thresholds_for(organizers=organizers)
    floor = version.thresholds.respondents
    return Thresholds(
        default=max(gate.default, floor),
        by_dim={k: max(v, floor) for k, v in gate.by_dim.items()},
    )


@dataclass(frozen=True, slots=True)
class SurveyReport:
    """One survey version's results for a region, released: a table per level (region,
    municipality, organizer, school unit), the priority matrix, the trend against the previous
    version (comparable indices only), names and charts."""

    region: Region
    version: SurveyVersion
    revision: Revision
    tables: dict[str, Released]
    priority: Released
    trend: list[dict[str, object]]
    trend_tables: dict[str, Released]
    """The region tables the trend is read from, by version (``_trend_tables``)."""
    names: dict[str, dict[str, str]]
    index_chart: dict[str, object]
    priority_chart: dict[str, object]
    data_version: str

    @property
    def indices(self) -> dict[str, str]:
        """Index key to name."""
        return {i.key: i.name for i in self.version.indices}

    @property
    def answered(self) -> bool:
        """Whether any of the region's school units answered this version (a region whose
        units did not has no rows at any level: its page and files say so, with no chart)."""
        return bool(self.tables["region"].table.num_rows > 0)

    @property
    def not_comparable(self) -> list[str]:
        """Names of the indices whose trend stops at this version's revision."""
        return [i.name for i in self.version.indices if not index_comparable(self.revision, i)]


def _aggregates(
    ref: VersionRef, version: SurveyVersion, region: Region, places: Places
) -> dict[str, Aggregate]:
    respondents = _respondents(ref, version)
    units = pa.array(sorted(places), pa.string())
    respondents = respondents.filter(pc.is_in(respondents.column("school_unit_code"), units))
    with ref.open() as db:
        eligible, answered = eligible_and_respondents(db, version)
    scope = f"region:{region.code}/survey:{version.key}"
    return {
        TABLE_NAMES[level]: index_aggregate(
            respondents,
            eligible,
            answered,
            version=version,
            level=level,
            places=places,
            scope=scope,
            data_version=ref.label,
        )
        for level in (Level.REGION, *LEVELS)
    }


def _priority(ref: VersionRef, version: SurveyVersion, region: Region, places: Places) -> Aggregate:
    organizers = frozenset(o for o, _ in places.values())
    respondents = _respondents(ref, version)
    units = pa.array(sorted(places), pa.string())
    respondents = respondents.filter(pc.is_in(respondents.column("school_unit_code"), units))
    divisors = {i.key: 10.0 for i in version.indices if i.method is Method.WEIGHTED_100}
    table = priority_table(respondents, divisors=divisors)
    if "n" not in table.column_names:
        table = pa.table(
            {
                "index_key": pa.array([], pa.string()),
                "n": pa.array([], pa.int64()),
                "index_value": pa.array([], pa.float64()),
                "effect": pa.array([], pa.float64()),
            }
        )
    return Aggregate(
        table=table,
        dims=("index_key",),
        count="n",
        values=("index_value", "effect"),
        population=Population(
            scope=f"region:{region.code}/survey:{version.key}/priority",
            organizers=organizers,
            level=Level.REGION,
        ),
        data_version=ref.label,
        source=f"Likvärd, {version.name} {version.version}",
    )


def survey_region_report(
    *,
    viewer: Viewer,
    region: Region,
    survey: str = "gr-elev",
    version: str | None = None,
    channel: str = "web",
) -> SurveyReport:
    """``survey``'s results in ``region`` for one version (default: the latest), released."""
    return survey_region_report_keyed(
        viewer=viewer, region=region, survey=survey, version=version, channel=channel
    )[0]


def survey_region_report_keyed(
    *,
    viewer: Viewer,
    region: Region,
    survey: str = "gr-elev",
    version: str | None = None,
    channel: str = "web",
) -> tuple[SurveyReport, str]:
    """``survey_region_report``, computed once per data version, viewer rights class, region,
    survey version, channel and what it reads from the register (the region's school units
    with their organizers and municipalities, the names, the thresholds), and the key naming
    exactly these figures (``warehouse.fragments.figures_cached_keyed``, issue #18): a page
    rendered from them may be kept under it. A viewer reading student-level figures from the
    cache is audited for the same reads as if computed."""
    chosen = survey_get(survey=survey, version=version)
    places, names = _register(region)
    thresholds = survey_thresholds(chosen, frozenset(o for o, _ in places.values()))
    listed = sorted((level, sorted(named.items())) for level, named in names.items())
    register = repr((sorted(places.items()), listed, thresholds))
    choices = {
        "region": region.code,
        "survey": chosen.key,
        "channel": channel,
        "register": hashlib.sha256(register.encode()).hexdigest(),
    }
    return figures_cached_keyed(
        name="surveys.region",
        viewer=viewer,
        choices=choices,
        compute=lambda: _report(
            viewer=viewer,
            region=region,
            chosen=chosen,
            channel=channel,
            places=places,
            names=names,
            thresholds=thresholds,
        ),
    )


def _report(
    *,
    viewer: Viewer,
    region: Region,
    chosen: SurveyVersion,
    channel: str,
    places: Places,
    names: dict[str, dict[str, str]],
    thresholds: Thresholds,
) -> SurveyReport:
    ref = data_version_get()
    tables = _version_tables(ref, chosen, region, places, viewer=viewer, channel=channel)
    priority = release(
        _priority(ref, chosen, region, places),
        viewer=viewer,
        purpose="surveys.region",
        channel=channel,
        thresholds=thresholds,
    )
    revision = revision_of(chosen)
    trend_tables = _trend_tables(
        ref, chosen, tables, region, places, viewer=viewer, channel=channel
    )
    return SurveyReport(
        region=region,
        version=chosen,
        revision=revision,
        tables=tables,
        priority=priority,
        trend=_trend(chosen, trend_tables),
        trend_tables=trend_tables,
        names=names,
        index_chart=charts.index_by_municipality(
            tables["municipality"], names["municipality_code"], chosen
        ),
        priority_chart=charts.priority_matrix(priority, chosen),
        data_version=ref.label,
    )


_MUNICIPALITY, _ORGANIZER, _UNIT = "municipality_code", "organizer_code", "school_unit_code"
_LINKED = (_MUNICIPALITY, _ORGANIZER, _UNIT)
"""The level columns the region table is the total over (one margin per level table)."""


def region_in_cube(
    aggregates: Mapping[str, Aggregate],
    organizers: Mapping[str, str] | None = None,
    municipalities: Mapping[str, str] | None = None,
) -> dict[str, Aggregate]:
    """``aggregates`` with the region's rows as the total over each level's rows.

    The region's respondents are its municipalities', its organizers' and its school units'
    (per index; per year group and gender too for municipalities), so the joint decision must
    know these ties: else a hidden group is the region's shown group minus the others' (the
    disclosure audit found such cells in the demo's GR, issue #20). The region table gets a
    null column of each level (a margin of that level's table); ``_region_alone`` drops them
    after the release. With ``organizers`` (unit to organizer) an organizer is the total of
    its units, and with ``municipalities`` (unit to municipality) a municipality is the total
    of its own units: the unit table carries both codes, dropped after the release."""
    linked = dict(aggregates)
    region = aggregates["region"]
    for level in ("municipality", "organizer", "school_unit"):
        column = next(c for c in _LINKED if c in aggregates[level].dims)
        of_level = aggregates[level]
        nulls = pa.nulls(region.table.num_rows, of_level.table.schema.field(column).type)
        region = dataclasses.replace(
            region,
            table=region.table.append_column(column, nulls),
            dims=(column, *region.dims),
            margins=(column, *region.margins),
        )
        linked[level] = dataclasses.replace(of_level, margins=(column, *of_level.margins))
    linked["region"] = region
    if organizers is not None:  # an organizer's respondents are its units'
        units, organizer = linked["school_unit"], linked["organizer"]
        codes = [organizers.get(str(c)) for c in units.table.column(_UNIT).to_pylist()]
        kind = organizer.table.schema.field(_ORGANIZER).type
        nulls = pa.nulls(organizer.table.num_rows, units.table.schema.field(_UNIT).type)
        linked["school_unit"] = dataclasses.replace(
            units,
            table=units.table.append_column(_ORGANIZER, pa.array(codes, kind)),
            dims=(_ORGANIZER, *units.dims),
        )
        linked["organizer"] = dataclasses.replace(
            organizer,
            table=organizer.table.append_column(_UNIT, nulls),
            dims=(_UNIT, *organizer.dims),
            margins=(_UNIT, *organizer.margins),
        )
    if municipalities is not None:  # a municipality's respondents are its own units'
        units = linked["school_unit"]
        codes = [municipalities.get(str(c)) for c in units.table.column(_UNIT).to_pylist()]
        kind = linked["municipality"].table.schema.field(_MUNICIPALITY).type
        linked["school_unit"] = dataclasses.replace(
            units,
            table=units.table.append_column(_MUNICIPALITY, pa.array(codes, kind)),
            dims=(_MUNICIPALITY, *units.dims),
        )
    return linked


def _without(released: Released, *columns: str) -> Released:
    return dataclasses.replace(
        released,
        table=released.table.drop_columns(list(columns)),
        dims=tuple(d for d in released.dims if d not in columns),
    )


def _region_alone(released: Released) -> Released:
    return dataclasses.replace(
        released,
        table=released.table.drop_columns(list(_LINKED)),
        dims=tuple(d for d in released.dims if d not in _LINKED),
    )


def _version_tables(
    ref: VersionRef,
    version: SurveyVersion,
    region: Region,
    places: Places,
    *,
    viewer: Viewer,
    channel: str,
) -> dict[str, Released]:
    """``version``'s four level tables in ``region``, released in one joint decision."""
    organizers = frozenset(o for o, _ in places.values())
    tables = release_cube(
        region_in_cube(
            _aggregates(ref, version, region, places),
            {u: o for u, (o, _m) in places.items()},
            {u: m for u, (_o, m) in places.items()},
        ),
        viewer=viewer,
        purpose="surveys.region",
        channel=channel,
        thresholds=survey_thresholds(version, organizers),
    )
    tables["region"] = _region_alone(tables["region"])
    tables["organizer"] = _without(tables["organizer"], _UNIT)
    tables["school_unit"] = _without(tables["school_unit"], _ORGANIZER, _MUNICIPALITY)
    return tables


def _trend_tables(
    ref: VersionRef,
    version: SurveyVersion,
    tables: Mapping[str, Released],
    region: Region,
    places: Places,
    *,
    viewer: Viewer,
    channel: str,
) -> dict[str, Released]:
    """The region's table of the previous version and of ``version``, by version, each as its
    year's joint decision released it (empty for a first version).

    A trend row is the region's cell of its version: released apart, it could show a total
    that the year's decision hid to protect a group of it (issue #20)."""
    previous = definition_get(f"{version.survey}/{version.previous}") if version.previous else None
    if previous is None:
        return {}
    earlier = _version_tables(ref, previous, region, places, viewer=viewer, channel=channel)
    return {previous.version: earlier["region"], version.version: tables["region"]}


def _trend(version: SurveyVersion, tables: Mapping[str, Released]) -> list[dict[str, object]]:
    """The region's index per version, for indices comparable between the two versions (the
    others are left out, and the page names them): the rows of ``_trend_tables``."""
    revision = revision_of(version)
    keep = {i.key for i in version.indices if index_comparable(revision, i)}
    return [
        {**r, "version": each}
        for each, released in tables.items()
        for r in released.rows()
        if r["index_key"] in keep and r["year_group"] is None and r["gender"] is None
    ]
