"""Student movement: every municipality's flows for all years, against a pandas reference.

``movement.all_flows`` computes the four national tables (flows, origin-destination,
other-organizer share, municipal balance) for all municipalities and all school years of the
snapshot with ``movement_tables``: one pass over the enrolment Parquet files, timed from the
files. ``movement.pandas_reference`` computes the same four tables with vectorised pandas,
also timed from the same Parquet files (``read_enrolments``: same columns, same school-form
filter), so neither side gets its load for free.

``movement.gr_page`` times the core work of the GR dependency-map page in the latest year the
way ``likvard.movement.services.region`` does it: read GR's cells kept for the data version
(``derived_table``), derive the shares over all years and the year's tables in Arrow,
suppress every table as the release gate does for a viewer without rights to the students,
build and draw the Sankey (Django's template rendering is not included).
``movement.gr_page_cold`` is the same with no kept tables: the national cells are computed
from the enrolments first (the first page after an import when nothing warmed the version).
``movement.all_flows_kept`` derives the four national tables from the cells kept for the data
version (``likvard.movement.services.cells``), as every request after the first does.

The lookups come from the synthetic country itself (``build_country`` with the data set's
seed and size): organizer 212000NNNN is the municipal organizer of municipality NNNN.
"""

from __future__ import annotations

import csv
import itertools
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa

from bench.harness import OUT_DIR, REFERENCE_DIR, best_of, national_files, national_root
from bench.reference.movement import movement_reference, read_enrolments
from likvard.movement.sankey import Link, collapse_stages, sankey_layout, sankey_svg
from likvard_core.analytics.movement.flows import FlowLevel
from likvard_core.analytics.movement.scope import Lookups, OrganizerInfo, Scope, UnitInfo
from likvard_core.analytics.movement.tables import (
    cells_in_scope,
    movement_cells,
    movement_tables,
    other_organizer_share_from_cells,
    tables_from_cells,
)
from likvard_core.disclosure.suppress import Thresholds, suppress
from likvard_core.synth.national_world import build_country
from likvard_core.warehouse.derived import derived_table, version_key
from likvard_core.warehouse.snapshot import Snapshot

THRESHOLDS = Thresholds(default=5, by_dim={"school_unit_code": 10})
STAGES = (FlowLevel.HOME, FlowLevel.ORGANIZER, FlowLevel.SCHOOL_UNIT, FlowLevel.PROGRAMME)


