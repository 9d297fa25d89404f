"""Run the benchmarks at a scale and write BENCHMARKS.md: ``python -m bench.run [--scale 1.0]``.

Each benchmark module ``bench.<name>`` exposes ``run(snapshot, scale) -> list[dict]`` with
``name``, ``seconds`` and ``rows`` per measurement; a measurement may name its baselines in
the same run (``pandas``, ``sql``, ``scan``; ``harness.compare`` times them alike and checks
their outputs equal). A ratio is always the baseline's seconds divided by the measurement's
(above 1: faster than the baseline), computed here from this run's timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import inspect
import json
import re
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import harness
from bench.harness import (
    BASELINES,
    OUT_DIR,
    REPO,
    Machine,
    load_average,
    machine,
    national_snapshot,
    table_rows,
)

ORDER = ("ingest", "equity", "quality", "movement", "keys")
"""Modules that run first, in this order; any other ``bench/<name>.py`` with ``run`` follows."""

Result = dict[str, object]
BENCH_DIR = Path(__file__).resolve().parent
_SKIP = {"__init__", "harness", "run"}
_RUN = re.compile(r"^def run\(\s*snapshot", re.MULTILINE)


def discovered_modules() -> list[str]:
    """Every benchmark module: a ``bench/<name>.py`` whose ``run`` takes the national snapshot
    (``load`` and ``kolada`` run against a live server and write their own sections)."""
    names = sorted(p.stem for p in BENCH_DIR.glob("*.py") if p.stem not in _SKIP)
    found = [n for n in names if _RUN.search((BENCH_DIR / f"{n}.py").read_text("utf-8"))]
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


MODULES = tuple(discovered_modules())
"""Benchmark modules, run in this order."""


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
        for baseline in BASELINES:
            other = result.get(baseline)
            if isinstance(other, str) and other in seconds and own > 0:
                row[f"ratio_{baseline}"] = seconds[other] / own
        out.append(row)
    return out


def module_targets(name: str, results: Sequence[Result]) -> list[tuple[str, bool, str]]:
    """The targets module ``name`` defines (``targets(results)``), evaluated on its results."""
    module = importlib.import_module(f"bench.{name}")
    if not hasattr(module, "targets"):
        return []
    return list(module.targets(list(results)))


def targets(results: Sequence[Result]) -> list[tuple[str, bool, str]]:
    """Every module's targets on this run."""
    checks: list[tuple[str, bool, str]] = []
    for name in MODULES:
        mine = [r for r in results if str(r["name"]).split(".")[0] == name]
        if mine:
            checks.extend(module_targets(name, mine))
    return checks


def module_notes(name: str) -> str:
    """The module's ``NOTES`` paragraph (or its docstring as one paragraph)."""
    module = importlib.import_module(f"bench.{name}")
    text = getattr(module, "NOTES", None) or module.__doc__ or ""
    return " ".join(str(text).split())


