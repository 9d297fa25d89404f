"""The Kolada-compatible API's data and the open data files at national scale.

The API itself runs in Django over a region's register (``bench/kolada.py`` measures it live on
the demo, with the data endpoint's p95 under 50 clients); here its computation is timed over the
whole synthetic country, without HTTP, **from the kept tables** as the app reads them:

- ``kolada_national.keep``: the kept table of the KPI's indicator family (``indicator_values``
  of ``N15504``, the merit value, for ten school years: every level, all students and girls and
  boys; the ``quality_context_values`` rows of one family), computed once per data version and
  written as Parquet sorted by level and code, as the app keeps it. Timed once, not compared.
- ``kolada_national.kpi_all_areas_10y``: ``data/kpi/N15504`` without ``gender``: every
  municipality and Riket, ten years, Kolada's default of every gender (``T``, ``K``, ``M``). Its
  slice of the kept table is read with row filters; each year's totals are released as one cube
  (``suppress``, Skolverket's minimum groups, the municipality a margin), then the totals with
  their girls and boys as one joint cube with the totals' release settled (``suppress_cube``,
  ``group`` a margin too), as ``likvard.opendata.services.gender`` does per region; the girls'
  and boys' rows are served as that module serves them (a hidden total hides its parts);
  Kolada's records (a hidden value null with its status) and the JSON pages of 5,000 records.
- ``kolada_national.paged_walk``: ``oudata/kpi/N15504?gender=T``, the whole indicator at the
  school-unit level (every unit, ten years), each year's unit level released as one cube, walked
  page by page through ``next_url`` (every page built and parsed).
- ``kolada_national.paged_walk_tkm``: the same walk without ``gender`` (Kolada's default: T, K
  and M): each year's unit totals released as above, then every unit's total with its girls and
  boys as one joint cube with the totals settled, served as the API serves them. Each unit is
  a component of one equation (total = girls + boys + the rest), which the gate decides in
  closed form (``likvard_core.disclosure.intervals``, ``recoverable``), not by programmes.
- ``*_duckdb``: the same rows read straight from the kept Parquet in DuckDB, unreleased: the
  floor the release, records and JSON sit on. Checked equal to the product's unreleased rows on
  every value (level, code, year, gender, n, value) before a time is written, and every value
  the product's JSON pages show equal to its unreleased value.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.harness import (
    Engine,
    canonical_frame,
    compare,
    load_average,
    national_root,
    raw_connection,
)
from bench.quality import ANALYST_SQL, _canonical, _pandas, _scan, _years
from likvard_core.analytics.quality.indicators import (
    VALUES,
    IndicatorValues,
    indicator_values,
    sorted_rows,
)
from likvard_core.disclosure.aggregate import Aggregate, Level, Population
from likvard_core.disclosure.suppress import SKOLVERKET_THRESHOLDS, suppress, suppress_cube
from likvard_core.warehouse.snapshot import Snapshot

KPI = "N15504"
INDICATOR = "gr9_merit_value"
PER_PAGE = 5000
STATUS_TEXT = {"exists": "", "too_few": "För få", "suppressed_complementary": "Skyddad"}
GENDER = {None: "T", "girls": "K", "boys": "M"}
SHOWN = frozenset({"exists", "rounded"})
WITHHELD = "suppressed_complementary"
_COLUMNS = ["level", "code", "school_year", "gender", "n", "value"]
_KEPT = ["level", "code", "school_year", "group", "n", *VALUES]
OPEN_DATA_NOTE = "python -m bench.kolada_national 0.01"
"""The open data build is run by hand at a small scale: it releases every school unit of the
country (with its gender rows) as one cube, 166-176 s already at scale 0.002-0.01 under load,
too long for ``make bench``'s smoke test."""


def keep(snapshot: Snapshot, years: list[int], folder: Path) -> Path:
    """The KPI family's kept table (see module doc), written once; its path."""
    values = indicator_values(snapshot, years=years, indicators=[INDICATOR])
    path = folder / "quality_context_values.parquet"
    pq.write_table(sorted_rows(values.long, ["level", "code"]), path)
    return path


def _read(kept: Path, level: Sequence[str], groups: bool, years: list[int]) -> pa.Table:
    """The KPI's rows of ``level`` from the kept table (row filters, as the app reads it)."""
    table = pq.read_table(
        kept, columns=_KEPT,
        filters=[("level", "in", list(level)), ("indicator", "=", INDICATOR),
                 ("school_year", "in", years)],
    )  # fmt: skip
    group = table.column("group")
    keep_rows = pc.is_null(group)
    if groups:
        keep_rows = pc.or_(keep_rows, pc.is_in(group, pa.array(["girls", "boys"])))
    table = table.filter(keep_rows)
    return table.append_column("indicator", pa.array([INDICATOR] * table.num_rows, pa.string()))


