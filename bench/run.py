"""Run the benchmarks at a scale and write BENCHMARKS.md: ``python -m bench.run [--scale 1.0]``.

Each benchmark module ``bench.<name>`` exposes ``run(snapshot, scale) -> list[dict]`` with
``name``, ``seconds`` and ``rows`` per measurement; a measurement may name its baselines in
the same run (``pandas``, ``scan``). A ratio is always the baseline's seconds divided by the
measurement's (above 1: faster than the baseline), computed here from this run's timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import inspect
import json
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.harness import (
    OUT_DIR,
    REPO,
    Machine,
    load_average,
    machine,
    national_snapshot,
    table_rows,
)

MODULES = ("ingest", "equity", "quality", "movement", "keys", "disclosure")
"""Benchmark modules, run in this order when present."""

Result = dict[str, object]


def available_modules(only: Sequence[str] | None = None) -> list[str]:
    """The benchmark modules that exist (``only`` picks some)."""
    names = [name for name in MODULES if not only or name in only]
    return [name for name in names if importlib.util.find_spec(f"bench.{name}") is not None]


def _run_module(name: str, scale: float, out_dir: Path) -> list[Result]:
    module = importlib.import_module(f"bench.{name}")
    with national_snapshot(scale, out_dir=out_dir) as snapshot:
        if "out_dir" in inspect.signature(module.run).parameters:
            return list(module.run(snapshot, scale, out_dir=out_dir))
        return list(module.run(snapshot, scale))


def with_ratios(results: Sequence[Result]) -> list[Result]:
    """Each result with ``rows_per_second`` and, where it names baselines, the ratios."""
    seconds = {str(r["name"]): float(r["seconds"]) for r in results}  # type: ignore[arg-type]
    out: list[Result] = []
    for result in results:
        row = dict(result)
        own = float(result["seconds"])  # type: ignore[arg-type]
        row["rows_per_second"] = float(result["rows"]) / own if own > 0 else 0.0  # type: ignore[arg-type]
        for baseline in ("pandas", "scan"):
            other = result.get(baseline)
            if isinstance(other, str) and other in seconds and own > 0:
                row[f"ratio_{baseline}"] = seconds[other] / own
        out.append(row)
    return out


def targets(results: Sequence[Result]) -> list[tuple[str, bool, str]]:
    """The issue targets each module defines (``targets(results)``), evaluated on this run."""
    checks: list[tuple[str, bool, str]] = []
    for name in MODULES:
        if importlib.util.find_spec(f"bench.{name}") is None:
            continue
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "targets"):
            checks.extend(module.targets(list(results)))
    return checks


def notes() -> list[str]:
    """A "What is measured" section from the modules' ``NOTES`` (one paragraph each)."""
    lines: list[str] = []
    for name in MODULES:
        if importlib.util.find_spec(f"bench.{name}") is None:
            continue
        text = getattr(importlib.import_module(f"bench.{name}"), "NOTES", None)
        if isinstance(text, str):
            lines += [f"- **{name}**: {text}"]
    return ["## What is measured", "", *lines, ""] if lines else []


def _ratio(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else ""


def _line(r: Result) -> str:
    seconds = float(r["seconds"])  # type: ignore[arg-type]
    rate = float(r["rows_per_second"])  # type: ignore[arg-type]
    return (
        f"| {r['name']} | {r['rows']:,} | {seconds:.3f} | {rate:,.0f} | "
        f"{_ratio(r.get('ratio_pandas'))} | {_ratio(r.get('ratio_scan'))} |"
    )


def _table_lines(results: Sequence[Result]) -> list[str]:
    return [
        "| benchmark | rows | seconds | rows/s | ratio to pandas | ratio to bare scan / DuckDB |",
        "|---|---:|---:|---:|---:|---:|",
        *[_line(r) for r in results],
    ]


def report(
    results: Sequence[Result],
    *,
    scale: float,
    rows: dict[str, int],
    host: Machine,
    load: float,
    when: dt.datetime,
) -> str:
    """BENCHMARKS.md as Markdown: machine, date, scale, row counts, timings, targets."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench.run`); every ratio is computed from timings",
        "of the same run: the baseline's seconds divided by the benchmark's (above 1 means",
        "faster than the baseline). Timings are the best of N runs after a warm-up.",
        "",
        f"Run: {when:%Y-%m-%d %H:%M %Z}, scale {scale:g}, one-minute load average at the end",
        f"{load:.1f} (other work on the machine slows every engine alike, not equally).",
        "",
        "## Machine",
        "",
        *[f"- {label}: {value}" for label, value in host.rows()],
        "",
        "## Data",
        "",
        "| table | rows |",
        "|---|---:|",
        *[f"| {name} | {count:,} |" for name, count in rows.items()],
        f"| total | {sum(rows.values()):,} |",
        "",
        "## Results",
        "",
        *_table_lines(results),
        "",
        "## Targets (issues 4-7)",
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        *[
            f"| {what} | {measured} | {'yes' if met else 'no'} |"
            for what, met, measured in targets(results)
        ],
        "",
        *notes(),
    ]
    return "\n".join(lines)


def _print(console: Console, results: Sequence[Result]) -> None:
    table = Table(title="Likvärd benchmarks")
    for header in ("benchmark", "rows", "seconds", "rows/s", "× pandas", "× scan"):
        table.add_column(header, justify="left" if header == "benchmark" else "right")
    for r in results:
        table.add_row(
            str(r["name"]),
            f"{r['rows']:,}",
            f"{float(r['seconds']):.3f}",  # type: ignore[arg-type]
            f"{float(r['rows_per_second']):,.0f}",  # type: ignore[arg-type]
            _ratio(r.get("ratio_pandas")),
            _ratio(r.get("ratio_scan")),
        )
    console.print(table)


def _write(results: Sequence[Result], *, scale: float, out_dir: Path, target: Path) -> None:
    """Write the report (after each module, so a long run leaves its finished part)."""
    with national_snapshot(scale, out_dir=out_dir) as snapshot:
        rows = table_rows(snapshot)
    text = report(
        with_ratios(results),
        scale=scale,
        rows=rows,
        host=machine(),
        load=load_average(),
        when=dt.datetime.now(dt.UTC),
    )
    target.write_text(text, encoding="utf-8")
    raw = out_dir / f"results-{scale:g}.json"
    raw.write_text(json.dumps(list(results), indent=1, default=str), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--only", choices=MODULES, action="append", help="run only this module (repeatable)"
    )
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--report", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    console = Console()
    results: list[Result] = []
    for name in available_modules(args.only):
        console.print(f"[bold]{name}[/bold] at scale {args.scale:g} ...")
        results.extend(_run_module(name, args.scale, args.out_dir))
        _write(results, scale=args.scale, out_dir=args.out_dir, target=args.report)
    results = with_ratios(results)
    _print(console, results)
    for what, met, measured in targets(results):
        console.print(f"{'met' if met else 'NOT met'}: {what} ({measured})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
