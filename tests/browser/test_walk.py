"""The screenshot review: every page reachable from the menu, for every role, at 1280 and 390 px.

A small world from the factories (two organizers in one region, students with grades and tests,
published statistics; ``tests.app.analyses.conftest.warehouse``; Gymnasienätverket with a
published and a draft meeting), not the demo. For each role the walk signs in (one browser, a
context per role), collects the menu's and footer's pages and the pages they and the start page
link to (one step further, same site, no downloads; ``SEEDS`` for pages deeper down; at most
``PER_KIND`` pages of one kind), and visits every one of them as that role (issue #16: every
page x role x width):

- fails on an HTTP error, on English UI text (any msgid of the Swedish catalogues shown
  untranslated) and on code words (``CODE_WORDS``: column names, Python values, "Kommunen
  1384" ...),
- runs axe-core at 1280 px and again at 390 px,
- fails when the page scrolls sideways at 1280 or 390 px,
- saves a screenshot at both widths to ``LIKVARD_SCREENSHOTS``/walk (CI keeps them as artefacts).

Where the time goes (measured, issue #16): axe-core was a third of the walk, the page loads (the
server's rendering and the browser's drawing) a quarter, the screenshots a seventh. So a page
that several roles reach is loaded for each of them (the server's page cache renders it once per
rights class) and measured at both widths for sideways scrolling, but what depends only on what
it shows is done once per distinct content: axe-core, the text checks and the screenshots run on
a page when its main part (``<main>`` with the title, less the CSRF token) or its header and
footer (the role's menu) have not been checked before; ``summary.txt`` names, for every other
visit, the screenshot that shows it. axe-core reports violations only (``resultTypes``: it then
skips gathering every passing node) and checks colour contrast at 1280 px only (half its time;
a narrower screen changes which parts show and scroll, not their colours). Screenshots are
JPEG (half the time of PNG). ``summary.txt`` also lists the time per phase.

Every problem of the walk is collected and reported together. Pages of other areas that are known
to fail today are listed in ``KNOWN`` with the area that owns them; delete an entry when its page
is fixed (the test then keeps it fixed).
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError

from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import AXE_TAGS, SCREENSHOTS, AxePage, axe_context
from tests.conftest import REPO
from tests.factories.networks import ROUTE_MEETING_DRAFT, route_matrix_networks

ROLES = ("analytiker", "samordnare", "rektor", "sekreterare", "medlem", "admin")
"""One user per role of ``tests.app.conftest.world`` (the second analyst sees what the first
does, for another organizer)."""

WIDTHS = (1280, 390)
PER_KIND = 2
"""Pages of one kind (one URL name: a school unit, an import type, a batch) walked per role: two
show both a page of one's own and another's (say an organizer's komvux page) without walking
all nine import types or every batch of the import history."""
MAX_PAGES_PER_ROLE = 80
"""More than any role reaches in the small world (the walk fails when a role reaches more, so
that no page is left out unnoticed)."""
DEPTH = 2
"""The start page is 0, the menu and the start page's links 1, the pages they link to 2."""
SKIP = re.compile(
    r"^/(api|admin|static|konto/logga-ut|kolada)/|\.(pdf|xlsx|pptx|docx|csv|png|json|jsonld|md|atom|parquet)$|/(pdf|xlsx|pptx|docx)/$"
)
"""Links the walk does not follow: the API, Django's admin, sign-out, downloads and the
Kolada-compatible JSON API that the open-data page links to."""
SEEDS: dict[str, tuple[str, ...]] = {
    "sekreterare": (f"/natverk/moten/{ROUTE_MEETING_DRAFT}/",),
}
"""Pages past the walk's depth, walked from the start (``route_matrix_networks``'s meetings:
the meeting page, and its agenda item, attendance and checking pages one step on)."""

CODE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # (a file name such as final_grades.csv is data, not a code)
        ("snake_case identifier", r"\b[a-z]+(?:_[a-z0-9]+)+\b(?!\.[a-z]{2,7}\b)"),
        ("None", r"\bNone\b"),
        ("True", r"\bTrue\b"),
        ("False", r"\bFalse\b"),
        ("nan", r"\bnan\b"),
        ("const", r"\bconst\b"),
        ("regionen <code>", r"\b[Rr]egionen (?:gr|skaraborg|region\d+)\b"),
        ("Kommunen <code>", r"\bKommunen \d{4}\b"),
        ("Huvudman <code>", r"\bHuvudman \d{10}\b"),
        ("dotted code", r"\b(?:quality|equity|adjusted|movement|planning)\.[a-z_.]+\b"),
        ("catalogue.json", r"\bcatalogue\.json\b"),
        ("year with a thousands space", r"\b(?:19|20)\d\d\b.{0,3}\b2 0\d\d\b|\b2 0\d\d\s*[–-]"),
    )
)
"""Strings that show a code where a person expects a name."""

