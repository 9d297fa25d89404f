"""A region's whole release for one data version at national scale: quality, completion,
movement, incidents and komvux decided as the app decides them, and the auditor over it.

``bench/disclosure.py`` measures equity's unit cubes; this module measures the other analyses
of one region (its municipalities from the reference data; its school units those the
synthetic country places there, as the register places them in the app) on the generated
national data set (every municipality), with the core's own functions and no database:

- ``quality``: the levels cube of each warehouse indicator of the catalogue in one school year
  (the region's units, their organizers, its municipalities, the region, the nation:
  ``levels_cube`` over ``indicator_values``' long rows, as ``basis_levels`` does), one joint
  decision per indicator;
- ``completion``: each start year's totals and breakdowns as one cube (as
  ``year_cube_aggregates``), the starters living in the region, one decision per start year;
- ``movement``: the region page's tables in the latest year (other-organizer share over every
  year, balance, origin-destination matrix, the Sankey's links) as one cube, and each member
  municipality's page (balance, organizers, origins) as one cube, as the pages do;
- ``incidents``: each school year's follow-up cube of the units located in the region (per
  organizer and kind, per unit in the latest year), as ``incident_region_report``;
- ``komvux``: each measure family's whole release of the region (``komvux_cube``: the region
  page's six breakdowns and every municipal organizer's page's, over every year), as
  ``services._region_tables``, the starts those the region's municipalities organize and
  each municipality's organizer its own municipal one in the synthetic register; each table
  described as ``komvux_audit_tables`` and ``gather._komvux`` give it to the auditor (an
  organizer page's municipality as a constant, the keys of the rows without an ended start,
  whose outcomes are no cell, ``unended_rows``; each start grouped into its course by the
  pages' names, ``courses_of_starts``).

Komvux was left out at first because the auditor found a total of shown figures that does
not add up in this module's description of it. That description was not kept; the one this
module could give then that fails so is enrolment's outcomes declared no cell in every row
(its only way then, made for completion's unobservable paths): the parts tie of a shown row
with ended starts becomes ``enrolled`` = ``not_reported``, which fails (GR at scale 1: "a parts
of shown figures fails by -110"). Declared row by row as the app does, the auditor finds every
tie of shown figures consistent (0 conflicts) in both regions; without the rows (outcomes of
unended starts as hidden cells) it pins 60 of them in Skaraborg, as it did on the demo before
``unended_rows``.

Each cube goes through ``suppress_cube`` with the default thresholds of ``thresholds_for``
(10 for a cell of a school unit, 5 for larger areas) and no known cell (a viewer who owns no
figure: the class the cached pages serve). Before any time is written the release is checked
(every row kept, shown counts true, no count under its minimum shown, hidden rows without
figures). Then, per analysis, the independent auditor (``likvard_core.audit``) bounds every
hidden cell of all the analysis's released tables together, with the tables described by
the auditor's own catalogue (``likvard.audit.catalogue.DEFINITIONS``; it and komvux's names
of its starts are why Django is configured here) and the register's hierarchy; it must see
the hidden cells, find none exposed and no cell shown with two values. CPU (``resource``,
user + system of this process) is given beside wall time.

``python -m bench.disclosure_release --scale 1 --region GR --analysis quality ...``; results
are JSON lines on stdout and in ``bench/out/disclosure-release-<region>-<scale>/``.
``--starts 2020`` (or ``2017-2025``) picks completion's start years, ``--homes N`` the
starters of the region's first N municipalities only (a smaller cube of the same shape),
``--decide-only`` times the decisions without the audit (so no figure of it has been
audited), ``--stop-at HH:MM`` (UTC) starts no cube after that time, ``--profile FILE`` writes
a sampling profile.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the gate's decisions depend on it

import argparse
import csv
import itertools
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from bench.disclosure import _sampler
from bench.harness import OUT_DIR, REFERENCE_DIR, load_average, national_root, national_snapshot
from bench.movement import national_lookups
from likvard_core.analytics.completion.cohort import (
    PATH_COLUMNS,
    completion_breakdowns,
    completion_totals,
    last_year,
    paths_observable,
    starter_cells,
)
from likvard_core.analytics.incidents.followup import (
    DEFAULT_WITHIN_DAYS,
    followup_cubes,
    incident_cells,
)
from likvard_core.analytics.komvux.measures import (
    MEASURES,
    REGION_KEY,
    komvux_cube,
    start_cells,
    unended_rows,
)
from likvard_core.analytics.movement.flows import FlowLevel
from likvard_core.analytics.movement.kept import national_movement_cells
from likvard_core.analytics.movement.scope import Lookups, Scope
from likvard_core.analytics.movement.tables import (
    cells_in_scope,
    other_organizer_share_from_cells,
    tables_from_cells,
)
from likvard_core.analytics.movement.ties import link_tied, links_tied, matrix_tied, share_by_home
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.catalogue_model import DataSource
from likvard_core.analytics.quality.indicator_sql import WAREHOUSE_INDICATORS
from likvard_core.analytics.quality.indicators import indicator_values
from likvard_core.analytics.quality.levels_cube import levels_cube
from likvard_core.audit.audit import AuditResult, audit
from likvard_core.audit.model import (
    Grouping,
    Hierarchy,
    NotApplicable,
    Reference,
    ReleasedTable,
)
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.disclosure.suppress import (
    STATUS_COLUMN,
    SuppressedTable,
    Thresholds,
    suppress_cube,
)
from likvard_core.terms import ValueStatus
from likvard_core.warehouse.derived import derived_table, version_key
from likvard_core.warehouse.snapshot import Snapshot

THRESHOLDS = Thresholds(default=5, by_dim={"school_unit_code": 10})
"""``thresholds_for``'s default: Skolverket's 10 for a school unit's cell, 5 for larger areas
(``LIKVARD_MIN_GROUP_SCHOOL_UNIT``, ``LIKVARD_MIN_GROUP_AREA``; no region raises them)."""
ANALYSES = ("quality", "completion", "movement", "incidents", "komvux")
REGIONS = ("GR", "SKARABORG")
SANKEY_STAGES = (FlowLevel.HOME, FlowLevel.ORGANIZER, FlowLevel.SCHOOL_UNIT, FlowLevel.PROGRAMME)


@dataclass(slots=True)
class Described:
    """How the auditor reads one released table: its catalogue kind, family and extras."""

    kind: str
    family: str
    constants: Mapping[str, object] = field(default_factory=dict)
    not_applicable: tuple[str, ...] = ()
    """Count columns that are no cell in every row of this table (paths not yet observable)."""
    unended: frozenset[tuple[object, ...]] = frozenset()
    """The keys of the rows whose ``conditional`` parts are no cell (a komvux row none of
    whose starts has ended: ``unended_rows``), as ``komvux_audit_tables`` gives them."""
    groupings: Mapping[str, Grouping] = field(default_factory=dict)


@dataclass(slots=True)
class Cube:
    """One joint decision of the app: its tables and how the auditor reads each."""

    analysis: str
    name: str
    aggregates: dict[str, Aggregate]
    described: dict[str, Described]


@dataclass(slots=True)
class Region:
    """A region of the synthetic country: its municipalities and the register around it."""

    code: str
    members: list[str]
    unit_municipalities: dict[str, str]
    lookups: Lookups

    @property
    def units(self) -> list[str]:
        wanted = set(self.members)
        return sorted(u for u, m in self.unit_municipalities.items() if m in wanted)

    def hierarchy(self) -> Hierarchy:
        """The register's levels as the auditor reads them (every unit of the country)."""
        return Hierarchy(
            unit_organizer={c: i.organizer_code for c, i in self.lookups.school_units.items()},
            unit_municipality=dict(self.unit_municipalities),
            municipality_region=dict.fromkeys(self.members, self.code),
        )