def _aggregate(table: pa.Table, year: int, margins: tuple[str, ...], scope: str) -> Aggregate:
    return Aggregate(
        table.filter(pc.equal(table.column("school_year"), year)),
        dims=("code", "indicator", "school_year", "group"), count="n", values=VALUES,
        data_version="national", margins=margins,
        population=Population(f"kolada/{scope}/{year}", frozenset(), Level.MUNICIPALITY),
    )  # fmt: skip


def _served(joint: pa.Table, totals: pa.Table) -> list[dict[str, object]]:
    """The girls' and boys' rows servable beside the released totals (``served_gender_rows``)."""
    released = {r["code"]: r["status"] for r in totals.to_pylist()}
    rows = joint.to_pylist()
    agree = {r["code"]: r["status"] in SHOWN for r in rows if r["group"] is None} == {
        c: s in SHOWN for c, s in released.items()
    }
    out = []
    for row in rows:
        if row["group"] is None:
            continue
        if not agree or released.get(row["code"]) not in SHOWN:
            status = WITHHELD if row["status"] in SHOWN else row["status"]
            out.append({**row, "n": None, "value": None, "status": status})
        else:
            out.append(row)
    return out


def _record_rows(rows: list[dict[str, object]], key: str) -> list[dict[str, object]]:
    """Kolada's records: one per entity and period, each asked gender's value inside."""
    records: dict[tuple[str, int], dict[str, object]] = {}
    for row in sorted(
        rows,
        key=lambda r: (str(r["code"] or "0000"), int(str(r["school_year"])), GENDER[r["group"]]),
    ):  # type: ignore[index]
        entity, period = str(row["code"] or "0000"), int(str(row["school_year"]))
        record = records.setdefault(
            (entity, period), {"kpi": KPI, key: entity, "period": period, "values": []}
        )
        shown = row["status"] in SHOWN
        record["values"].append({  # type: ignore[attr-defined]
            "gender": GENDER[row["group"]], "count": 1,  # type: ignore[index]
            "status": STATUS_TEXT.get(str(row["status"]), "Saknas"),
            "value": row["value"] if shown else None, "isdeleted": False,
        })  # fmt: skip
    return list(records.values())


def _pages(records: list[dict[str, object]], route: str) -> list[bytes]:
    pages = []
    for start in range(0, max(len(records), 1), PER_PAGE):
        page = start // PER_PAGE + 1
        following = f"{route}?page={page + 1}" if start + PER_PAGE < len(records) else None
        previous = f"{route}?page={page - 1}" if page > 1 else None
        body = {"count": len(records), "values": records[start : start + PER_PAGE],
                "next_url": following, "previous_url": previous}  # fmt: skip
        pages.append(json.dumps(body, ensure_ascii=False).encode())
    return pages


def areas_answer(kept: Path, years: list[int]) -> tuple[pa.Table, list[bytes]]:
    """``data/kpi/N15504`` (T, K and M): the unreleased rows and the JSON pages."""
    table = _read(kept, ["municipality", "nation"], True, years)
    totals_only = table.filter(pc.is_null(table.column("group")))
    rows: list[dict[str, object]] = []
    for year in years:
        totals = suppress(
            _aggregate(totals_only, year, ("code",), "levels"), min_group=SKOLVERKET_THRESHOLDS
        ).table
        joint = suppress_cube(
            {"gender": _aggregate(table, year, ("code", "group"), "gender")},
            min_group=SKOLVERKET_THRESHOLDS, settled={"gender": totals},
        )["gender"].table  # fmt: skip
        rows += totals.to_pylist() + _served(joint, totals)
    return table, _pages(_record_rows(rows, "municipality"), f"/kolada/v3/data/kpi/{KPI}")


def unit_walk(kept: Path, years: list[int], genders: bool = False
              ) -> tuple[pa.Table, list[bytes]]:  # fmt: skip
    """``oudata/kpi/N15504`` walked through ``next_url`` (``gender=T``, or with ``genders``
    Kolada's default of T, K and M): the unreleased rows and the pages read."""
    table = _read(kept, ["school_unit"], genders, years)
    return table, _walked(_released_units(table, years, genders))


