"""A bounded load test of a running Likvärd: ``python -m bench.load --base http://127.0.0.1:8107``.

Signs in N clients (default 50; each its own session, demo users, password ``likvard-demo``),
then for each page lets all of them request it back to back, without pause, for a fixed time,
and reports p50/p95/max and requests per second. ``--think 1,3`` makes them users instead: each
waits a random 1-3 s between its requests (as locust's default user between tasks), so the
numbers are a page's response time at that many users rather than the length of a queue.
Plain asyncio over loopback (one connection per request, ``Connection: close``): no dependency
beyond the standard library. Start the demo first (``likvard serve``); the numbers are the
server's, on whatever else the machine does (the load average is printed with them).
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import os
import random
import re
import statistics
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

PASSWORD = "likvard-demo"  # noqa: S105 (the demo users' published password)

PAGES: list[tuple[str, str, str]] = [  # (name, user, path)
    ("GR dependency map", "samordnare", "/elevstrommar/region/gr/"),
    ("school equity page", "rektor", "/likvardig-betygssattning/skolenhet/41358402/"),
    ("GR equity page", "samordnare", "/likvardig-betygssattning/region/gr/"),
    ("analysis basis", "analytiker", "/kvalitet/analysunderlag/huvudman/2120001256/"),
    ("API: GR movement", "samordnare", "/api/v1/movement/regions/gr"),
]
"""Who reads what: the coordinator (no rights to student-level data) is served kept, rendered
fragments; the principal and the organizer's analyst read their own figures in full, which
is audited on every request and so computed every time (ADR 0003)."""


@dataclass
class Result:
    """One page's timings under load."""

    name: str
    clients: int
    seconds: float
    latencies: list[float]
    errors: int

    def row(self) -> str:
        """A Markdown table row: page, clients, requests, req/s, p50, p95, max (ms), errors."""
        ordered = sorted(self.latencies) or [0.0]
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return (
            f"| {self.name} | {self.clients} | {len(self.latencies)} | "
            f"{len(self.latencies) / self.seconds:.1f} | {statistics.median(ordered) * 1000:.0f} | "
            f"{p95 * 1000:.0f} | {ordered[-1] * 1000:.0f} | {self.errors} |"
        )


def sign_in(base: str, username: str) -> str:
    """A session cookie header for ``username`` (through the sign-in form, with its CSRF)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = base + "/konto/logga-in/"
    page = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(url, data=form, headers={"Referer": url})  # noqa: S310
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"{username} could not sign in")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


async def fetch(host: str, port: int, path: str, cookie: str) -> int:
    """GET ``path``; returns the status code (reads the whole response)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0


async def load(
    host: str,
    port: int,
    path: str,
    *,
    cookies: list[str],
    seconds: float,
    name: str,
    think: tuple[float, float] | None = None,
) -> Result:
    """Every client requests ``path`` for ``seconds``, back to back or with a random think time
    between ``think`` seconds after each answer (starting at random within the first one);
    collects latencies."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    chance = random.Random(2026)  # noqa: S311 (spreading requests, not secrets)

    async def client(cookie: str) -> None:
        nonlocal errors
        if think:
            await asyncio.sleep(chance.uniform(0, think[1]))
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status = await fetch(host, port, path, cookie)
            if status == 200:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1
            if think:
                await asyncio.sleep(chance.uniform(*think))

    started = time.monotonic()
    await asyncio.gather(*(client(cookie) for cookie in cookies))
    return Result(name, len(cookies), time.monotonic() - started, latencies, errors)


def alone_row(host: str, port: int, path: str, *, cookie: str, name: str, times: int) -> str:
    """The row of one client requesting ``path`` ``times`` times, one after the other."""
    latencies: list[float] = []
    errors = 0
    started = time.monotonic()
    for _ in range(times):
        start = time.perf_counter()
        if asyncio.run(fetch(host, port, path, cookie)) == 200:
            latencies.append(time.perf_counter() - start)
        else:
            errors += 1
    return Result(name, 1, time.monotonic() - started, latencies, errors).row()


def main() -> None:
    """Sign in, warm each page once, load each page in turn, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--alone", type=int, default=5, help="Requests by one client first.")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--think", default="", help="MIN,MAX seconds each user waits between requests."
    )
    parser.add_argument("--only", default="", help="Pages whose name contains this text.")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(",")) if args.think else None
    parsed = urllib.parse.urlparse(args.base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    sessions: dict[str, list[str]] = {}
    for user in sorted({user for name, user, _path in PAGES if args.only in name}):
        sessions[user] = [sign_in(args.base, user) for _ in range(args.clients)]
    mode = f"think {args.think} s" if think else "no pause"
    print(f"load average before: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()}), {mode}")
    print("| page | clients | requests | req/s | p50 ms | p95 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, user, path in PAGES:
        if args.only and args.only not in name:
            continue
        alone = [asyncio.run(fetch(host, port, path, sessions[user][0])) for _ in range(2)]
        if alone[-1] != 200:
            print(f"| {name} | - | - | - | - | - | - | status {alone[-1]} |")
            continue
        if args.alone:
            cookie = sessions[user][0]
            print(alone_row(host, port, path, cookie=cookie, name=name, times=args.alone))
        result = asyncio.run(
            load(
                host,
                port,
                path,
                cookies=sessions[user],
                seconds=args.seconds,
                name=name,
                think=think,  # type: ignore[arg-type]
            )
        )
        print(result.row(), flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