def region_of(code: str, scale: float) -> Region:
    """``code``'s municipalities (reference data) and the country's units and organizers."""
    with (REFERENCE_DIR / "regions.csv").open(encoding="utf-8") as handle:
        members = sorted(
            r["municipality_code"] for r in csv.DictReader(handle) if r["region_code"] == code
        )
    lookups = national_lookups(scale)
    units = {c: i.municipality_code for c, i in lookups.school_units.items()}
    return Region(code, members, units, lookups)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Kept:
    """The national inputs (indicator values, starters' cells, movement cells), computed once
    per data version and kept in ``bench/out`` as derived tables."""

    def __init__(self, snapshot: Snapshot, root: Path) -> None:
        self.snapshot = snapshot
        self.root = root
        self.key = version_key(snapshot.version, [str(root)])

    def get(
        self, name: str, params: Mapping[str, object], compute: Callable[[], pa.Table]
    ) -> pa.Table:
        return derived_table(self.root, self.key, name, params, compute)


def quality_cubes(kept: _Kept, region: Region, year: int | None) -> Iterator[Cube]:
    """The levels cube of every warehouse indicator of the shipped catalogue in ``year``
    (default: the latest year with final grades) for the region."""
    if year is None:
        found = kept.snapshot.query("SELECT max(school_year) AS y FROM final_grades")
        year = int(found.column("y")[0].as_py())
    wanted = {i.code for i in load_catalogue().indicators if i.data_source is DataSource.WAREHOUSE}
    indicators = [c for c in WAREHOUSE_INDICATORS if c in wanted]
    places = region.unit_municipalities
    long = kept.get(
        "bench_quality_long",
        {"year": year, "placement": len(places)},
        lambda: indicator_values(kept.snapshot, years=[year], school_municipalities=places).long,
    )
    for code in indicators:
        aggregate = levels_cube(
            long, indicator=code, region_code=region.code, members=region.members,
            unit_municipalities=places, version=kept.snapshot.version, year=year,
        )  # fmt: skip
        if aggregate.table.num_rows:
            yield Cube(
                "quality", f"{year}/{code}", {"levels": aggregate},
                {"levels": Described("quality.levels", "quality")},
            )  # fmt: skip