def unit_walk_tkm(kept: Path, years: list[int]) -> tuple[pa.Table, list[bytes]]:
    """``unit_walk`` without ``gender``: T, K and M, every decision taken on the way."""
    return unit_walk(kept, years, genders=True)


RELEASED = ["code", "school_year", "group", "value", "status"]


def keep_released_units(kept: Path, years: list[int], folder: Path) -> Path:
    """The unit walk's released rows with T, K and M (every decision of ``unit_walk``), kept
    once per data version as the app keeps its decisions (Django's cache, filled by the
    warm-up); its path."""
    rows = _released_units(_read(kept, ["school_unit"], True, years), years, True)
    path = folder / "released_units.parquet"
    pq.write_table(pa.Table.from_pylist([{c: r[c] for c in RELEASED} for r in rows]), path)
    return path


def unit_walk_kept(kept: Path, released: Path, years: list[int]
                   ) -> tuple[pa.Table, list[bytes]]:  # fmt: skip
    """The T, K and M walk with the decisions read from ``keep_released_units``'s table: the
    unreleased rows and the pages read."""
    table = _read(kept, ["school_unit"], True, years)
    return table, _walked(pq.read_table(released).to_pylist())


def _walked(rows: list[dict[str, object]]) -> list[bytes]:
    pages = _pages(_record_rows(rows, "ou"), f"/kolada/v3/oudata/kpi/{KPI}")
    walked = []
    for page in pages:  # the client's side: every page parsed, next_url followed
        walked.append(page)
        if json.loads(page)["next_url"] is None:
            break
    return walked


def _released_units(table: pa.Table, years: list[int], genders: bool) -> list[dict[str, object]]:
    totals_only = table.filter(pc.is_null(table.column("group"))) if genders else table
    rows: list[dict[str, object]] = []
    for year in years:
        totals = suppress(
            _aggregate(totals_only, year, (), "units"), min_group=SKOLVERKET_THRESHOLDS
        ).table
        rows += totals.to_pylist()
        if genders:
            joint = suppress_cube(
                {"gender": _aggregate(table, year, ("group",), "unit-gender")},
                min_group=SKOLVERKET_THRESHOLDS, settled={"gender": totals},
            )["gender"].table  # fmt: skip
            rows += _served(joint, totals)
    return rows


KEPT_SQL = """
SELECT level, coalesce(code, '0000') AS code, school_year,
       CASE "group" WHEN 'girls' THEN 'K' WHEN 'boys' THEN 'M' ELSE 'T' END AS gender, n, value
FROM read_parquet($path)
WHERE indicator = $indicator AND list_contains($levels, level)
  AND list_contains($years, school_year)
  AND ("group" IS NULL OR ($groups AND "group" IN ('girls', 'boys')))
ORDER BY level, code, school_year, gender
"""


def _duckdb(kept: Path, levels: list[str], groups: bool, years: list[int]) -> pa.Table:
    """The same rows straight from the kept Parquet in a plain DuckDB (the app's snapshot
    connection may read only the warehouse's batches)."""
    with raw_connection() as con:
        return con.sql(KEPT_SQL.replace("$path", f"'{kept}'"), params={
            "indicator": INDICATOR, "levels": levels, "groups": groups, "years": years,
        }).to_arrow_table()  # fmt: skip


def _frame(result: object) -> pd.DataFrame:
    """Any engine's rows as one frame: level, code, year, gender, n, value."""
    table: pa.Table = result[0] if isinstance(result, tuple) else result  # type: ignore[assignment]
    frame = table.to_pandas()
    if "group" in frame.columns:
        frame = frame.assign(
            code=frame["code"].fillna("0000"),
            gender=frame["group"].map(lambda g: GENDER[None if pd.isna(g) else g]),
        )
    return canonical_frame(frame, _COLUMNS, ["level", "code", "school_year", "gender"])


def _check_pages(table: pa.Table, pages: list[bytes], key: str) -> dict[str, int]:
    """Every shown value in the pages equals the unreleased value; records and values shown."""
    truth = {
        (r["code"] or "0000", int(r["school_year"]), GENDER[r["group"]]): r["value"]
        for r in table.to_pylist()
    }
    records = [r for page in pages for r in json.loads(page)["values"]]
    inner = [(r, v) for r in records for v in r["values"]]
    assert len(inner) == len(truth), (len(inner), len(truth))
    shown = 0
    for record, value in inner:
        assert (value["value"] is None) == (value["status"] != ""), record
        if value["value"] is not None:
            cell = (record[key], record["period"], value["gender"])
            assert abs(value["value"] - truth[cell]) < 1e-9, cell
            shown += 1
    return {"records": len(records), "values": len(inner), "shown": shown, "pages": len(pages)}


