"""The Kolada-compatible API's data and the open data files at national scale.

The API itself runs in Django over a region's register (``bench/kolada.py`` measures it live on
the demo); here its computation is timed over the whole synthetic country, without HTTP:

- ``kolada_national.data_walk``: every Kolada record of one KPI (``N15504``, the merit value)
  for every municipality and Riket over ten school years, as the data route makes it: the
  warehouse values (``indicator_values`` of the indicator's family, students counted in their
  home municipality as no school register is loaded), each year's municipalities and nation
  released as one cube (``suppress`` with Skolverket's minimum groups, the municipality a
  margin), Kolada's records (a hidden value null with its status) and the JSON pages of 5,000
  records a walk through ``next_url`` reads.
- ``kolada_national.open_data_build`` (by hand, ``python -m bench.kolada_national 0.01``): the
  open data set of the latest school year: every warehouse indicator at every level (school
  units, organizers, municipalities, nation, by gender too), each level released as one cube
  over the whole country, written as CSV and as Parquet. The app releases per region instead.

Baselines, timed alike (one warm-up, best of one) and checked equal to the product on every
value (level, code, year, group, indicator, n, value) before a ratio is written: the pandas
reference (``bench/reference/quality.py``, Parquet load inside its time; for the files it also
writes the CSV and Parquet), the same values as one plain SQL statement an analyst would write
(``bench.quality.ANALYST_SQL``, which computes every warehouse indicator of every level, more
than the walk needs), and DuckDB's bare scan of the rows and columns the values read. The
product's shown values in the JSON pages are checked equal to its unreleased values too.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.harness import Engine, canonical_frame, compare, national_root
from bench.quality import ANALYST_SQL, _canonical, _pandas, _scan, _years
from likvard_core.analytics.quality.indicators import VALUES, IndicatorValues, indicator_values
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress
from likvard_core.warehouse.snapshot import Snapshot

KPI = "N15504"
INDICATOR = "gr9_merit_value"
PER_PAGE = 5000
STATUS_TEXT = {"exists": "", "too_few": "För få", "suppressed_complementary": "Skyddad"}
_COLUMNS = ["level", "code", "school_year", "n", "value"]
OPEN_DATA_NOTE = "python -m bench.kolada_national 0.01"
"""The open data build is run by hand at a small scale: it releases every school unit of the
country (with its gender rows) as one cube, 166-176 s already at scale 0.002-0.01 under load,
too long for ``make bench``'s smoke test."""


def _one(table: pa.Table) -> pa.Table:
    mask = pc.and_(
        pc.equal(table.column("indicator"), INDICATOR), pc.is_null(table.column("group"))
    )
    return table.filter(mask)


def _areas(values: IndicatorValues) -> pa.Table:
    """The KPI's all-students rows of every municipality and the nation (code null)."""
    municipal = _one(values.level(Level.MUNICIPALITY).table)
    nation = _one(values.level(Level.NATION).table)
    nation = nation.append_column("municipality_code", pa.nulls(nation.num_rows, pa.string()))
    columns = ["municipality_code", "indicator", "school_year", "group", "n", *VALUES]
    return pa.concat_tables([municipal.select(columns), nation.select(columns)])


def _records(released: pa.Table) -> list[dict[str, object]]:
    out = []
    for row in released.to_pylist():
        shown = row["status"] == "exists"
        status = STATUS_TEXT.get(row["status"], "Saknas")
        out.append({
            "kpi": KPI, "municipality": row["municipality_code"] or "0000",
            "period": int(row["school_year"]),
            "values": [{"gender": "T", "count": 1, "status": status,
                        "value": row["value"] if shown else None, "isdeleted": False}],
        })  # fmt: skip
    return out


def data_walk(snapshot: Snapshot, years: list[int]) -> tuple[pa.Table, list[bytes]]:
    """The KPI's unreleased rows and the JSON pages of its released Kolada records."""
    values = indicator_values(snapshot, years=years, indicators=[INDICATOR])
    table = _areas(values)
    records: list[dict[str, object]] = []
    for year in years:
        cube = Aggregate(
            table.filter(pc.equal(table.column("school_year"), year)),
            dims=("municipality_code", "indicator", "school_year", "group"), count="n",
            values=VALUES, data_version=snapshot.version, margins=("municipality_code",),
            population=Population(f"kolada/{INDICATOR}/{year}", frozenset(), Level.MUNICIPALITY),
        )  # fmt: skip
        records += _records(suppress(cube, min_group=SKOLVERKET_THRESHOLDS).table)
    records.sort(key=lambda r: (str(r["municipality"]), int(str(r["period"]))))
    pages = []
    for start in range(0, len(records), PER_PAGE):
        page = start // PER_PAGE + 1
        following = f"?page={page + 1}" if start + PER_PAGE < len(records) else None
        previous = f"?page={page - 1}" if page > 1 else None
        body = {"count": len(records), "values": records[start : start + PER_PAGE],
                "next_url": following, "previous_url": previous}  # fmt: skip
        pages.append(json.dumps(body, ensure_ascii=False).encode())
    return table, pages