def completion_cubes(
    kept: _Kept,
    region: Region,
    starts: tuple[int, int] | None = None,
    homes: int | None = None,
) -> Iterator[Cube]:
    """Each start year's totals and breakdowns of the starters living in the region (those
    from ``starts[0]`` to ``starts[1]``, when given: start years share no students, so the
    years are separate populations, decided and audited apart without losing a tie).

    ``homes`` keeps the starters living in the region's first ``homes`` municipalities (by
    code): a smaller population of the same shape, to measure how the cost grows with the
    cube when the region's whole cube does not fit in the time (not a slice of its
    decision: a cube of its own)."""
    cells = kept.get(
        "bench_completion_starters",
        {"units": len(region.unit_municipalities)},
        lambda: starter_cells(kept.snapshot, unit_municipalities=region.unit_municipalities),
    )
    living = region.members if homes is None else region.members[:homes]
    cells = cells.filter(pc.is_in(cells.column("home_municipality_code"), pa.array(living)))
    last = last_year(kept.snapshot)
    scope = f"region:{region.code}"
    for start in sorted({int(y) for y in pc.unique(cells.column("start_year")).to_pylist()}):
        if starts is not None and not starts[0] <= start <= starts[1]:
            continue
        of_year = cells.filter(pc.equal(cells.column("start_year"), start))
        where = f"{scope}/start:{start}"
        aggregates = {
            "totals": completion_totals(of_year, data_version=kept.snapshot.version, scope=where),
            **completion_breakdowns(of_year, data_version=kept.snapshot.version, scope=where),
        }
        unobserved = () if paths_observable(start, last) else PATH_COLUMNS
        described = {
            name: Described(
                "completion.totals" if name == "totals" else "completion.breakdown",
                "completion",
                not_applicable=unobserved,
            )
            for name in aggregates
        }
        yield Cube("completion", f"start {start}", aggregates, described)


def komvux_owners(region: Region) -> dict[str, str]:
    """Each member municipality's own organizer (``services._organizers``: the organizer of
    the municipality that runs a school unit in it), from the synthetic register."""
    owners: dict[str, str] = {}
    members = set(region.members)
    for unit in sorted(region.lookups.school_units.values(), key=lambda u: u.organizer_code):
        info = region.lookups.organizers[unit.organizer_code]
        if unit.municipality_code in members and info.municipality_code == unit.municipality_code:
            owners[unit.municipality_code] = unit.organizer_code
    return owners


def komvux_cubes(kept: _Kept, region: Region) -> Iterator[Cube]:
    """Each measure's whole release of the region (``komvux_cube``: the region page's tables
    and every municipal organizer's page's), as ``services._region_tables``; each table
    described as ``komvux_audit_tables`` and ``gather._komvux`` give it to the auditor (an
    organizer page's municipality as a constant, the rows without an ended start, each start
    grouped into its course by the pages' names)."""
    owners = komvux_owners(region)
    cells = start_cells(kept.snapshot, municipalities=region.members)
    yield from komvux_release(
        cells, data_version=kept.snapshot.version, region_code=region.code, owners=owners
    )


