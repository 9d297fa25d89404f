"""Komvux reports: the only code of these pages touching both Django and the core.

Each measure family (``MEASURES``: applications, first-hand and eligible applicants, enrolment
with completion and interruption, outcomes) is one population of counts per region: every
table of the region page and of each of its municipal organizers' pages is released together
through ``likvard.access.release.release_cube`` (``komvux_cube``), and each page shows its own
tables of that one decision. So small groups are hidden, and no difference between a region
figure and the organizers' figures (or between two tables) reveals a hidden one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from likvard.access.policy import ANONYMOUS, Viewer
from likvard.access.release import Released, release_cube, sees_in_full
from likvard.analyses.komvux.definitions import WORDS
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Municipality, Organizer, Region
from likvard.warehouse.fragments import figures_cached_keyed
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.komvux.measures import (
    BREAKDOWNS,
    MEASURES,
    OUTCOMES,
    REGION_KEY,
    komvux_cube,
    komvux_organizer_breakdowns,
    start_cells,
    unended_rows,
)
from likvard_core.disclosure.aggregate import Aggregate

Tables = dict[str, dict[str, Released]]
Unended = dict[str, dict[str, frozenset[tuple[object, ...]]]]
"""Per measure and breakdown, the keys of rows without an ended start (``unended_rows``)."""
PURPOSE_REGION = "komvux.region"
PURPOSE_ORGANIZER = "komvux.organizer"


@dataclass(frozen=True, slots=True)
class KomvuxReport:
    """Released komvux figures of a region or one organizer: per measure family and
    breakdown a ``Released`` table over every year, the names of the codes, the years."""

    title: str
    region: Region | None
    organizer: Organizer | None
    tables: dict[str, dict[str, Released]]
    names: dict[str, dict[str, str]]
    years: list[int]
    year: int | None
    data_version: str
    starts: dict[int, int]
    """Starts per year (course starts are not people: no suppression)."""
    unended: Unended = field(default_factory=dict)
    """Per measure and breakdown the keys (values of the table's ``dims``) of the rows no
    start of which has ended: their outcomes (``OUTCOMES``) are not applicable, empty and no
    cell even where the row is hidden (a fact of the course calendar, not of a student)."""

    def table(self, measure: str, by: str) -> Released:
        """The released table of ``measure`` by ``by``."""
        return self.tables[measure][by]

    def not_applicable(self, measure: str, by: str, row: Mapping[str, object]) -> bool:
        """True when ``row`` of ``measure`` by ``by`` has no ended start: no outcomes."""
        keys = self.unended.get(measure, {}).get(by)
        if not keys:
            return False
        dims = self.tables[measure][by].dims
        return tuple(row.get(d) for d in dims) in keys


def _organizers(
    municipalities: list[Municipality], found: list[Organizer] | None = None
) -> dict[str, str]:
    """Each municipality's own (municipal) organizer: the komvux organizer (huvudman), from
    ``found`` (``organisations.municipal_organizers``, read when not given)."""
    if found is None:
        found = organisations.municipal_organizers(municipalities=municipalities)
    return {str(o.municipality_id): o.organisation_number for o in found}


def _names(cells: pa.Table, municipalities: list[Municipality]) -> dict[str, dict[str, str]]:
    """Names of every code a table can show: municipalities from the register, courses and
    starts from the files (course name; course, provider and start date), words for the rest."""
    courses: dict[str, str] = {}
    starts: dict[str, str] = {}
    columns = ["course_code", "course_name", "start_key", "provider", "start_date"]
    for row in cells.select(columns).to_pylist():
        courses.setdefault(str(row["course_code"]), str(row["course_name"]))
        date = row["start_date"]
        starts[str(row["start_key"])] = (
            f"{row['course_name']}, {row['provider']} ({date.isoformat() if date else ''})"
        )
    words = {code: str(word) for code, word in WORDS.items()}
    return {
        "municipality_code": {m.code: m.name for m in municipalities},
        "course_code": courses,
        "start_key": starts,
        "provider_type": words,
        "provision": words,
        "size": words,
    }


def _cells(version: VersionRef, municipalities: list[Municipality]) -> pa.Table:
    with version.open() as db:
        return start_cells(db, municipalities=[m.code for m in municipalities])


def _region_tables(
    *, viewer: Viewer, region: Region, cells: pa.Table, version: str, owners: dict[str, str],
    purpose: str, channel: str,
) -> dict[str, tuple[Tables, Unended]]:  # fmt: skip
    """The region's whole komvux release for ``viewer``, per page (``region`` or an organizer's
    organisation number), measure and breakdown: one joint decision per measure; with each
    page the keys of its rows without an ended start."""
    pages: dict[str, tuple[Tables, Unended]] = {}
    for measure in MEASURES:
        cube = komvux_cube(
            cells, measure=measure, data_version=version, scope=f"region:{region.code}",
            organizers=owners,
        )  # fmt: skip
        released = release_cube(cube, viewer=viewer, purpose=purpose, channel=channel)
        for key, table in released.items():
            page, by = key.split("/", 1)
            tables, unended = pages.setdefault(page, ({}, {}))
            tables.setdefault(measure, {})[by] = table
            unended.setdefault(measure, {})[by] = unended_rows(cube[key])
    return pages


def _own_tables(
    *, viewer: Viewer, cells: pa.Table, version: str, municipality: str, organizer: str,
    purpose: str, channel: str,
) -> tuple[Tables, Unended]:  # fmt: skip
    """One organizer's tables released on their own: for its own analysts (in full, audited),
    or when its municipality is in no region; with the keys of rows without an ended start."""
    tables: Tables = {}
    unended: Unended = {}
    for measure in MEASURES:
        cube: dict[str, Aggregate] = komvux_organizer_breakdowns(
            cells, measure=measure, data_version=version, scope=f"organizer:{organizer}",
            municipality=municipality, organizer=organizer,
        )  # fmt: skip
        tables[measure] = release_cube(cube, viewer=viewer, purpose=purpose, channel=channel)
        unended[measure] = {by: unended_rows(a) for by, a in cube.items()}
    return tables, unended


def _report(
    *,
    title: str,
    cells: pa.Table,
    tables: Tables,
    unended: Unended,
    municipalities: list[Municipality],
    version: str,
    year: int | None,
    region: Region | None = None,
    organizer: Organizer | None = None,
) -> KomvuxReport:
    years = sorted({int(y) for y in pc.unique(cells.column("year")).to_pylist()})
    chosen = year if year in years else _default_year(tables, years)
    return KomvuxReport(
        title=title,
        region=region,
        organizer=organizer,
        tables=tables,
        names=_names(cells, municipalities),
        years=years,
        year=chosen,
        data_version=version,
        starts=_starts(cells),
        unended=unended,
    )


def _default_year(tables: dict[str, dict[str, Released]], years: list[int]) -> int | None:
    """The latest year whose starts have mostly ended (results reported for at least half of
    those enrolled, by the released totals), else the latest year with starts."""
    ended = [
        int(str(row["year"]))
        for row in tables["enrolment"]["provider_type"].rows()
        if row["provider_type"] is None
        and row.get("enrolled")
        and 2 * int(str(row.get("enrolled_ended") or 0)) >= int(str(row["enrolled"]))
    ]
    if ended:
        return max(ended)
    return years[-1] if years else None


def _starts(cells: pa.Table) -> dict[int, int]:
    if not cells.num_rows:
        return {}
    counted = cells.group_by("year").aggregate([("start_key", "count")]).to_pylist()
    return {int(row["year"]): int(row["start_key_count"]) for row in counted}


def komvux_region_report(
    *, viewer: Viewer, region: Region, year: int | None = None, channel: str = "web"
) -> KomvuxReport:
    """The komvux starts organized by ``region``'s municipalities: every measure per year and
    breakdown, released for ``viewer`` (small groups hidden unless the figures are its own).
    ``year`` picks the year the page shows in detail (default: the latest).

    The report is kept per data version and class: the analysts of one of the region's
    organizers (their own figures in full, the reads kept and replayed for every reader,
    ``figures_cached_keyed``), or everyone else as one. The warm-up computes both, so an
    owner's first page in a web process releases nothing (2.0 s of CPU before, issue #16)."""
    municipalities = organisations.region_municipalities(region=region)
    owners = _organizers(municipalities)
    # A viewer who owns none of the region's organizers knows no cell of its cubes: the gate
    # releases them as to a viewer who owns nothing, audited for nothing, so they share that
    # class's report (kept by the warm-up's first pass).
    kind = viewer if viewer.organizers & set(owners.values()) else ANONYMOUS
    choices = {
        "region": region.code,
        "year": str(year),
        "channel": channel,
        "register": repr((sorted(m.code for m in municipalities), sorted(owners.items()))),
    }
    report, _key = figures_cached_keyed(
        name="komvux.region",
        viewer=kind,
        choices=choices,
        compute=lambda: _region_report(
            viewer=kind,
            region=region,
            year=year,
            channel=channel,
            municipalities=municipalities,
            owners=owners,
        ),
    )
    return report


