"""The token page as a person uses it: create a token, see its secret once, revoke it; axe-clean
at 1280 and 390 px."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import AxePage, axe_context
from tests.browser.test_shell import demo_world, sign_in

__all__ = ["demo_world"]


def test_create_see_once_and_revoke_a_token(live_server, demo_world, page: AxePage):
    sign_in(page, live_server.url, "analytiker")
    page.get_by_role("link", name="Mina API-nycklar").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina API-nycklar")
    page.get_by_label("Namn").fill("Power BI")
    page.click_and_check("main form:not(.inline-form) button[type=submit]")
    secret = page.get_by_label("Nyckel", exact=True).input_value()
    assert secret.startswith("lkv_")
    expect(page.get_by_role("cell", name="Läsa analyser")).to_be_visible()
    page.screenshot_as("tokens-created")
    page.click_and_check("main form.inline-form button")
    expect(page.get_by_text("Nyckeln är återkallad")).to_be_visible()
    expect(page.get_by_text("Du har inga giltiga nycklar.")).to_be_visible()


def test_token_page_fits_a_phone(live_server, demo_world, browser: Browser):
    context = axe_context(browser, width=390)
    page = AxePage(context.new_page())
    sign_in(page, live_server.url, "analytiker")
    page.goto(f"{live_server.url}/konto/api-nycklar/")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390
