"""Every page of the demo, warm: ``python -m bench.pages [--roles analytiker,admin]``.

Issue #16 asks for "under 300 ms for every page of the demo, warm". This signs in as each demo
role (in process, Django's test client on the demo's data folder: no server, no network), finds
the pages the browser walk visits (``tests/browser/test_walk.py``: from the start page, links of
depth up to ``DEPTH``, at most ``PER_KIND`` pages of one URL name, the same skipped links), GETs
each page once to warm it, then times ``--repeat`` more GETs and prints their median (p50) and
slowest (max) as a Markdown row with the load average at that moment. Server-side time: the
view, the templates and the middleware, not the browser's drawing. Run it through
``/work/tools/heavy`` on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
LIMIT_MS = 300.0


def _walk_rules() -> tuple[tuple[str, ...], int, int, re.Pattern[str]]:
    """ROLES, DEPTH, PER_KIND and SKIP of the browser walk (one list of pages for both)."""
    sys.path.insert(0, str(REPO))
    from tests.browser.test_walk import DEPTH, PER_KIND, ROLES, SKIP  # noqa: PLC0415

    return ROLES, DEPTH, PER_KIND, SKIP


def _links(html: str, skip: re.Pattern[str]) -> list[str]:
    paths = []
    for href in HREF.findall(html):
        if href.startswith(("#", "mailto:", "http")):
            continue
        path = urlsplit(href.replace("&amp;", "&")).path
        if path.startswith("/") and not skip.search(path):
            paths.append(path)
    return paths


def _get(client: object, path: str) -> tuple[int, float, str]:
    start = time.perf_counter()
    response = client.get(path)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    html = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
    return int(response.status_code), seconds, html


def _role_rows(role: str, repeat: int) -> list[Row]:
    """(path, role, status, median ms, load) of every page ``role`` reaches."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.urls import Resolver404, resolve  # noqa: PLC0415

    _roles, depth_max, per_kind, skip = _walk_rules()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=role))
    queue: list[tuple[str, int]] = [("/", 0)]
    done: set[str] = set()
    kinds: Counter[str] = Counter()
    rows = []
    while queue:
        path, depth = queue.pop(0)
        if path in done:
            continue
        try:
            kind = resolve(path).view_name
        except Resolver404:
            kind = path
        if kinds[kind] == per_kind:
            continue
        kinds[kind] += 1
        done.add(path)
        status, _first, html = _get(client, path)  # warms the page (and its kept parts)
        times = [_get(client, path)[1] for _ in range(repeat)]
        rows.append(_row(path, role, status, times))
        print(_line(rows[-1]), flush=True)
        if depth < depth_max:
            queue.extend((p, depth + 1) for p in _links(html, skip))
    return rows


def _path_rows(role: str, paths: Sequence[str], repeat: int) -> list[Row]:
    """(path, role, status, median ms, load) of exactly ``paths``, each warmed by one GET."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=role))
    rows = []
    for path in paths:
        status, first, _html = _get(client, path)
        times = [_get(client, path)[1] for _ in range(repeat)]
        rows.append(_row(path, role, status, times))
        print(f"{_line(rows[-1])} first {first * 1000:.0f} ms", flush=True)
    return rows


Row = tuple[str, str, int, float, float, float]
"""(path, role, status, median ms, load, max ms) of one page visit."""


def _row(path: str, role: str, status: int, times: Sequence[float]) -> Row:
    median, slowest = statistics.median(times) * 1000, max(times) * 1000
    return (path, role, status, median, os.getloadavg()[0], slowest)


def _line(row: Row) -> str:
    path, role, status, median, load, slowest = row
    return f"| {path} | {role} | {status} | {median:.0f} | {slowest:.0f} | {load:.1f} |"


def role_summary(rows: Sequence[Row], worst: int = 5) -> list[str]:
    """One Markdown row per role: pages, median of all pages' medians, pages above
    ``LIMIT_MS``, the ``worst`` slowest with their times, and the load range while timed."""
    lines = [
        "| role | pages | median of all (ms) | above 300 ms | worst five (ms) | load |",
        "|---|---:|---:|---:|---|---|",
    ]
    for role in dict.fromkeys(row[1] for row in rows):
        own = [row for row in rows if row[1] == role]
        times = [row[3] for row in own]
        slowest = sorted(own, key=lambda r: -r[3])[:worst]
        named = ", ".join(f"{row[0]} {row[3]:.0f}" for row in slowest)
        loads = [row[4] for row in own]
        lines.append(
            f"| {role} | {len(own)} | {statistics.median(times):.0f} |"
            f" {sum(t > LIMIT_MS for t in times)} | {named} |"
            f" {min(loads):.1f}-{max(loads):.1f} |"
        )
    return lines


def parsed(lines: Sequence[str]) -> list[Row]:
    """The page rows of an earlier run's output (``| page | role | status | p50 | max | load |``,
    or without ``max`` from runs before it was printed: then max is the median)."""
    rows: list[Row] = []
    for line in lines:
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 7 or not cells[1].startswith("/"):  # a page row
            continue
        median = float(cells[4])
        if cells[6] and cells[6][0].isdigit():  # six columns: p50, max, load
            rows.append((cells[1], cells[2], int(cells[3]), median, float(cells[6]),
                         float(cells[5])))  # fmt: skip
        else:
            rows.append((cells[1], cells[2], int(cells[3]), median, float(cells[5]), median))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print one Markdown row per page and role, then the pages above ``LIMIT_MS``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--roles", default="", help="Comma-separated demo users (default all).")
    parser.add_argument("--repeat", type=int, default=5, help="Timed GETs per page.")
    parser.add_argument(
        "--paths", default="", help="Comma-separated pages to time instead of the walk."
    )
    parser.add_argument(
        "--summarise", default="", help="Print only the per-role summary of an earlier output."
    )
    args = parser.parse_args(argv)
    if args.summarise:
        lines = Path(args.summarise).read_text(encoding="utf-8").splitlines()
        print("\n".join(role_summary(parsed(lines))))
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "likvard.settings.dev")
    import django  # noqa: PLC0415

    django.setup()
    roles = [r for r in args.roles.split(",") if r] or list(_walk_rules()[0])
    print(f"cores: {os.cpu_count()}, load before: {os.getloadavg()[0]:.1f}")
    print("| page | role | status | p50 ms (warm) | max ms (warm) | load |")
    print("|---|---|---:|---:|---:|---:|")
    paths = [p for p in args.paths.split(",") if p]
    if paths:
        rows = [row for role in roles for row in _path_rows(role, paths, args.repeat)]
    else:
        rows = [row for role in roles for row in _role_rows(role, args.repeat)]
    slow = [row for row in rows if row[3] > LIMIT_MS]
    print(f"\n{len(rows)} page visits, {len(slow)} above {LIMIT_MS:.0f} ms warm:")
    for path, role, _status, median, load, slowest in sorted(slow, key=lambda r: -r[3]):
        print(f"- {path} ({role}): {median:.0f} ms (max {slowest:.0f}) at load {load:.1f}")
    print()
    print("\n".join(role_summary(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
