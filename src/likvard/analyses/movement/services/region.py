"""The region's dependency map: the map, the Sankey, the origin-destination matrix."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from likvard.access.policy import Viewer
from likvard.access.release import Released
from likvard.analyses.movement import charts
from likvard.analyses.movement.sankey import Link, collapse_stages, sankey_layout, sankey_svg
from likvard.analyses.movement.selectors import Reference, movement_reference
from likvard.analyses.movement.services.cells import area_cells, movement_choices
from likvard.analyses.movement.services.joint import released_cube
from likvard.organisations import selectors as organisations
from likvard.organisations.models import Region
from likvard.warehouse.selectors import data_version_get
from likvard_core.analytics.movement.flows import FlowLevel
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.tables import (
    other_organizer_share_from_cells,
    tables_from_cells,
)
from likvard_core.analytics.movement.ties import links_tied, matrix_tied, share_by_home

SANKEY_STAGES: tuple[FlowLevel, ...] = (
    FlowLevel.HOME,
    FlowLevel.ORGANIZER,
    FlowLevel.SCHOOL_UNIT,
    FlowLevel.PROGRAMME,
)
SANKEY_KEEP = 12
OTHERS = "\x00others"
"""The key of the Sankey node that merges a stage's smaller nodes (never a real code)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """The page's filters; ``None`` means all (the latest year for ``year``)."""

    year: int | None = None
    programme: str | None = None
    school_form: str | None = None
    organizer_type: str | None = None
    measure: str = "share"
    municipality: str | None = None

    def scope(self, municipalities: frozenset[str] | None, year: int | None) -> Scope:
        """The core scope for these filters in ``municipalities`` and ``year``."""
        return Scope.of(
            municipalities=municipalities,
            years=None if year is None else [year],
            programmes=None if not self.programme else [self.programme],
            school_forms=None if not self.school_form else [self.school_form],
            organizer_types=None if not self.organizer_type else [self.organizer_type],
        )


@dataclass(frozen=True, slots=True)
class MapRow:
    """One municipality of the region in the chosen year: the map's figures as a table row."""

    code: str
    name: str
    residents: int | None
    other: int | None
    share: float | None
    outgoing: int | None
    incoming: int | None
    net: int | None

    @property
    def percent(self) -> float | None:
        """The share with another organizer in percent."""
        return None if self.share is None else 100 * self.share