KNOWN: dict[str, tuple[str, str]] = {
    # "<path regex> :: <start of the problem>": (owner area, what is wrong), from the walk of
    # 2026-12-05. Remove an entry when its page is fixed; the walk warns about entries it no
    # longer needs (summary.txt), and then keeps the page fixed.
}


def _catalogue_strings() -> list[str]:
    """English msgids with a different Swedish text, from every catalogue: none may show."""
    strings: set[str] = set()
    for po in REPO.glob("src/likvard/**/locale/sv/LC_MESSAGES/django.po"):
        strings.update(
            e.msgid
            for e in polib.pofile(str(po))
            if e.msgstr
            and e.msgstr != e.msgid
            and len(e.msgid) > 12
            and " " in e.msgid
            and "%(" not in e.msgid
            and "<" not in e.msgid
        )
    return sorted(strings)


@dataclass
class Walk:
    """What the walk saw: pages per role, problems (new and known), time."""

    base: str
    english: list[str]
    problems: list[str] = field(default_factory=list)
    known_seen: set[str] = field(default_factory=set)
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    """Signatures of the main parts and of the headers and footers checked already."""
    shown_as: dict[str, str] = field(default_factory=dict)
    """The screenshot (role and page) of each main part, by its signature."""
    axe_runs: int = 0

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.monotonic() - start

    def summary(self) -> str:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(self.seconds.items()))
        return (
            f"{self.pages} pages x roles, {len(WIDTHS)} widths each; axe-core and text checks"
            f" on {self.axe_runs} distinct ({phases})\n" + "\n".join(self.visited)
        )

    def report(self, role: str, path: str, problem: str) -> None:
        key = f"{path} :: {problem}"
        for pattern in KNOWN:
            page_pattern, _, known_problem = pattern.partition(" :: ")
            if re.fullmatch(page_pattern, path) and problem.startswith(known_problem):
                self.known_seen.add(pattern)
                return
        self.problems.append(f"{role} {key}")


@pytest.fixture(autouse=True, scope="module")
def _urlconf_imported() -> None:
    assert get_resolver().url_patterns


def _sign_in(context: BrowserContext, base: str, user: User) -> None:
    """Sign ``user`` in by a session cookie (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def _links(page: AxePage, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(a => a.getAttribute('href'))")
    return _paths(hrefs)


def _paths(hrefs: list[str | None]) -> list[str]:
    paths = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "http")):
            continue
        path = urlsplit(href).path
        if path.startswith("/") and not SKIP.search(path):
            paths.append(path)
    return paths


PROGRESS = (
    Path(os.environ["LIKVARD_WALK_PROGRESS"]) if "LIKVARD_WALK_PROGRESS" in os.environ else None
)
"""A file to follow the walk in (each page as it is visited), for measuring it."""

SIGNATURES = """() => {
  const hash = text => {  // cyrb53: a fast 53-bit string hash
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  };
  const clean = html => html.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "");
  const main = document.querySelector("main");
  const chrome = [...document.querySelectorAll("body > header, body > footer, header, footer")]
    .filter(e => !main || !main.contains(e)).map(e => e.outerHTML).join("");
  return ["main:" + hash(document.title + clean(main ? main.outerHTML : document.body.outerHTML)),
          "chrome:" + hash(clean(chrome).replace(/ aria-current="page"/g, ""))];
}"""
"""The signatures of a page's main part (with its title) and of its header and footer (the
role's menu, whichever of its entries is the current one)."""

SETTLE = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))"
"""Wait for a frame after a resize (the charts draw themselves to their new width)."""

AXE_VIOLATIONS = """([tags, contrast]) => axe.run(document, {
  runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  rules: {"color-contrast": {enabled: contrast}}})"""
"""axe-core's check, violations only; colour contrast (half of axe-core's time) only at the
first width: what a narrower screen changes is which parts show and scroll, not their colours."""


def _axe(walk: Walk, page: AxePage, role: str, path: str, width: int) -> None:
    """Run axe-core on the page as shown; report its violations."""
    with walk.timed("axe"):
        for attempt in range(3):  # a page may reload once (htmx, when a background job ends)
            try:
                result = page.evaluate(AXE_VIOLATIONS, [AXE_TAGS, width == WIDTHS[0]])
                break
            except PlaywrightError as error:
                if "context was destroyed" not in str(error) or attempt == 2:
                    raise
                page.wait_for_load_state("load")
    for v in result["violations"]:
        targets = [n["target"] for n in v["nodes"][:3]]
        walk.report(
            role, path, f"axe at {width} px: {v['id']}: {v['help']} ({len(v['nodes'])}: {targets})"
        )