def run(snapshot: Snapshot, scale: float) -> list[dict[str, object]]:
    """The KPI's areas and its unit walk from the kept table, against DuckDB (``make bench``)."""
    years = _years(snapshot)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        kept = keep(snapshot, years, Path(out))
        kept_seconds = time.perf_counter() - started
        out_rows: list[dict[str, object]] = [{
            "name": "kolada_national.keep", "seconds": kept_seconds, "repeat": 1,
            "rows": pq.ParquetFile(kept).metadata.num_rows, "load": load_average(),
        }]  # fmt: skip
        for name, product, levels, groups, key in (
            ("kpi_all_areas_10y", areas_answer, ["municipality", "nation"], True, "municipality"),
            ("paged_walk", unit_walk, ["school_unit"], False, "ou"),
            ("paged_walk_tkm", unit_walk_tkm, ["school_unit"], True, "ou"),
        ):
            measured = compare(
                Engine(f"kolada_national.{name}", lambda p=product: p(kept, years), _frame),
                {"sql": Engine(f"kolada_national.{name}_duckdb",
                               lambda lv=levels, g=groups: _duckdb(kept, lv, g, years),
                               _frame)},
                rows=0, repeat=3, load=load_average(),
            )  # fmt: skip
            table, pages = product(kept, years)
            measured[0].update(_check_pages(table, pages, key), rows=table.num_rows)
            measured[1]["rows"] = table.num_rows
            out_rows += measured
        out_rows += _kept_walk(kept, years, Path(out))
    return out_rows


def run_kept_walk(snapshot: Snapshot, scale: float) -> list[dict[str, object]]:
    """Only the T, K and M walk from kept decisions (``python -m bench.kolada_national 1
    kept_walk DIR``): the kept table, the decisions kept once, the walk against DuckDB."""
    years = _years(snapshot)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        kept = keep(snapshot, years, Path(out))
        out_rows: list[dict[str, object]] = [{
            "name": "kolada_national.keep", "seconds": time.perf_counter() - started,
            "repeat": 1, "rows": pq.ParquetFile(kept).metadata.num_rows, "load": load_average(),
        }]  # fmt: skip
        return out_rows + _kept_walk(kept, years, Path(out))


def _kept_walk(kept: Path, years: list[int], folder: Path) -> list[dict[str, object]]:
    """``keep_released_units`` timed once, then the walk from it against DuckDB (best of 3),
    its pages checked equal to ``unit_walk_tkm``'s (deciding on the way)."""
    out_rows: list[dict[str, object]] = []
    started = time.perf_counter()
    released = keep_released_units(kept, years, folder)
    out_rows.append({
        "name": "kolada_national.keep_released_units", "seconds":
        time.perf_counter() - started, "repeat": 1, "load": load_average(),
        "rows": pq.ParquetFile(released).metadata.num_rows,
    })  # fmt: skip
    measured = compare(
        Engine("kolada_national.paged_walk_tkm_kept",
               lambda: unit_walk_kept(kept, released, years), _frame),
        {"sql": Engine("kolada_national.paged_walk_tkm_kept_duckdb",
                       lambda: _duckdb(kept, ["school_unit"], True, years), _frame)},
        rows=0, repeat=3, load=load_average(),
    )  # fmt: skip
    table, pages = unit_walk_kept(kept, released, years)
    assert pages == unit_walk(kept, years, genders=True)[1]  # the same answer, decided once
    measured[0].update(_check_pages(table, pages, "ou"), rows=table.num_rows)
    measured[1]["rows"] = table.num_rows
    out_rows += measured
    return out_rows


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

    from bench.harness import OUT_DIR, national_files

    chosen = float(sys.argv[1]) if len(sys.argv) > 1 else 0.01
    what = sys.argv[2] if len(sys.argv) > 2 else "open_data"
    base = Path(sys.argv[3]) if len(sys.argv) > 3 else OUT_DIR
    root = base / f"national-{chosen:g}"  # an existing data set, read only: never generated here
    with Snapshot(root, national_files(root), f"national-{chosen:g}") as opened:
        measure = {"api": run, "kept_walk": run_kept_walk}.get(what, run_open_data)
        for result in measure(opened, chosen):
            print(json.dumps(result, default=str), flush=True)