def komvux_release(
    cells: pa.Table, *, data_version: str, region_code: str, owners: Mapping[str, str]
) -> Iterator[Cube]:
    """``komvux_cubes`` of the starts ``cells`` of a region whose municipalities' organizers
    are ``owners`` (municipality code to organisation number)."""
    from likvard.analyses.komvux.services import _names  # noqa: PLC0415 (Django set up)
    from likvard.audit.gather import courses_of_starts  # noqa: PLC0415

    starts = {"start_key": Grouping("course_code", courses_of_starts(_names(cells, [])))}
    municipality_of = {organizer: m for m, organizer in owners.items()}
    for measure in MEASURES:
        cube = komvux_cube(
            cells, measure=measure, data_version=data_version, scope=f"region:{region_code}",
            organizers=owners,
        )  # fmt: skip
        described = {}
        for key, aggregate in cube.items():
            page, by = key.split("/", 1)
            described[key] = Described(
                f"komvux.{measure}",
                f"komvux.{measure}",
                constants={}
                if page == REGION_KEY
                else {"municipality_code": municipality_of[page]},
                unended=unended_rows(aggregate),
                groupings=starts if by == "start_key" else {},
            )
        yield Cube("komvux", measure, dict(cube), described)


def incident_cubes(kept: _Kept, region: Region) -> Iterator[Cube]:
    """Each school year's incident follow-up of the units located in the region (per
    organizer and kind; per unit in the latest year), as ``incident_region_report``."""
    units = {code: region.lookups.school_units[code].organizer_code for code in region.units}
    cases, students = incident_cells(
        kept.snapshot, unit_organizers=units, within_days=DEFAULT_WITHIN_DAYS
    )
    years = sorted({int(y) for y in cases.column("school_year").to_pylist()})
    cubes = followup_cubes(
        (cases, students),
        data_version=kept.snapshot.version,
        scope=f"region:{region.code}/within:{DEFAULT_WITHIN_DAYS}",
        unit_year=years[-1] if years else None,
    )
    for year, aggregates in sorted(cubes.items()):
        described = {n: Described("incidents.followup", "incidents") for n in aggregates}
        yield Cube("incidents", f"year {year}", dict(aggregates), described)


def movement_cubes(kept: _Kept, region: Region) -> Iterator[Cube]:
    """The region page's tables in the latest year, then each member municipality's page."""
    every = Scope.of(municipalities=region.members)
    national = kept.get(
        "bench_movement_cells",
        {"forms": list(every.school_forms), "units": len(region.lookups.school_units)},
        lambda: national_movement_cells(kept.snapshot, region.lookups, forms=every.school_forms),
    )
    cells = cells_in_scope(national, every)
    year = int(pc.max(national.column("school_year")).as_py())
    version = kept.snapshot.version
    share = other_organizer_share_from_cells(cells, scope=every, data_version=version)
    members = frozenset(region.members)
    tables = tables_from_cells(
        cells, scope=Scope.of(municipalities=members, years=[year]), data_version=version
    )
    links = links_tied([tables.links(a, b) for a, b in itertools.pairwise(SANKEY_STAGES)])
    yield Cube(
        "movement",
        f"region {year}",
        {
            "share": share_by_home(share, region_code=region.code),
            "balance": tables.balance,
            "matrix": matrix_tied(tables.origin_destination),
            **{f"links{i}": link for i, link in enumerate(links)},
        },
        {
            "share": Described("movement.share", "movement.share"),
            "balance": Described("movement.balance", "movement.balance"),
            "matrix": Described("movement.flows", "movement.matrix"),
            **{
                f"links{i}": Described("movement.flows", "movement.flows")
                for i in range(len(links))
            },
        },
    )
    for code in region.members:
        scope = Scope.of(municipalities=frozenset({code}), years=[year])
        own = cells_in_scope(national, Scope.of(municipalities=[code]))
        page = tables_from_cells(own, scope=scope, data_version=version)
        yield Cube(
            "movement",
            f"municipality {code} {year}",
            {
                "balance": page.balance,
                "organizers": link_tied(page.links(FlowLevel.HOME, FlowLevel.ORGANIZER)),
                "origins": matrix_tied(page.origin_destination),
            },
            {
                "balance": Described("movement.balance", "movement.balance"),
                "organizers": Described("movement.flows", f"movement.flows@{code}"),
                "origins": Described("movement.flows", f"movement.matrix@{code}"),
            },
        )


