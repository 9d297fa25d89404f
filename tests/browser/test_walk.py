"""The screenshot review: every page reachable from the menu, for each role, at 1280 and 390 px.

A small world from the factories (two organizers in one region, students with grades and tests,
published statistics; ``tests.app.analyses.conftest.warehouse``; Gymnasienätverket with a
published and a draft meeting), not the demo. For each role the
walk signs in, collects the menu's and footer's pages and the pages they and the start page link
to (one step further, same site, no downloads; ``SEEDS`` for pages deeper down), and on each page:

- runs axe-core (the ``page`` fixture's check) at 1280 px,
- fails on English UI text (any msgid of the Swedish catalogues shown untranslated) and on code
  words (``CODE_WORDS``: column names, Python values, "Kommunen 1384" ...),
- resizes to 390 px and fails when the page scrolls sideways,
- saves a screenshot at both widths to ``LIKVARD_SCREENSHOTS``/walk (CI keeps them as artefacts).

Every problem of the walk is collected and reported together. Pages of other areas that are known
to fail today are listed in ``KNOWN`` with the area that owns them; delete an entry when its page
is fixed (the test then keeps it fixed).
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from playwright.sync_api import Browser, BrowserContext

from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World, world  # noqa: F401  (fixture)
from tests.browser.conftest import SCREENSHOTS, AxePage, axe_context
from tests.conftest import REPO
from tests.factories.networks import ROUTE_MEETING_DRAFT, route_matrix_networks

ROLES = ("analytiker", "samordnare", "rektor", "sekreterare", "medlem", "admin")
"""One user per role of ``tests.app.conftest.world`` (the second analyst sees what the first
does, for another organizer). The organizer analyst goes first: they see the most pages with
figures in full."""

WIDTHS = (1280, 390)
MAX_PAGES_PER_ROLE = 40
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

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.monotonic() - start

    def summary(self) -> str:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(self.seconds.items()))
        return f"{self.pages} pages ({phases})\n" + "\n".join(self.visited)

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


def _links_in_html(page: AxePage, url: str) -> list[str]:
    """The links in the main part of ``url``, read without rendering it (the viewer's session)."""
    html = page.request.get(url).text()
    main = html[html.find("<main") :]
    nav = html[html.find("<header") : html.find("</header>")]
    footer = html[html.find("<footer") :]
    hrefs = re.findall(r'href="([^"]+)"', nav + main[: main.find("</main>")] + footer)
    return _paths(hrefs)


def _route(path: str, role: str) -> str:
    """The URL name of ``path``: each kind of page is walked once, by the first role that reaches
    it (the start page once per role), which keeps the walk near a minute."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return path
    return f"{name}:{role}" if name == "web:home" else name


def _check_text(walk: Walk, role: str, path: str, text: str) -> None:
    for english in walk.english:
        if english in text:
            walk.report(role, path, f"English: {english}")
    for name, pattern in CODE_WORDS:
        for match in sorted(set(pattern.findall(text)))[:5]:
            walk.report(role, path, f"code word ({name}): {match}")


def _visit(walk: Walk, page: AxePage, role: str, path: str) -> list[str]:
    """Check one page at both widths; return the links in its main part."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    with walk.timed("load"):
        response = page._page.goto(walk.base + path, wait_until="load")  # axe runs below
    with walk.timed("axe"):
        try:
            page.check()
        except AssertionError as error:  # axe-core found violations
            walk.report(role, path, "axe: " + str(error).split("\n", 1)[-1])
    if response is not None and response.status >= 400:
        walk.report(role, path, f"HTTP {response.status}")
    walk.pages += 1
    walk.visited.append(f"{role} {path}")
    with walk.timed("text"):
        _check_text(walk, role, path, page.locator("body").inner_text())
    name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "start"
    for width in WIDTHS:
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            walk.report(role, path, f"scrolls sideways at {width} px ({scroll} px wide)")
        height = page.evaluate("document.documentElement.scrollHeight")
        with walk.timed("screenshots"):
            page.screenshot(
                path=str(SCREENSHOTS / "walk" / f"{role}-{name}-{width}.png"),
                full_page=height < 8000,
            )
    return _links(page, "header nav a, main a, footer a")


def test_walk_every_page_for_every_role(live_server, warehouse: World, browser: Browser):  # noqa: F811
    walk = Walk(base=live_server.url, english=_catalogue_strings())
    route_matrix_networks(warehouse.region, warehouse.users)  # a network with its meetings
    SCREENSHOTS.joinpath("walk").mkdir(parents=True, exist_ok=True)
    routes: set[str] = set()
    for role in ROLES:
        context = axe_context(browser)
        page = AxePage(context.new_page())
        try:
            _sign_in(context, walk.base, User.objects.get(username=role))
            queue = [("/", 0)] + [(path, 1) for path in SEEDS.get(role, ())]
            done: set[str] = set()
            while queue and len(done) < MAX_PAGES_PER_ROLE:
                path, depth = queue.pop(0)
                if path in done:
                    continue
                done.add(path)
                route = _route(path, role)
                if route in routes:  # walked already: only read its links
                    if depth < DEPTH:
                        with walk.timed("links"):
                            found = _links_in_html(page, walk.base + path)
                        queue.extend((p, depth + 1) for p in found)
                    continue
                routes.add(route)
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