def _walk_frame(result: object) -> pd.DataFrame:
    """Any engine's KPI rows as one frame: level, code, year, n, value."""
    if isinstance(result, tuple):
        table: pa.Table = result[0]
        frame = table.to_pandas()
        frame = frame.assign(
            level=frame["municipality_code"].notna().map({True: "municipality", False: "nation"}),
            code=frame["municipality_code"].fillna("nation"),
        )
    else:
        frame = result.to_pandas() if isinstance(result, pa.Table) else result  # type: ignore[assignment]
        frame = _canonical(frame)
        frame = frame[(frame["indicator"] == INDICATOR) & (frame["group"] == "(alla)")]
        frame = frame[frame["level"].isin(["municipality", "nation"])]
    frame = frame.assign(value=pd.to_numeric(frame["value"], errors="coerce").astype("float64"))
    return canonical_frame(frame, _COLUMNS, ["level", "code", "school_year"])


def _check_pages(table: pa.Table, pages: list[bytes]) -> int:
    """Every shown value in the pages equals the unreleased value; the records' count."""
    truth = {
        (r["municipality_code"] or "0000", int(r["school_year"])): r["value"]
        for r in table.to_pylist()
    }
    records = [r for page in pages for r in json.loads(page)["values"]]
    assert len(records) == len(truth), (len(records), len(truth))
    for record in records:
        value = record["values"][0]["value"]
        if value is not None:
            assert abs(value - truth[(record["municipality"], record["period"])]) < 1e-9
    return len(records)


def open_data_files(snapshot: Snapshot, year: int, folder: Path) -> IndicatorValues:
    """Every indicator of every level in ``year``, each level released, as CSV and Parquet."""
    values = indicator_values(snapshot, years=[year])
    for level, aggregate in values.aggregates.items():
        table = suppress(aggregate, min_group=SKOLVERKET_THRESHOLDS).table
        pacsv.write_csv(table, folder / f"{level.value}.csv")
        pq.write_table(table, folder / f"{level.value}.parquet")
    return values


def _frame_files(frame: pd.DataFrame, folder: Path, name: str) -> pd.DataFrame:
    frame.to_csv(folder / f"{name}.csv", index=False)
    frame.to_parquet(folder / f"{name}.parquet", index=False)
    return frame


def _table_files(table: pa.Table, folder: Path, name: str) -> pa.Table:
    pacsv.write_csv(table, folder / f"{name}.csv")
    pq.write_table(table, folder / f"{name}.parquet")
    return table


def run(snapshot: Snapshot, scale: float) -> list[dict[str, object]]:
    """The data walk over ten years, with its baselines (``make bench``)."""
    years = _years(snapshot)
    root = national_root(scale)
    walk = compare(
        Engine("kolada_national.data_walk", lambda: data_walk(snapshot, years), _walk_frame),
        {
            "pandas": Engine("kolada_national.walk_pandas", lambda: _pandas(root, years),
                             _walk_frame),
            "sql": Engine("kolada_national.walk_duckdb_sql",
                          lambda: snapshot.query(ANALYST_SQL, {"years": years}), _walk_frame),
            "scan": Engine("kolada_national.walk_bare_scan", lambda: _scan(snapshot, years)),
        },
        rows=_scan(snapshot, years),
        repeat=1,
    )  # fmt: skip
    table, pages = data_walk(snapshot, years)
    walk[0]["records"] = _check_pages(table, pages)
    walk[0]["pages"] = len(pages)
    return walk


def run_open_data(snapshot: Snapshot, scale: float) -> list[dict[str, object]]:
    """The latest year's open data files, with baselines (by hand, see ``OPEN_DATA_NOTE``)."""
    years = _years(snapshot)
    root = national_root(scale)
    last = years[-1:]
    with tempfile.TemporaryDirectory() as out:
        folder = Path(out)
        return compare(
            Engine("kolada_national.open_data_build",
                   lambda: open_data_files(snapshot, last[0], folder), _canonical),
            {
                "pandas": Engine("kolada_national.open_data_pandas",
                                 lambda: _frame_files(_pandas(root, last), folder, "pandas"),
                                 _canonical),
                "sql": Engine("kolada_national.open_data_duckdb_sql",
                              lambda: _table_files(snapshot.query(ANALYST_SQL, {"years": last}),
                                                   folder, "sql"), _canonical),
                "scan": Engine("kolada_national.open_data_bare_scan",
                               lambda: _scan(snapshot, last)),
            },
            rows=_scan(snapshot, last),
            repeat=1,
        )  # fmt: skip


NOTES = " ".join((__doc__ or "").split())

if __name__ == "__main__":
    import sys

    from bench.harness import national_snapshot

    chosen = float(sys.argv[1]) if len(sys.argv) > 1 else 0.01
    with national_snapshot(chosen) as opened:
        for result in run_open_data(opened, chosen):
            print(json.dumps(result, default=str))
