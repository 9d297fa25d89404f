"""Browser tests in Debian's headless Chromium through Playwright, with axe-core on every page.

The ``page`` fixture returns a wrapper that runs axe-core (from node_modules, installed from the
npm registry at build time) after every navigation it makes, and fails the test on any WCAG 2.1 A
or AA violation, so no test can forget the check.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import REPO, skip_or_fail

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop and live_server

CHROMIUM = Path(os.environ.get("LIKVARD_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(os.environ.get("LIKVARD_SCREENSHOTS", "/tmp/likvard-screenshots"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (Debian package chromium)")
    if not AXE.exists():
        skip_or_fail(f"axe-core is missing at {AXE} (run make setup)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            # Chromium on Linux takes its interface language (date and file inputs, their
            # placeholders and buttons) from LANGUAGE/LANG; --lang alone is ignored there.
            # (C.UTF-8 keeps file names in UTF-8: sv_SE.UTF-8 is not installed on CI.)
            env={**os.environ, "LANGUAGE": "sv", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
            args=[
                "--lang=sv-SE",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class AxePage:
    """A Playwright page that checks accessibility with axe-core after each navigation."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self.checked: list[str] = []

    @property
    def raw(self) -> Page:
        """The wrapped Playwright page."""
        return self._page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)

    def goto(self, url: str, **kwargs: Any) -> Any:
        response = self._page.goto(url, **kwargs)
        self.check()
        return response

    def click_and_check(self, selector: str) -> None:
        """Click something that navigates, wait for the new page and check it."""
        with self._page.expect_navigation():
            self._page.click(selector)
        self.check()

    def check(self) -> None:
        """Run axe-core on the current page; fail on any violation.

        A page may still navigate once after it looks ready (htmx asks for a reload when a
        background job finishes); axe then runs again on the page it landed on.
        """
        for attempt in range(3):
            self._page.wait_for_load_state("load")
            try:
                if not self._page.evaluate("typeof axe !== 'undefined'"):
                    self._page.add_script_tag(path=str(AXE))
                result = self._page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
                )
                break
            except PlaywrightError as error:
                if "context was destroyed" not in str(error) or attempt == 2:
                    raise
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} element(s): "
            f"{[n['target'] for n in v['nodes'][:3]]})"
            for v in result["violations"]
        ]
        assert not violations, f"axe-core on {self._page.url}:\n" + "\n".join(violations)
        self.checked.append(self._page.url)

    def screenshot_as(self, name: str) -> Path:
        """Save a full-page screenshot to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self._page.screenshot(path=str(path), full_page=True)
        return path


def native_control_texts(page: AxePage) -> set[str]:
    """The names and values of every node in the page's accessibility tree, including the parts
    Chromium draws inside date and file inputs ("åååå-mm-dd", "Ingen fil har valts")."""
    session = page.context.new_cdp_session(page.raw)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return {
        str(node[key]["value"])
        for node in nodes
        for key in ("name", "value")
        if node.get(key, {}).get("value")
    }


def axe_context(browser: Browser, width: int = 1280) -> BrowserContext:
    """A Swedish browser context whose pages load axe-core as they open (an init script), which
    saves injecting it after each navigation (about 0.6 s a page on the shared machine)."""
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
    context.add_init_script(path=str(AXE))
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[AxePage]:
    context = axe_context(browser)
    wrapped = AxePage(context.new_page())
    yield wrapped
    context.close()