def national_lookups(scale: float, *, seed: int = 1, school_units: int = 6000) -> Lookups:
    """The organizer and school-unit lookups of the synthetic country at ``scale``."""
    units = max(8, round(school_units * min(scale * 10, 1.0)))
    country = build_country(
        seed=seed,
        municipalities=min(290, max(2, units // 4)),
        school_units=units,
        reference_dir=REFERENCE_DIR,
    )
    organizers: dict[str, OrganizerInfo] = {}
    unit_info: dict[str, UnitInfo] = {}
    for code, organizer, where in zip(
        country.school_codes, country.organizer_codes, country.school_municipality, strict=True
    ):
        municipality = str(country.municipality_codes[where])
        municipal = str(organizer).startswith("212000")
        organizers[str(organizer)] = OrganizerInfo(
            "kommunal" if municipal else "enskild", municipality if municipal else ""
        )
        unit_info[str(code)] = UnitInfo(municipality, str(organizer))
    return Lookups(organizers=organizers, school_units=unit_info)


def _gr_codes() -> frozenset[str]:
    with (REFERENCE_DIR / "regions.csv").open(encoding="utf-8") as handle:
        return frozenset(
            r["municipality_code"] for r in csv.DictReader(handle) if r["region_code"] == "GR"
        )


def _all_flows(snapshot: Snapshot, lookups: Lookups) -> int:
    tables = movement_tables(snapshot, lookups, Scope())
    return sum(
        a.table.num_rows
        for a in (tables.flows, tables.origin_destination, tables.other_organizer_share,
                  tables.balance)
    )  # fmt: skip


def _region_cells(root: Path, snapshot: Snapshot, lookups: Lookups) -> pa.Table:
    key = version_key(snapshot.version, ["bench"])
    members = sorted(_gr_codes())

    def national() -> pa.Table:
        cells = movement_cells(snapshot, lookups, Scope())
        return cells.sort_by(
            [("home_municipality_code", "ascending"), ("school_year", "ascending")]
        )

    def region() -> pa.Table:
        cells = derived_table(root, key, "movement_cells", {}, national)
        return cells_in_scope(cells, Scope.of(municipalities=members))

    return derived_table(root, key, "movement_area_cells", {"m": members}, region)


def _gr_page(root: Path, snapshot: Snapshot, lookups: Lookups, year: int) -> int:
    members = _gr_codes()
    cells = _region_cells(root, snapshot, lookups)
    share = other_organizer_share_from_cells(
        cells, scope=Scope.of(municipalities=members), data_version=snapshot.version
    )
    tables = tables_from_cells(
        cells, scope=Scope.of(municipalities=members, years=[year]), data_version=snapshot.version
    )
    shown = [share, tables.balance, tables.origin_destination]
    shown += [tables.links(a, b) for a, b in itertools.pairwise(STAGES)]
    released = [suppress(a, min_group=THRESHOLDS).table for a in shown]  # as release() does
    links: list[Link] = []
    for stage, table in enumerate(released[3:]):
        a, b = STAGES[stage].value, STAGES[stage + 1].value
        links.extend(
            Link(stage, str(s), str(t), int(n))
            for s, t, n in zip(table[a].to_pylist(), table[b].to_pylist(),
                               table["n"].to_pylist(), strict=True)
            if n is not None
        )  # fmt: skip
    links = collapse_stages(links, stages=len(STAGES), keep=12, other="all")
    layout = sankey_layout(links, stage_titles=["a", "b", "c", "d"], labels={})
    return len(sankey_svg(layout, title="t", description="d", element_id="s"))


def _kept_flows(root: Path, snapshot: Snapshot, lookups: Lookups) -> int:
    key = version_key(snapshot.version, ["bench"])
    cells = derived_table(
        root, key, "movement_cells", {}, lambda: movement_cells(snapshot, lookups, Scope())
    )
    tables = tables_from_cells(cells, scope=Scope(), data_version=snapshot.version)
    return sum(
        a.table.num_rows
        for a in (tables.flows, tables.origin_destination, tables.other_organizer_share,
                  tables.balance)
    )  # fmt: skip


def _cold_gr_page(root: Path, snapshot: Snapshot, lookups: Lookups, year: int) -> int:
    shutil.rmtree(root, ignore_errors=True)
    return _gr_page(root, snapshot, lookups, year)


def _lookup_frames(lookups: Lookups) -> tuple[pd.DataFrame, pd.DataFrame]:
    organizers = pd.DataFrame(
        [(c, i.organizer_type, i.municipality_code) for c, i in lookups.organizers.items()],
        columns=["organizer_code", "organizer_type", "organizer_municipality"],
    )
    units = pd.DataFrame(
        [(c, i.municipality_code) for c, i in lookups.school_units.items()],
        columns=["school_unit_code", "school_municipality_code"],
    )
    return organizers, units


def _pandas(paths: list[Path], lookups: Lookups) -> dict[str, pd.DataFrame]:
    organizers, units = _lookup_frames(lookups)
    return movement_reference(read_enrolments(paths), organizers, units)


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """Seconds for all municipalities' flows (ten years), the pandas reference, the GR page."""
    lookups = national_lookups(scale)
    seconds, result_rows = best_of(lambda: _all_flows(snapshot, lookups), repeat=3)
    root = national_root(scale, out_dir=out_dir or OUT_DIR)
    paths = [root / p for p in national_files(root)["enrolments"]]
    pandas_seconds, reference = best_of(lambda: _pandas(paths, lookups), repeat=1, warmup=False)
    assert isinstance(reference, dict)  # best_of returns the result as object
    flows_n = movement_tables(snapshot, lookups, Scope()).flows.table.column("n")
    if int(reference["flows"]["n"].sum()) != int(flows_n.to_numpy().sum()):
        raise RuntimeError("the analytics function and the pandas reference disagree on totals")
    year = int(snapshot.query("SELECT max(school_year) AS y FROM enrolments")["y"][0].as_py())
    rows = int(flows_n.to_numpy().sum())
    with tempfile.TemporaryDirectory(prefix="movement-derived-") as temporary:
        kept = Path(temporary)
        cold_seconds, _size = best_of(
            lambda: _cold_gr_page(kept, snapshot, lookups, year), repeat=2
        )
        page_seconds, _size = best_of(lambda: _gr_page(kept, snapshot, lookups, year), repeat=5)
        kept_seconds, _rows = best_of(lambda: _kept_flows(kept, snapshot, lookups), repeat=3)
    return [
        {"name": "movement.all_flows", "seconds": seconds, "rows": rows,
         "pandas": "movement.pandas_reference", "result_rows": result_rows},
        {"name": "movement.all_flows_kept", "seconds": kept_seconds, "rows": rows,
         "pandas": "movement.pandas_reference"},
        {"name": "movement.pandas_reference", "seconds": pandas_seconds, "rows": rows},
        {"name": "movement.gr_page", "seconds": page_seconds, "rows": rows},
        {"name": "movement.gr_page_cold", "seconds": cold_seconds, "rows": rows},
    ]  # fmt: skip


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""


def targets(results: list[dict[str, object]]) -> list[tuple[str, bool, str]]:
    """The issue's targets on this run: flows < 5 s and 10x pandas, the GR page < 300 ms."""
    by_name = {str(r["name"]): r for r in results}
    checks: list[tuple[str, bool, str]] = []
    flows = by_name.get("movement.all_flows")
    if flows is not None:
        seconds = float(flows["seconds"])  # type: ignore[arg-type]
        checks.append(("movement: all flows, ten years < 5 s", seconds < 5, f"{seconds:.2f} s"))
        if "ratio_pandas" in flows:
            ratio = float(flows["ratio_pandas"])  # type: ignore[arg-type]
            checks.append(("movement: all flows >= 10x pandas", ratio >= 10, f"{ratio:.1f}x"))
    for name in ("movement.gr_page", "movement.gr_page_cold"):
        if name in by_name:
            page = float(by_name[name]["seconds"])  # type: ignore[arg-type]
            checks.append((f"{name} < 300 ms", page < 0.3, f"{page * 1000:.0f} ms"))
    return checks