def _ratio(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else ""


HEADER = (
    "| benchmark | rows | seconds | rows/s | ratio to pandas | ratio to DuckDB SQL "
    "| ratio to bare scan |"
)


def _line(r: Result) -> str:
    seconds = float(r["seconds"])  # type: ignore[arg-type]
    rate = float(r["rows_per_second"])  # type: ignore[arg-type]
    return (
        f"| {r['name']} | {r['rows']:,} | {seconds:.3f} | {rate:,.0f} | "
        f"{_ratio(r.get('ratio_pandas'))} | {_ratio(r.get('ratio_sql'))} | "
        f"{_ratio(r.get('ratio_scan'))} |"
    )


def _table_lines(results: Sequence[Result]) -> list[str]:
    return [HEADER, "|---|---:|---:|---:|---:|---:|---:|", *[_line(r) for r in results]]


def _begin(name: str) -> str:
    return f"<!-- bench:{name} -->"


def _end(name: str) -> str:
    return f"<!-- /bench:{name} -->"


def module_section(name: str, results: Sequence[Result], *, load: float, when: dt.datetime) -> str:
    """One module's part of BENCHMARKS.md: when it ran, its table, its targets, its notes."""
    rows = with_ratios(results)
    checks = module_targets(name, rows)
    lines = [
        _begin(name),
        f"## {name}",
        "",
        f"Run: {when:%Y-%m-%d %H:%M %Z}; one-minute load average after it {load:.1f}.",
        "",
        *_table_lines(rows),
        "",
    ]
    if checks:
        lines += [
            "| target | measured | met |",
            "|---|---:|---|",
            *[f"| {what} | {measured} | {'yes' if met else 'no'} |" for what, met, measured
              in checks],
            "",
        ]  # fmt: skip
    notes = module_notes(name)
    if notes:
        lines += [f"What is measured: {notes}", ""]
    lines.append(_end(name))
    return "\n".join(lines)


KEPT = "<!-- Measured outside make bench (a live server, the demo); kept by it. -->"
"""Everything after this line of the previous report is kept as it is."""


def kept_tail(previous: str) -> str:
    """The hand-run sections at the end of an earlier report (after ``KEPT``), or nothing."""
    return previous[previous.index(KEPT) :].rstrip() + "\n" if KEPT in previous else ""


def kept_sections(previous: str) -> dict[str, str]:
    """The module sections of an earlier report, by module name."""
    sections: dict[str, str] = {}
    for name in MODULES:
        begin, end = _begin(name), _end(name)
        if begin in previous and end in previous:
            start = previous.index(begin)
            sections[name] = previous[start : previous.index(end, start) + len(end)]
    return sections


def report(
    sections: dict[str, str],
    *,
    scale: float,
    rows: dict[str, int],
    host: Machine,
    tail: str = "",
) -> str:
    """BENCHMARKS.md as Markdown: how to read it, machine, data, then one section per module."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench.run`; `--only NAME` reruns one module and",
        "keeps the others' sections). Each module's section comes from one run of that module:",
        "the product's computation and its baselines are timed in that run, each with the same",
        "untimed warm-up and the best of the same N runs, and the baselines' outputs are",
        "compared with the product's in full (every row and column) before any ratio is",
        "written. A ratio is the baseline's seconds divided by the benchmark's (above 1 means",
        "faster than the baseline). Baselines: a pandas reference, the same computation",
        "written as plain DuckDB SQL as an analyst would write it, and DuckDB's bare scan of",
        "exactly the rows and columns the computation reads. Figures from kept (precomputed)",
        "tables are never given as ratios to a computation from the raw files.",
        "",
        f"Scale {scale:g} of the synthetic national data set (`likvard generate`).",
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
    ]
    for name in MODULES:
        if name in sections:
            lines += [sections[name], ""]
    if tail:
        lines.append(tail)
    return "\n".join(lines)


def _print(console: Console, results: Sequence[Result]) -> None:
    table = Table(title="Likvärd benchmarks")
    for header in ("benchmark", "rows", "seconds", "rows/s", "× pandas", "× SQL", "× scan"):
        table.add_column(header, justify="left" if header == "benchmark" else "right")
    for r in results:
        table.add_row(
            str(r["name"]),
            f"{r['rows']:,}",
            f"{float(r['seconds']):.3f}",  # type: ignore[arg-type]
            f"{float(r['rows_per_second']):,.0f}",  # type: ignore[arg-type]
            _ratio(r.get("ratio_pandas")),
            _ratio(r.get("ratio_sql")),
            _ratio(r.get("ratio_scan")),
        )
    console.print(table)


def _write(
    sections: dict[str, str], *, scale: float, out_dir: Path, target: Path, tail: str
) -> None:
    """Write the report (after each module, so a long run leaves its finished part)."""
    with national_snapshot(scale, out_dir=out_dir) as snapshot:
        rows = table_rows(snapshot)
    text = report(sections, scale=scale, rows=rows, host=machine(), tail=tail)
    target.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--only", choices=MODULES, action="append", help="run only this module (repeatable)"
    )
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--report", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument(
        "--max-repeat", type=int, help="at most N timed runs per engine (a quick check)"
    )
    args = parser.parse_args(argv)
    with harness.max_repeat(args.max_repeat):
        _run(args)
    return 0


def _run(args: argparse.Namespace) -> None:
    """Run the modules ``args`` names, write the report, print the table and the targets."""
    console = Console()
    previous = args.report.read_text("utf-8") if args.report.exists() else ""
    sections = kept_sections(previous)
    tail = kept_tail(previous)
    results: list[Result] = []
    for name in available_modules(args.only):
        console.print(f"[bold]{name}[/bold] at scale {args.scale:g} ...")
        mine = _run_module(name, args.scale, args.out_dir)
        results.extend(mine)
        sections[name] = module_section(
            name, mine, load=load_average(), when=dt.datetime.now(dt.UTC)
        )
        raw = args.out_dir / f"results-{name}-{args.scale:g}.json"
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.write_text(json.dumps(mine, indent=1, default=str), encoding="utf-8")
        _write(sections, scale=args.scale, out_dir=args.out_dir, target=args.report, tail=tail)
    results = with_ratios(results)
    _print(console, results)
    for what, met, measured in targets(results):
        console.print(f"{'met' if met else 'NOT met'}: {what} ({measured})")


if __name__ == "__main__":
    raise SystemExit(main())
