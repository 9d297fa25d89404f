"""Komvux reports: the only code of these pages touching both Django and the core.

Each measure family (``MEASURES``: applications, first-hand and eligible applicants, enrolment
with completion and interruption, outcomes) is one population of counts: its tables (one per
breakdown) are released together through ``likvard.access.release.release_cube``, so small
groups are hidden and no difference between two of its tables reveals a hidden one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from likvard.access.policy import Viewer
from likvard.access.release import Released, release_cube
from likvard.analyses.komvux.definitions import WORDS
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Municipality, Organizer, Region
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.komvux.measures import (
    BREAKDOWNS,
    MEASURES,
    komvux_breakdowns,
    start_cells,
)
from likvard_core.disclosure.aggregate import Level

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

    def table(self, measure: str, by: str) -> Released:
        """The released table of ``measure`` by ``by``."""
        return self.tables[measure][by]


def _organizers(municipalities: list[Municipality]) -> dict[str, str]:
    """Each municipality's own (municipal) organizer: the komvux organizer (huvudman)."""
    found: dict[str, str] = {}
    for municipality in municipalities:
        for organizer in organisations.organizers_in_municipality(municipality=municipality):
            if organizer.municipality_id == municipality.pk:
                found[municipality.code] = organizer.organisation_number
    return found


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


def _report(
    *,
    viewer: Viewer,
    title: str,
    municipalities: list[Municipality],
    scope: str,
    level: Level,
    purpose: str,
    year: int | None,
    channel: str,
    region: Region | None = None,
    organizer: Organizer | None = None,
) -> KomvuxReport:
    version = data_version_get()
    cells = _cells(version, municipalities)
    owners = _organizers(municipalities)
    tables = {
        measure: release_cube(
            komvux_breakdowns(
                cells, measure=measure, data_version=version.label, scope=scope,
                organizers=owners, level=level,
            ),
            viewer=viewer,
            purpose=purpose,
            channel=channel,
        )
        for measure in MEASURES
    }  # fmt: skip
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
        data_version=version.label,
        starts=_starts(cells),
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
    ``year`` picks the year the page shows in detail (default: the latest)."""
    municipalities = organisations.region_municipalities(region=region)
    return _report(
        viewer=viewer,
        title=region.name,
        municipalities=municipalities,
        scope=f"region:{region.code}",
        level=Level.REGION,
        purpose=PURPOSE_REGION,
        year=year,
        channel=channel,
        region=region,
    )


def komvux_organizer_report(
    *, viewer: Viewer, organizer: Organizer, year: int | None = None, channel: str = "web"
) -> KomvuxReport:
    """The komvux starts of one municipal organizer (its municipality's starts), every measure
    per year and breakdown; the organizer's own analysts see them in full, others with small
    groups hidden. An organizer that is not a municipality has no komvux starts."""
    municipalities = [organizer.municipality] if organizer.municipality is not None else []
    return _report(
        viewer=viewer,
        title=organizer.name,
        municipalities=municipalities,
        scope=f"organizer:{organizer.organisation_number}",
        level=Level.ORGANIZER,
        purpose=PURPOSE_ORGANIZER,
        year=year,
        channel=channel,
        organizer=organizer,
    )


def komvux_organizers(*, region: Region) -> list[Organizer]:
    """The municipal organizers of ``region``: the komvux organizers whose pages exist."""
    municipalities = organisations.region_municipalities(region=region)
    owners = set(_organizers(municipalities).values())
    return sorted(
        (
            o
            for m in municipalities
            for o in organisations.organizers_in_municipality(municipality=m)
            if o.organisation_number in owners
        ),
        key=lambda o: o.name,
    )


__all__ = ["BREAKDOWNS", "MEASURES", "KomvuxReport"]