def _region_report(
    *, viewer: Viewer, region: Region, year: int | None, channel: str,
    municipalities: list[Municipality], owners: dict[str, str],
) -> KomvuxReport:  # fmt: skip
    """``komvux_region_report``, computed."""
    version = data_version_get()
    cells = _cells(version, municipalities)
    pages = _region_tables(
        viewer=viewer, region=region, cells=cells, version=version.label,
        owners=owners, purpose=PURPOSE_REGION, channel=channel,
    )  # fmt: skip
    tables, unended = pages[REGION_KEY]
    return _report(
        title=region.name, cells=cells, tables=tables, unended=unended,
        municipalities=municipalities, version=version.label, year=year, region=region,
    )  # fmt: skip


def komvux_organizer_report(
    *, viewer: Viewer, organizer: Organizer, year: int | None = None, channel: str = "web"
) -> KomvuxReport:
    """The komvux starts of one municipal organizer (its municipality's starts), every measure
    per year and breakdown; the organizer's own analysts see them in full, others the
    organizer's slice of its region's one release (``komvux_region_report``'s decision). An
    organizer that is not a municipality has no komvux starts."""
    municipality = organizer.municipality
    version = data_version_get()
    municipalities = [municipality] if municipality is not None else []
    cells = _cells(version, municipalities)
    number = organizer.organisation_number
    code = municipality.code if municipality is not None else ""
    region = _region_of(municipality)
    own: tuple[Tables, Unended] | None = None
    if region is not None and not _sees_own(viewer, cells, code, number):
        members = organisations.region_municipalities(region=region)
        own = _region_tables(
            viewer=viewer, region=region, cells=_cells(version, members), version=version.label,
            owners=_organizers(members), purpose=PURPOSE_ORGANIZER, channel=channel,
        ).get(number)  # fmt: skip
    if own is None:  # the viewer's own figures, or an organizer outside every region
        own = _own_tables(
            viewer=viewer, cells=cells, version=version.label, municipality=code,
            organizer=number, purpose=PURPOSE_ORGANIZER, channel=channel,
        )  # fmt: skip
    return _report(
        title=organizer.name, cells=cells, tables=own[0], unended=own[1],
        municipalities=municipalities, version=version.label, year=year, organizer=organizer,
    )  # fmt: skip


def _sees_own(viewer: Viewer, cells: pa.Table, municipality: str, organizer: str) -> bool:
    """True when ``viewer`` may see ``organizer``'s komvux figures unsuppressed."""
    probe = komvux_organizer_breakdowns(
        cells.slice(0, 0), measure="applications", data_version="", scope="",
        municipality=municipality, organizer=organizer,
    )["provider_type"]  # fmt: skip
    return sees_in_full(probe, viewer)


def _region_of(municipality: Municipality | None) -> Region | None:
    """The region whose komvux release holds ``municipality``'s figures (the first by code)."""
    if municipality is None:
        return None
    return Region.objects.filter(municipalities=municipality).order_by("code").first()


def komvux_organizers(*, region: Region) -> list[Organizer]:
    """The municipal organizers of ``region``: the komvux organizers whose pages exist."""
    municipalities = organisations.region_municipalities(region=region)
    found = organisations.municipal_organizers(municipalities=municipalities)
    owners = set(_organizers(municipalities, found).values())
    return sorted((o for o in found if o.organisation_number in owners), key=lambda o: o.name)


__all__ = ["BREAKDOWNS", "MEASURES", "OUTCOMES", "KomvuxReport"]