def check_release(
    aggregates: Mapping[str, Aggregate], released: Mapping[str, SuppressedTable]
) -> None:
    """What the gate promises, checked before any time of it is written: every row kept in
    order, shown rows with their true counts, hidden rows without a count or any part, and no
    shown count between 0 and its minimum group (10 in a row of a school unit, else 5)."""
    unit_floor = THRESHOLDS.by_dim["school_unit_code"]
    for name, aggregate in aggregates.items():
        table = released[name].table
        if table.num_rows != aggregate.table.num_rows:
            raise RuntimeError(
                f"{name}: {table.num_rows} rows released of {aggregate.table.num_rows}"
            )
        truth = aggregate.table.column(aggregate.count).to_pylist()
        shown = table.column(aggregate.count).to_pylist()
        statuses = table.column(STATUS_COLUMN).to_pylist()
        units = (
            table.column("school_unit_code").to_pylist()
            if "school_unit_code" in aggregate.dims
            else [None] * table.num_rows
        )
        parts = [table.column(p).to_pylist() for p in aggregate.parts if p in table.schema.names]
        for index, (true, seen, status, unit) in enumerate(
            zip(truth, shown, statuses, units, strict=True)
        ):
            if status == ValueStatus.EXISTS.value:
                floor = unit_floor if unit is not None else THRESHOLDS.default
                if seen != true:
                    raise RuntimeError(f"{name}: a shown count {seen} is not the true {true}")
                if 0 < int(true) < floor:
                    raise RuntimeError(f"{name}: a count of {true} is shown (minimum {floor})")
            elif seen is not None or any(column[index] is not None for column in parts):
                raise RuntimeError(f"{name}: a hidden row keeps a figure")