def _kind(path: str) -> str:
    """The URL name of ``path`` (the path itself when it names no view)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def _check_text(walk: Walk, role: str, path: str, text: str) -> None:
    for english in walk.english:
        if english in text:
            walk.report(role, path, f"English: {english}")
    for name, pattern in CODE_WORDS:
        for match in sorted(set(pattern.findall(text)))[:5]:
            walk.report(role, path, f"code word ({name}): {match}")


def _visit(walk: Walk, page: AxePage, role: str, path: str) -> list[str]:
    """Check one page at both widths; return the links in its header, main part and footer."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    with walk.timed("load"):
        response = page.raw.goto(walk.base + path, wait_until="load")
    if response is not None and response.status >= 400:
        walk.report(role, path, f"HTTP {response.status}")
    walk.pages += 1
    name = f"{role}-" + (re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "start")
    with walk.timed("signature"):
        main, chrome = page.evaluate(SIGNATURES)
    fresh = not {main, chrome} <= walk.checked  # a new main part, or new header and footer
    walk.checked |= {main, chrome}
    walk.shown_as.setdefault(main, name)
    walk.visited.append(f"{role} {path}" + ("" if fresh else f"  (as {walk.shown_as[main]})"))
    if PROGRESS:
        with PROGRESS.open("a", encoding="utf-8") as progress:
            progress.write(f"{walk.pages} {role} {path} {walk.summary().splitlines()[0]}\n")
    if fresh:
        walk.axe_runs += 1
        with walk.timed("text"):
            _check_text(walk, role, path, page.locator("body").inner_text())
    for width in WIDTHS:
        if width != WIDTHS[0]:
            with walk.timed("resize"):
                page.set_viewport_size({"width": width, "height": 900})
                page.evaluate(SETTLE)
        if fresh:
            _axe(walk, page, role, path, width)
        scroll, height = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        if scroll > width + 1:
            walk.report(role, path, f"scrolls sideways at {width} px ({scroll} px wide)")
        if fresh:  # else the page looks as the screenshot named in summary.txt
            with walk.timed("screenshots"):
                page.screenshot(  # JPEG: half the time of a PNG, and readable
                    path=str(SCREENSHOTS / "walk" / f"{name}-{width}.jpeg"),
                    full_page=height < 8000,
                    type="jpeg",
                    quality=80,
                )
    return _links(page, "header nav a, main a, footer a")


def test_walk_every_page_for_every_role(live_server, warehouse: World, browser: Browser):  # noqa: F811
    walk = Walk(base=live_server.url, english=_catalogue_strings())
    route_matrix_networks(warehouse.region, warehouse.users)  # a network with its meetings
    SCREENSHOTS.joinpath("walk").mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        context = axe_context(browser)
        context.set_default_timeout(120_000)  # a cold analysis page on a busy machine
        page = AxePage(context.new_page())
        try:
            with walk.timed("sign-in"):
                _sign_in(context, walk.base, User.objects.get(username=role))
            queue = [("/", 0)] + [(path, 1) for path in SEEDS.get(role, ())]
            done: set[str] = set()
            kinds: Counter[str] = Counter()
            while queue:
                path, depth = queue.pop(0)
                if path in done:
                    continue
                kind = _kind(path)
                if kinds[kind] == PER_KIND:
                    continue
                kinds[kind] += 1
                if len(done) == MAX_PAGES_PER_ROLE:
                    walk.problems.append(f"{role} reaches more than {MAX_PAGES_PER_ROLE} pages")
                    break
                done.add(path)
                found = _visit(walk, page, role, path)
                if depth < DEPTH:
                    queue.extend((p, depth + 1) for p in found)
        finally:
            context.close()
    (SCREENSHOTS / "walk" / "summary.txt").write_text(
        f"{walk.summary()}\n\nProblems:\n"
        + "\n".join(walk.problems)
        + "\n\nKnown (other areas):\n"
        + "\n".join(f"{k}  [{v[0]}] {v[1]}" for k, v in KNOWN.items() if k in walk.known_seen)
        + "\n",
        encoding="utf-8",
    )
    stale = sorted(set(KNOWN) - walk.known_seen)
    for entry in stale:
        warnings.warn(f"the walk no longer needs KNOWN[{entry!r}]: remove it", stacklevel=1)
    assert not walk.problems, f"{len(walk.problems)} problems on {walk.summary()}\n" + "\n".join(
        walk.problems
    )
