"""Student movement: every municipality's flows for all years, against a pandas reference.

``movement.all_flows`` computes the four national tables (flows, origin-destination,
other-organizer share, municipal balance) for all municipalities and all school years of the
snapshot with ``movement_tables``: one pass over the enrolment Parquet files, timed from the
files. Its baselines, timed alike (one warm-up, best of three) and checked equal to it in
full (every figure of the four tables, totals left out as they are margins) before any ratio
is written: ``movement.pandas_reference`` (vectorised pandas from the same Parquet files,
``read_enrolments``: same columns, same school-form filter), ``movement.duckdb_sql`` (the
same four tables as plain SQL an analyst would write over the same files) and
``movement.bare_scan`` (DuckDB reading exactly those rows and columns once).

``movement.gr_page`` times the core work of the GR dependency-map page in the latest year the
way ``likvard.analyses.movement.services.region`` does it: read GR's cells kept for the data version
(``derived_table``), derive the shares over all years and the year's tables in Arrow,
suppress every table as the release gate does for a viewer without rights to the students,
build and draw the Sankey (Django's template rendering is not included).
``movement.gr_page_cold`` is the same with no kept tables: the national cells are computed
from the enrolments first (the first page after an import when nothing warmed the version).
``movement.all_flows_kept`` derives the four national tables from the cells kept for the data
version (``likvard.analyses.movement.services.cells``), as every request after the first does; as a
figure from kept cells it is not given as a ratio to a computation from the raw files.

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

from bench.harness import (
    OUT_DIR,
    REFERENCE_DIR,
    Engine,
    best_of,
    canonical_frame,
    compare,
    national_files,
    national_root,
    raw_connection,
)
from bench.reference.movement import COLUMNS, movement_reference, read_enrolments
from likvard.analyses.movement.sankey import Link, collapse_stages, sankey_layout, sankey_svg
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


ANALYST_SQL = """
CREATE OR REPLACE TEMP TABLE base AS
SELECT e.school_year, e.home_municipality_code, e.organizer_code,
       coalesce(o.organizer_type, '') AS organizer_type, e.school_unit_code,
       coalesce(u.school_municipality_code, '') AS school_municipality_code,
       coalesce(e.programme_code, '') AS programme_code,
       coalesce(o.organizer_municipality, '') AS organizer_municipality,
       NOT (coalesce(o.organizer_type, '') = 'kommunal'
            AND coalesce(o.organizer_municipality, '') = e.home_municipality_code)
           AS other_organizer
FROM (
    SELECT * FROM read_parquet($files)
    WHERE school_form IN ('gymnasieskola', 'anpassad_gymnasieskola')
    QUALIFY row_number() OVER (PARTITION BY school_year, student_key
                               ORDER BY school_unit_code) = 1
) e
LEFT JOIN organizers o USING (organizer_code)
LEFT JOIN units u USING (school_unit_code);
"""
"""The students of each year once, with their organizer's type and municipality (by hand)."""

ANALYST_TABLES = {
    "flows": "SELECT school_year, home_municipality_code, organizer_code, organizer_type, "
    "school_unit_code, school_municipality_code, programme_code, count(*) AS n FROM base "
    "GROUP BY ALL",
    "od": "SELECT school_year, home_municipality_code, school_municipality_code, count(*) AS n "
    "FROM base GROUP BY ALL",
    "share": "SELECT school_year, home_municipality_code, count(*) AS n, "
    "count_if(other_organizer) AS n_other FROM base GROUP BY ALL",
    "balance": """
        WITH outgoing AS (
            SELECT school_year, home_municipality_code, programme_code,
                   count(*) AS residents, count_if(other_organizer) AS outgoing
            FROM base GROUP BY ALL
        ), incoming AS (
            SELECT school_year, organizer_municipality AS home_municipality_code,
                   programme_code, count(*) AS incoming
            FROM base
            WHERE organizer_type = 'kommunal'
              AND organizer_municipality <> home_municipality_code
            GROUP BY ALL
        )
        SELECT school_year, home_municipality_code, programme_code,
               coalesce(residents, 0) AS residents, coalesce(outgoing, 0) AS outgoing,
               coalesce(incoming, 0) AS incoming,
               coalesce(incoming, 0) - coalesce(outgoing, 0) AS net
        FROM outgoing FULL OUTER JOIN incoming
             USING (school_year, home_municipality_code, programme_code)
    """,
}
"""The four tables as plain SQL over ``base``."""

