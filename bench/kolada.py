"""The Kolada-compatible API against the kept tables, and its latency under 50 clients.

Run ``python -m bench.kolada`` with the demo in ``var/`` (``likvard demo``); it starts
``likvard serve`` (gunicorn, two workers, as in production) on a free loopback port, warms
every worker's released cubes, then measures, in the same run:

- ``kolada.kpi_all_areas_10y``: ``GET /kolada/v3/data/kpi/N15504``: the merit value of every
  municipality of the regions, both regions (entity and group) and Riket for ten school years,
  released for an anonymous caller (best of 3);
- ``kolada.kpi_all_areas_10y_duckdb``: the same rows (municipalities and nation, ten years)
  read straight from the kept tables (``quality_context_values`` Parquet of the data version)
  in DuckDB, unreleased: the floor the API's release, JSON and HTTP sit on;
- ``kolada.paged_walk``: every school unit's merit value for ten years through ``oudata``,
  following ``next_url`` with 500 records a page, and ``kolada.paged_walk_duckdb`` the same rows
  from the kept tables;
- ``kolada.p95_50_clients``: 50 concurrent clients (a small asyncio HTTP/1.1 client, one
  connection per request) asking 20 requests each for one municipality and year.

The results replace the section between the ``kolada`` markers in BENCHMARKS.md. With
``--port N`` the bench measures a ``likvard serve`` already answering on that loopback port
instead of starting one (so that a heavy-run slot holds only the clients and their server's
work, never a long-lived process).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.harness import REPO, best_of, load_average, raw_connection

KPI = "N15504"
INDICATOR = "gr9_merit_value"
CLIENTS = 50
REQUESTS_PER_CLIENT = 20
PER_PAGE = 500
START, END = "<!-- kolada:start -->", "<!-- kolada:end -->"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def _serve(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "likvard.settings.dev"}
    command = [str(REPO / ".venv/bin/likvard"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(300):
        try:
            _get(f"http://127.0.0.1:{port}/kolada/v3/kpi/{KPI}")
            return process
        except OSError:
            time.sleep(1)
    process.terminate()
    raise RuntimeError("likvard serve did not answer")


def _walk(url: str) -> list[dict]:
    records: list[dict] = []
    next_url: str | None = url
    while next_url:
        page = _get(next_url)
        records += page["values"]
        next_url = page["next_url"]
    return records


def _setup() -> None:
    import django  # noqa: PLC0415

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "likvard.settings.dev")
    django.setup()


def kept_files() -> list[str]:
    """The kept values of the current data version (``quality_context_values`` Parquet)."""
    from django.conf import settings  # noqa: PLC0415

    from likvard.warehouse.selectors import data_version_get  # noqa: PLC0415

    key = data_version_get().key
    folder = Path(settings.LIKVARD_WAREHOUSE_DIR) / "derived" / key
    return sorted(str(p) for p in folder.glob("quality_context_values-*.parquet"))


def _members() -> tuple[list[str], list[str], list[str], list[int]]:
    """The regions' municipalities, their units, one municipality per region, the years."""
    from likvard.opendata.services import entities, values  # noqa: PLC0415

    regions = entities.region_members()
    municipalities = sorted({m for codes in regions.values() for m in codes})
    places = entities.unit_municipalities()
    units = sorted(u for u, m in places.items() if m in set(municipalities))
    firsts = [codes[0] for codes in regions.values()]
    return municipalities, units, firsts, values.value_years()


KEPT_SQL = """
SELECT level, code, school_year, any_value(value) AS value
FROM read_parquet($files)
WHERE indicator = $indicator AND "group" IS NULL AND school_year BETWEEN $first AND $last
  AND ((level = 'nation' AND $level = 'municipality')
       OR (level = $level AND list_contains($codes, code)))
GROUP BY level, code, school_year
ORDER BY level, code, school_year
"""
"""The values an API answer holds, read straight from the kept tables: for ``data`` the
municipalities and the nation (Kolada's ``0000``), for ``oudata`` the school units only (the
nation's ten rows were once counted here too: the "10-row gap" of the paged walk)."""


def kept_rows(
    files: list[str], level: str, codes: list[str], years: list[int], indicator: str = INDICATOR
) -> list[tuple[str, str, int, float | None]]:
    """(level, code, school year, value) of ``indicator`` for ``codes`` at ``level``."""
    connection = raw_connection()
    params = {"files": files, "indicator": indicator, "level": level, "codes": codes,
              "first": years[0], "last": years[-1]}  # fmt: skip
    return [tuple(r) for r in connection.execute(KEPT_SQL, params).fetchall()]  # type: ignore[misc]


def _kept(files: list[str], level: str, codes: list[str], years: list[int]) -> int:
    return len(kept_rows(files, level, codes, years))


async def _one(port: int, path: str) -> float:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    body = await reader.read()
    writer.close()
    if not body.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(body[:200])
    return time.perf_counter() - started


async def _load(port: int, municipalities: list[str], years: list[int]) -> list[float]:
    chooser = random.Random(22)  # noqa: S311 (a fixed mix of requests, not security)
    paths = [
        [f"/kolada/v3/data/kpi/{KPI}/municipality/{chooser.choice(municipalities)}"
         f"/year/{chooser.choice(years)}" for _ in range(REQUESTS_PER_CLIENT)]
        for _ in range(CLIENTS)
    ]  # fmt: skip

    async def client(mine: list[str]) -> list[float]:
        return [await _one(port, path) for path in mine]

    results = await asyncio.gather(*(client(mine) for mine in paths))
    return [t for times in results for t in times]


