"""First requests after a data version: ``python -m bench.first_request --base URL``.

Times each page's first request and then two more (a server's web processes each answer one
of them), signed in as the demo users who open them. Run it right after a new data version is
complete (``/halsa/`` says ``"warming": false``) to see what the first visitor waits for.
The numbers are the server's, on whatever else the machine does (load average printed).
"""

from __future__ import annotations

import argparse
import os
import time
import urllib.parse
import urllib.request

from bench.load import sign_in

PAGES: list[tuple[str, str, str]] = [  # (name, user or "" for none, path)
    ("equity region page (GR)", "samordnare", "/likvardig-betygssattning/region/gr/"),
    ("movement region page (GR)", "samordnare", "/elevstrommar/region/gr/"),
    ("completion region page (GR)", "samordnare", "/fullfoljda-studier/region/gr/"),
    ("Kolada v3 data (N15504, GR)", "", "/kolada/v3/data/kpi/N15504/municipality/LVGR"),
    ("open data CSV (newest year)", "", "/oppna-data/analysunderlag/{year}.csv"),
    ("analysis basis (GR region)", "samordnare", "/kvalitet/analysunderlag/region/gr/"),
]


PREPARING = (b'id="basis-preparing"', b'id="completion-preparing"')
"""What a page answers while the task worker prepares its figures (a notice that polls)."""


def timed(base: str, path: str, cookie: str) -> tuple[int, float, bool]:
    """GET ``base + path`` with ``cookie``; (status, seconds, whether it answered that its
    figures are being prepared rather than with them)."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    start = time.perf_counter()
    body = b""
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
            body = answer.read()
            status = int(answer.status)
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start, any(mark in body for mark in PREPARING)


def main() -> None:
    """Sign in, request every page three times, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--year", type=int, default=2025, help="School year of the open data.")
    args = parser.parse_args()
    cookies = {user: sign_in(args.base, user) for _n, user, _p in PAGES if user}
    print(f"load average before: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print("| page | status | first s | second s | third s |")
    print("|---|---:|---:|---:|---:|")
    for name, user, path in PAGES:
        target = path.format(year=args.year)
        times = [timed(args.base, target, cookies.get(user, "")) for _ in range(3)]
        status = times[0][0]
        cells = " | ".join(f"{seconds:.2f}{'*' if wait else ''}" for _s, seconds, wait in times)
        print(f"| {name} | {status} | {cells} |", flush=True)
    print("(* the page said its figures are being prepared: the task worker computes them)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