def _definitions() -> Mapping[str, Any]:
    """The auditor's catalogue of table definitions (it imports the release gate's module,
    which needs Django's settings: configured here, no database is touched)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "likvard.settings.dev")
    import django  # noqa: PLC0415

    django.setup()
    from likvard.audit.catalogue import DEFINITIONS  # noqa: PLC0415

    return DEFINITIONS


def described_table(
    cube: Cube, name: str, table: pa.Table, definitions: Mapping[str, Any]
) -> ReleasedTable:
    """A released table as the auditor describes it (``catalogue.released_table``'s rules)."""
    aggregate, how = cube.aggregates[name], cube.described[name]
    definition = definitions[how.kind]
    counts = tuple(c for c in definition.counts if c in table.schema.names)
    rows = table.to_pylist()
    absent = tuple(c for c in how.not_applicable if c in counts)
    for row in rows:  # released empty, as the pages do (``release.released_not_applicable``)
        row.update(dict.fromkeys(c for c in how.not_applicable if c in row))
    keys = frozenset(tuple(r.get(d) for d in aggregate.dims) for r in rows)
    return ReleasedTable(
        analysis=cube.analysis,
        name=f"{cube.name}/{name}",
        family=how.family,
        dims=aggregate.dims,
        counts=counts,
        rows=rows,
        min_group=THRESHOLDS.default,
        min_group_where=dict(THRESHOLDS.by_dim),
        totals=definition.totals,
        span=definition.span,
        parts={k: v for k, v in definition.parts.items() if {k, *v} <= set(counts)},
        within={k: v for k, v in definition.within.items() if {k, *v} <= set(counts)},
        references=tuple(
            Reference(r.column, r.numerator, r.over, r.precision, False)
            for r in definition.references
            if r.column in table.schema.names
        ),
        constants=dict(how.constants),
        aliases=definition.aliases,
        balances=definition.balances,
        unbounded=definition.unbounded,
        reconciles=definition.reconciles,
        not_applicable=NotApplicable(absent, keys)
        if absent
        else NotApplicable(definition.conditional, how.unended)
        if definition.conditional and how.unended
        else None,
        groupings=dict(how.groupings),
    )


@dataclass(slots=True)
class _Decided:
    """One analysis's decisions so far: the released tables as the auditor reads them."""

    tables: list[ReleasedTable] = field(default_factory=list)
    cubes: int = 0
    rows: int = 0
    hidden_rows: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    building_cpu: float = 0.0
    building_wall: float = 0.0
    complete: bool = True


def _decide(
    cubes: Iterator[Cube],
    *,
    label: str,
    stop_at: float | None,
    definitions: Mapping[str, Any],
    log: Callable[[str], None],
    emit: Callable[[dict[str, object]], None],
) -> _Decided:
    """Decide every cube of ``cubes`` as the gate does, each checked and timed."""
    done = _Decided()
    while True:
        started_cpu, started = _cpu(), time.perf_counter()
        cube = next(cubes, None)  # building the cube (and the inputs, the first time)
        done.building_cpu += _cpu() - started_cpu
        done.building_wall += time.perf_counter() - started
        if cube is None:
            return done
        if stop_at is not None and time.time() > stop_at:
            done.complete = False
            log(f"{label}: stopped before {cube.name} (time limit)")
            return done
        rows = sum(a.table.num_rows for a in cube.aggregates.values())
        started_cpu, started = _cpu(), time.perf_counter()
        released = suppress_cube(cube.aggregates, min_group=THRESHOLDS)
        seconds, cpu = time.perf_counter() - started, _cpu() - started_cpu
        check_release(cube.aggregates, released)
        hidden = sum(r.hidden_rows for r in released.values())
        done.cubes += 1
        done.rows += rows
        done.hidden_rows += hidden
        done.cpu += cpu
        done.wall += seconds
        emit({"name": f"disclosure_release.decision.{label}", "cube": cube.name, "rows": rows,
              "hidden_rows": hidden, "seconds": seconds, "cpu_seconds": cpu,
              "load": load_average()})  # fmt: skip
        log(f"{label} {cube.name}: {rows} rows, {hidden} hidden, CPU {cpu:.1f} s / wall "
            f"{seconds:.1f} s, load {load_average():.1f}")  # fmt: skip
        done.tables += [described_table(cube, n, released[n].table, definitions) for n in released]


def _audited(
    done: _Decided, hierarchy: Hierarchy, *, label: str, findings: Path
) -> dict[str, object]:
    """The auditor over ``done``'s tables; ``problem`` says why no figure may be written
    (the exposed cells go to ``findings``)."""
    started_cpu, started = _cpu(), time.perf_counter()
    result: AuditResult = audit(done.tables, hierarchy)
    seconds, cpu = time.perf_counter() - started, _cpu() - started_cpu
    cells = sum(s.hidden for s in result.summaries)
    problem = ""
    if done.hidden_rows and not cells:
        problem = "the auditor saw no hidden cell of a release with hidden rows"
    if result.conflicts:
        problem = f"{result.conflicts} cells are shown with two values"
    if result.exposed:
        problem = f"the auditor found {result.exposed} exposed cells"
        findings.write_text("\n".join(f.describe() for f in result.findings) + "\n", "utf-8")
    return {"name": f"disclosure_release.{label}", "cubes": done.cubes, "rows": done.rows,
            "hidden_rows": done.hidden_rows, "decision_cpu": done.cpu,
            "decision_wall": done.wall, "building_cpu": done.building_cpu,
            "building_wall": done.building_wall, "audit_cpu": cpu, "audit_wall": seconds,
            "released_cells": sum(s.released for s in result.summaries), "hidden_cells": cells,
            "exposed": result.exposed, "conflicts": result.conflicts,
            "ties": dict(result.ties), "load": load_average(),
            "complete": done.complete, "problem": problem}  # fmt: skip


def run_region(
    snapshot: Snapshot,
    scale: float,
    code: str,
    analyses: Sequence[str],
    *,
    out_dir: Path,
    year: int | None,
    starts: tuple[int, int] | None,
    homes: int | None,
    stop_at: float | None,
    audited: bool = True,
    log: Callable[[str], None],
    emit: Callable[[dict[str, object]], None],
) -> bool:
    """Decide and audit ``analyses`` of region ``code``; False when a check failed or the
    auditor found an exposed cell (its findings are written beside the results)."""
    national_root(scale, out_dir=out_dir)
    keep = out_dir / f"disclosure-release-{code}-{scale:g}"
    keep.mkdir(parents=True, exist_ok=True)
    kept = _Kept(snapshot, out_dir / f"disclosure-release-inputs-{scale:g}")
    region = region_of(code, scale)
    definitions = _definitions()
    hierarchy = region.hierarchy()
    log(f"{code}: {len(region.members)} municipalities, {len(region.units)} school units")
    makers: dict[str, Callable[[], Iterator[Cube]]] = {
        "quality": lambda: quality_cubes(kept, region, year),
        "completion": lambda: completion_cubes(kept, region, starts, homes),
        "movement": lambda: movement_cubes(kept, region),
        "incidents": lambda: incident_cubes(kept, region),
        "komvux": lambda: komvux_cubes(kept, region),
    }
    passed = True
    for analysis in analyses:
        label = f"{code}.{analysis}"
        done = _decide(
            makers[analysis](), label=label, stop_at=stop_at, definitions=definitions, log=log,
            emit=emit,
        )  # fmt: skip
        if not audited:  # the decisions' cost alone: no figure of it is the auditor's
            emit({"name": f"disclosure_release.{label}", "cubes": done.cubes, "rows": done.rows,
                  "hidden_rows": done.hidden_rows, "decision_cpu": done.cpu,
                  "decision_wall": done.wall, "complete": done.complete, "audited": False,
                  "load": load_average()})  # fmt: skip
            continue
        log(f"{label}: {done.cubes} cubes, {done.rows} rows, auditing ...")
        summary = _audited(done, hierarchy, label=label, findings=keep / f"findings-{analysis}.txt")
        emit({**summary, "scale": scale})
        log(f"{label}: audit CPU {summary['audit_cpu']:.1f} s / wall "
            f"{summary['audit_wall']:.1f} s, {summary['released_cells']} released / "
            f"{summary['hidden_cells']} hidden cells, {summary['exposed']} exposed, load "
            f"{load_average():.1f} {summary['problem']}")  # fmt: skip
        passed = passed and not summary["problem"]
    return passed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.disclosure_release --scale 1 --region GR [--analysis quality ...]
    [--year 2025] [--stop-at HH:MM]`` (UTC: no new cube is started after it)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--region", action="append", choices=REGIONS)
    parser.add_argument("--analysis", action="append", choices=ANALYSES)
    parser.add_argument("--year", type=int, help="quality's school year (default: the latest)")
    parser.add_argument("--starts", help="completion's start years FIRST-LAST (default: all)")
    parser.add_argument(
        "--homes", type=int, help="completion: the starters of the first N municipalities only"
    )
    parser.add_argument(
        "--decide-only", action="store_true", help="time the decisions, audit nothing"
    )
    parser.add_argument("--profile", type=Path, help="write a sampling profile here")
    parser.add_argument("--stop-at", help="UTC HH:MM after which no new cube is decided")
    args = parser.parse_args(argv)
    stop_at = None
    if args.stop_at:
        hours, minutes = (int(p) for p in args.stop_at.split(":"))
        now = time.gmtime()
        ahead = (hours * 60 + minutes) - (now.tm_hour * 60 + now.tm_min)
        if ahead < -12 * 60:  # past midnight
            ahead += 24 * 60
        stop_at = time.time() + ahead * 60 - now.tm_sec

    def log(line: str) -> None:
        stamp = time.strftime("%H:%M:%S", time.gmtime())
        print(f"[{stamp} UTC] {line}", file=sys.stderr, flush=True)

    starts = None
    if args.starts:
        first, _, last = args.starts.partition("-")
        starts = (int(first), int(last or first))
    passed = True
    finish = _sampler(args.profile) if args.profile else None
    scope = {"homes": args.homes, "starts": args.starts, "scale": args.scale}
    try:
        with national_snapshot(args.scale, out_dir=args.out_dir) as snapshot:
            for code in args.region or REGIONS:
                path = args.out_dir / f"disclosure-release-{code}-{args.scale:g}" / "results.jsonl"
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as out:

                    def emit(result: dict[str, object], out: Any = out) -> None:
                        line = json.dumps({**result, **scope})
                        print(line, flush=True)
                        out.write(line + "\n")
                        out.flush()

                    passed = run_region(
                        snapshot, args.scale, code, args.analysis or ANALYSES,
                        out_dir=args.out_dir, year=args.year, starts=starts, homes=args.homes,
                        stop_at=stop_at, audited=not args.decide_only, log=log, emit=emit,
                    ) and passed  # fmt: skip
    finally:
        if finish is not None:
            finish()
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