def run(port: int | None = None) -> list[dict[str, object]]:
    """Every measurement of the module doc, as ``bench.run`` results (against the server on
    ``port`` when given, else one started here)."""
    _setup()
    files = kept_files()
    municipalities, units, firsts, years = _members()
    server = None if port else _serve(port := _free_port())
    base = f"http://127.0.0.1:{port}/kolada/v3"
    try:
        # Warm both workers' released cubes one region and year at a time: a cold request for
        # everything computes 20 cubes, which can outlast gunicorn's 30 s on a loaded machine.
        for year in years:
            for first in firsts:
                for _ in range(4):
                    _get(f"{base}/data/kpi/{KPI}/municipality/{first}/year/{year}")
        for _ in range(4):
            _get(f"{base}/data/kpi/{KPI}")
            _walk(f"{base}/oudata/kpi/{KPI}?per_page={PER_PAGE}")
        api_s, api = best_of(lambda: _get(f"{base}/data/kpi/{KPI}"), warmup=False)
        kept_s, kept = best_of(lambda: _kept(files, "municipality", municipalities, years))
        walk_s, walked = best_of(lambda: _walk(f"{base}/oudata/kpi/{KPI}?per_page={PER_PAGE}"),
                                 warmup=False)  # fmt: skip
        kept_units_s, kept_units = best_of(lambda: _kept(files, "school_unit", units, years))
        load_before = load_average()
        started = time.perf_counter()
        latencies = asyncio.run(_load(port, municipalities, years))
        wall = time.perf_counter() - started
        load_after = load_average()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    quantiles = statistics.quantiles(latencies, n=100)
    return [
        {"name": "kolada.kpi_all_areas_10y", "seconds": api_s, "rows": len(api["values"]),
         "scan": "kolada.kpi_all_areas_10y_duckdb"},
        {"name": "kolada.kpi_all_areas_10y_duckdb", "seconds": kept_s, "rows": kept},
        {"name": "kolada.paged_walk", "seconds": walk_s, "rows": len(walked),
         "scan": "kolada.paged_walk_duckdb", "pages": -(-len(walked) // PER_PAGE)},
        {"name": "kolada.paged_walk_duckdb", "seconds": kept_units_s, "rows": kept_units},
        {"name": "kolada.p95_50_clients", "seconds": wall, "rows": len(latencies),
         "p50": quantiles[49], "p95": quantiles[94], "max": max(latencies),
         "load_before": load_before, "load_after": load_after},
    ]  # fmt: skip


def section(results: list[dict[str, object]]) -> str:
    """The BENCHMARKS.md section of this run."""
    by = {str(r["name"]): r for r in results}
    lines = [START, "## Kolada-compatible API (`python -m bench.kolada`, demo data)", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, one-minute load average "
             f"{load_average():.1f}; `likvard serve` (gunicorn, 2 sync workers) on loopback, "
             "anonymous caller, released cubes warm in both workers. The DuckDB rows are the "
             "same query read straight from the kept tables, unreleased.", "",
             "| benchmark | rows | seconds | API ÷ DuckDB |", "|---|---:|---:|---:|"]  # fmt: skip
    for api, kept in (("kolada.kpi_all_areas_10y", "kolada.kpi_all_areas_10y_duckdb"),
                      ("kolada.paged_walk", "kolada.paged_walk_duckdb")):  # fmt: skip
        a, k = by[api], by[kept]
        ratio = float(str(a["seconds"])) / float(str(k["seconds"]))
        lines.append(f"| {api} | {a['rows']:,} | {float(str(a['seconds'])):.3f} | {ratio:.1f}× |")
        lines.append(f"| {kept} | {k['rows']:,} | {float(str(k['seconds'])):.3f} | |")
    load = by["kolada.p95_50_clients"]
    p50, p95, top = (1000 * float(str(load[k])) for k in ("p50", "p95", "max"))
    wall = float(str(load["seconds"]))
    rate = int(str(load["rows"])) / wall
    loads = ""
    if "load_before" in load:
        loads = (f"; one-minute load average {float(str(load['load_before'])):.1f} before, "
                 f"{float(str(load['load_after'])):.1f} after")  # fmt: skip
    lines += [
        "",
        f"Data endpoint under {CLIENTS} concurrent clients ({load['rows']:,} requests of one "
        f"municipality and year, {wall:.1f} s, {rate:.1f} requests/s{loads}): p50 {p50:.0f} ms, "
        f"**p95 {p95:.0f} ms**, max {top:.0f} ms.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write(results: list[dict[str, object]], path: Path = REPO / "BENCHMARKS.md") -> None:
    """Replace (or append) this module's section of BENCHMARKS.md."""
    text = path.read_text(encoding="utf-8")
    new = section(results)
    if START in text and END in text:
        text = text[: text.index(START)] + new.rstrip("\n") + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + new
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    given = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else None
    measured = run(given)
    write(measured)
    json.dump(measured, sys.stdout, indent=1, default=str)