@dataclass(frozen=True, slots=True)
class TrendRow:
    """The region as a whole in one school year."""

    year: int
    residents: int | None
    other: int | None
    share: float | None

    @property
    def percent(self) -> float | None:
        """The share with another organizer in percent."""
        return None if self.share is None else 100 * self.share


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One home municipality: students per school municipality (``None`` = hidden)."""

    code: str
    name: str
    cells: list[int | None]
    total: int | None


@dataclass(frozen=True, slots=True)
class SankeyRow:
    """One link of the Sankey, for the table alternative."""

    stage: str
    source: str
    target: str
    students: int


@dataclass(frozen=True, slots=True)
class RegionReport:
    """Everything the region page, its exports and the CLI show."""

    region: Region
    year: int | None
    years: list[int]
    filters: Filters
    share: Released
    balance: Released
    matrix: Released
    links: list[Released]
    map_rows: list[MapRow]
    trend: list[TrendRow]
    matrix_columns: list[tuple[str, str]]
    matrix_rows: list[MatrixRow]
    sankey_rows: list[SankeyRow]
    sankey_hidden: int
    sankey: str
    map_chart: dict[str, object] = field(default_factory=dict)


def _stage_titles() -> list[str]:
    return [_("Home municipality"), _("Organizer"), _("School unit"), _("Programme")]


def _label(reference: Reference, stage: FlowLevel, key: str) -> str:
    if key == OTHERS:
        return _("Others")
    match stage:
        case FlowLevel.HOME:
            return reference.municipality(key)
        case FlowLevel.ORGANIZER:
            return reference.organizer(key)
        case FlowLevel.SCHOOL_UNIT:
            return reference.school_unit(key)
        case FlowLevel.PROGRAMME:
            return reference.programme(key)


def _sankey(
    links: list[Released], reference: Reference, year: int | None
) -> tuple[str, list[SankeyRow], int]:
    raw: list[Link] = []
    hidden = 0
    for stage, released in enumerate(links):
        source, target = SANKEY_STAGES[stage].value, SANKEY_STAGES[stage + 1].value
        for row in released.rows():
            if row["n"] is None:
                hidden += 1
                continue
            raw.append(Link(stage, str(row[source]), str(row[target]), int(str(row["n"]))))
    raw = collapse_stages(raw, stages=len(SANKEY_STAGES), keep=SANKEY_KEEP, other=OTHERS)
    titles = _stage_titles()
    labels = {
        (s, link.source): _label(reference, SANKEY_STAGES[s], link.source)
        for link in raw
        for s in (link.stage,)
    }
    labels |= {
        (link.stage + 1, link.target): _label(reference, SANKEY_STAGES[link.stage + 1], link.target)
        for link in raw
    }
    layout = sankey_layout(raw, stage_titles=titles, labels=labels)
    title = _("Students from home municipality to organizer, school unit and programme")
    description = _(
        "Each band is a group of students; its thickness is their number. The same figures "
        "are in the table below the diagram."
    )
    svg = sankey_svg(layout, title=title, description=description, element_id="sankey")
    rows = [
        SankeyRow(
            f"{titles[k.stage]} → {titles[k.stage + 1]}",
            labels[(k.stage, k.source)],
            labels[(k.stage + 1, k.target)],
            k.value,
        )
        for k in sorted(raw, key=lambda x: (x.stage, -x.value))
    ]
    return svg, rows, hidden


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _map_rows(
    share: Released, balance: Released, reference: Reference, codes: list[str], year: int | None
) -> list[MapRow]:
    shares = {r["home_municipality_code"]: r for r in share.rows() if r["school_year"] == year}
    totals = {
        r["municipality_code"]: r
        for r in balance.rows()
        if r["school_year"] == year and r["programme_code"] is None
    }
    rows = []
    for code in codes:
        s, b = shares.get(code, {}), totals.get(code, {})
        value = s.get("share_other")
        rows.append(
            MapRow(
                code,
                reference.municipality(code),
                _int(s.get("n")),
                _int(s.get("n_other")),
                None if value is None else float(str(value)),
                _int(b.get("outgoing")),
                _int(b.get("incoming")),
                _int(b.get("net")),
            )
        )
    return rows


def _matrix(
    matrix: Released, reference: Reference, codes: list[str]
) -> tuple[list[tuple[str, str]], list[MatrixRow]]:
    cells: dict[tuple[str, str], int | None] = {}
    origins: set[str] = set()
    destinations: set[str] = set(codes)
    for row in matrix.rows():
        key = (str(row["home_municipality_code"]), str(row["school_municipality_code"]))
        cells[key] = _int(row["n"])
        origins.add(key[0])
        destinations.add(key[1])
    inside = [c for c in codes if c in destinations]
    outside = sorted(d for d in destinations if d not in codes)
    columns = [(c, reference.municipality(c)) for c in inside + outside]
    rows = []
    for origin in [c for c in codes if c in origins] + sorted(origins - set(codes)):
        values = [cells.get((origin, d), 0) for d, _name in columns]
        total = None if any(v is None for v in values) else sum(v or 0 for v in values)
        rows.append(MatrixRow(origin, reference.municipality(origin), values, total))
    return columns, rows


def region_report(
    *, viewer: Viewer, region: Region, filters: Filters, channel: str = "web"
) -> RegionReport:
    """The dependency map of ``region`` in the filtered year (the latest by default).

    Reads the region's cells kept per data version (``services.cells``) and derives every
    table from them in Arrow; releases the tables together for ``viewer`` (``release_cube``),
    with their ties declared (``likvard_core.analytics.movement.ties``), so no subtraction
    across the share, the matrix and the Sankey's links recovers a hidden figure.
    """
    reference = movement_reference()
    codes = sorted(m.code for m in organisations.region_municipalities(region=region))
    members = frozenset(codes)
    purpose = "movement.region"
    version = data_version_get()
    years = movement_choices(version=version)[0]
    year = filters.year if filters.year in years else (years[-1] if years else None)
    every_year = filters.scope(members, None)
    cells = area_cells(
        version=version, reference=reference, municipalities=codes, forms=every_year.school_forms
    )
    share = other_organizer_share_from_cells(cells, scope=every_year, data_version=version.label)
    tables = tables_from_cells(
        cells, scope=filters.scope(members, year), data_version=version.label
    )
    links = links_tied([tables.links(a, b) for a, b in itertools.pairwise(SANKEY_STAGES)])
    cube = {
        "share": share_by_home(share, region_code=region.code),
        "balance": tables.balance,
        "matrix": matrix_tied(tables.origin_destination),
        **{f"links{i}": link for i, link in enumerate(links)},
    }
    released = released_cube(
        cube,
        viewer=viewer,
        purpose=purpose,
        channel=channel,
        version=version,
        params={"region": region.code, "municipalities": codes, "filters": repr(filters),
                "year": year},
    )  # fmt: skip
    released_share, released_balance = released["share"], released["balance"]
    released_matrix = released["matrix"]
    released_links = [released[f"links{i}"] for i in range(len(links))]
    map_rows = _map_rows(released_share, released_balance, reference, codes, year)
    columns, matrix_rows = _matrix(released_matrix, reference, codes)
    svg, sankey_rows, hidden = _sankey(released_links, reference, year)
    return RegionReport(
        region=region,
        year=year,
        years=years,
        filters=filters,
        share=released_share,
        balance=released_balance,
        matrix=released_matrix,
        links=released_links,
        map_rows=map_rows,
        trend=[
            TrendRow(
                int(str(r["school_year"])),
                _int(r["n"]),
                _int(r["n_other"]),
                _float(r["share_other"]),
            )
            for r in released_share.rows()
            if r["home_municipality_code"] is None
        ],
        matrix_columns=columns,
        matrix_rows=matrix_rows,
        sankey_rows=sankey_rows,
        sankey_hidden=hidden,
        sankey=svg,
        map_chart=charts.region_map(
            names={r.code: r.name for r in map_rows},
            share={r.code: r.share for r in map_rows},
            net={r.code: r.net for r in map_rows},
            measure=filters.measure,
            selected=filters.municipality,
        ),
    )


def movement_export_tables(report: RegionReport) -> list[tuple[str, Released]]:
    """The region report's released tables with sheet titles, for XLSX and the CLI."""
    return [
        (_("Other organizer"), report.share),
        (_("Net flow"), report.balance),
        (_("Matrix"), report.matrix),
        *[
            (f"{titles[i]} – {titles[i + 1]}", links)
            for i, links in enumerate(report.links)
            for titles in (_stage_titles(),)
        ],
    ]


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the filters offer: school years with enrolments, admission years, programmes."""

    years: list[int]
    admission_years: list[int]
    programmes: list[tuple[str, str]]


def filter_choices() -> FilterChoices:
    """The years loaded in the current data version and the programmes of the reference data."""
    reference = movement_reference()
    years, admissions, codes = movement_choices(version=data_version_get())
    programmes = {code: reference.programme(code) for code in codes}
    return FilterChoices(years, admissions, sorted(programmes.items()))