_KEYS = {
    "flows": ["school_year", "home_municipality_code", "organizer_code", "organizer_type",
              "school_unit_code", "school_municipality_code", "programme_code"],
    "od": ["school_year", "home_municipality_code", "school_municipality_code"],
    "share": ["school_year", "home_municipality_code"],
    "balance": ["school_year", "home_municipality_code", "programme_code"],
}  # fmt: skip
_MEASURES = {
    "flows": ["n"],
    "od": ["n"],
    "share": ["n", "n_other"],
    "balance": ["residents", "outgoing", "incoming", "net"],
}


def _analyst_sql(paths: list[Path], lookups: Lookups) -> dict[str, pd.DataFrame]:
    """The four tables computed by hand-written DuckDB SQL from the same Parquet files."""
    organizers, units = _lookup_frames(lookups)
    con = raw_connection()
    try:
        con.register("organizers", organizers)
        con.register("units", units)
        con.execute(ANALYST_SQL, {"files": [str(p) for p in paths]})
        return {name: con.sql(sql).df() for name, sql in ANALYST_TABLES.items()}
    finally:
        con.close()


def _product_frames(tables: object) -> dict[str, pd.DataFrame]:
    """The product's four tables, detail rows only (totals are margins), in the shared names."""
    frames: dict[str, pd.DataFrame] = {}
    names = {"flows": "flows", "od": "origin_destination", "share": "other_organizer_share",
             "balance": "balance"}  # fmt: skip
    for short, attribute in names.items():
        frame = getattr(tables, attribute).table.to_pandas()
        frame = frame.rename(columns={"municipality_code": "home_municipality_code"})
        frames[short] = frame.dropna(subset=_KEYS[short])
    return frames


def _canonical(result: object) -> pd.DataFrame:
    """Every table's every figure as one long frame: table, key, measure, value."""
    frames = result if isinstance(result, dict) else _product_frames(result)
    parts: list[pd.DataFrame] = []
    for name, keys in _KEYS.items():
        frame = frames[name]
        key = frame[keys].astype(str).agg("|".join, axis=1)
        parts.extend(
            pd.DataFrame(
                {"table": name, "key": key.to_numpy(), "measure": measure,
                 "value": frame[measure].astype("int64").to_numpy()}
            )
            for measure in _MEASURES[name]
        )  # fmt: skip
    long = pd.concat(parts, ignore_index=True)
    return canonical_frame(long, ["table", "key", "measure", "value"], ["table", "key", "measure"])


def _bare_scan(paths: list[Path]) -> int:
    """DuckDB reading exactly the rows and columns the movement tables read, once."""
    columns = ", ".join(f"min({c})" for c in COLUMNS if c != "school_form")
    con = raw_connection()
    try:
        row = con.execute(
            f"SELECT count(*), {columns} FROM read_parquet($files) "
            "WHERE school_form IN ('gymnasieskola', 'anpassad_gymnasieskola')",
            {"files": [str(p) for p in paths]},
        ).fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def run(
    snapshot: Snapshot, scale: float, *, out_dir: Path | None = None
) -> list[dict[str, object]]:
    """All municipalities' flows (ten years) against pandas, plain SQL and the scan; the page."""
    lookups = national_lookups(scale)
    root = national_root(scale, out_dir=out_dir or OUT_DIR)
    paths = [root / p for p in national_files(root)["enrolments"]]
    rows = _bare_scan(paths)
    results = compare(
        Engine("movement.all_flows", lambda: movement_tables(snapshot, lookups, Scope()),
               _canonical),
        {
            "pandas": Engine("movement.pandas_reference", lambda: _pandas(paths, lookups),
                             _canonical),
            "sql": Engine("movement.duckdb_sql", lambda: _analyst_sql(paths, lookups),
                          _canonical),
            "scan": Engine("movement.bare_scan", lambda: _bare_scan(paths)),
        },
        rows=rows,
        repeat=3,
    )  # fmt: skip
    year = int(snapshot.query("SELECT max(school_year) AS y FROM enrolments")["y"][0].as_py())
    with tempfile.TemporaryDirectory(prefix="movement-derived-") as temporary:
        kept = Path(temporary)
        cold_seconds, _size = best_of(
            lambda: _cold_gr_page(kept, snapshot, lookups, year), repeat=2
        )
        page_seconds, _size = best_of(lambda: _gr_page(kept, snapshot, lookups, year), repeat=5)
        kept_seconds, _rows = best_of(lambda: _kept_flows(kept, snapshot, lookups), repeat=3)
    return [
        *results,
        {"name": "movement.all_flows_kept", "seconds": kept_seconds, "rows": rows},
        {"name": "movement.gr_page", "seconds": page_seconds, "rows": rows},
        {"name": "movement.gr_page_cold", "seconds": cold_seconds, "rows": rows},
    ]


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
