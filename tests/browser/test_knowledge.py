"""The knowledge bank in the browser: an editor adds material with a PDF, a member finds it in
the search by an inflected form of a word in the PDF, an anonymous visitor reads a public item
and gets 404 for a network's item. axe-core checks every page (the ``page`` fixture)."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, expect

from likvard.access.models import Role
from likvard.networks.models import MembershipRole
from tests.app.networks.attachment_files import pdf_bytes
from tests.browser.conftest import AxePage, axe_context, native_control_texts
from tests.factories.access import PASSWORD, user_with_role
from tests.factories.knowledge import item_make
from tests.factories.networks import NetworkFactory, member
from tests.factories.organisations import RegionFactory


@pytest.fixture
def bank_world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    region = RegionFactory(code="gr", name="Göteborgsregionen")
    user_with_role("samordnare", Role.REGIONAL_COORDINATOR, region="gr")
    reader = user_with_role("medlem", Role.NETWORK_MEMBER, region="gr")
    network = NetworkFactory(code="kvalitetsnatverket", name="Kvalitetsnätverket", region=region)
    member(network, reader, MembershipRole.MEMBER)
    public = item_make(region=region, title="Närvarotrappan för grundskolan")
    private = item_make(
        region=region, title="Nätverkets bildspel", visibility="network", network=network
    )
    importlib.import_module(django_settings.ROOT_URLCONF)
    return public, private


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.click_and_check("button[type=submit]")


def test_editor_adds_a_pdf_a_member_finds_it_anonymous_reads_public_only(
    live_server, bank_world, page: AxePage, browser: Browser, tmp_path
):
    public, private = bank_world
    base = live_server.url
    sign_in(page, base, "samordnare")
    page.goto(f"{base}/kunskapsbank/")
    page.click_and_check("text=Lägg till material")
    # Chromium runs in Swedish: the date fields read år-månad-dag, the file field in Swedish.
    native = native_control_texts(page)
    assert {"åååå", "Ingen fil har valts"} <= native, sorted(native)
    assert not {"yyyy", "No file chosen"} & native
    page.locator("#id_title").fill("Elevrörelser i regionen")
    page.locator("#id_summary").fill("Hur eleverna rör sig mellan kommunernas skolor.")
    page.locator("#id_kind").select_option("report")
    page.locator("#id_visibility").select_option("regional")
    slides = tmp_path / "Elevrörelser.pdf"
    slides.write_bytes(pdf_bytes())
    page.get_by_label("Fil (PDF, PPTX eller DOCX, högst 25 MB)").set_input_files(slides)
    page.click_and_check("main form button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Elevrörelser i regionen")
    expect(page.locator(".knowledge-preview")).to_be_visible()

    reader = AxePage(axe_context(browser).new_page())
    sign_in(reader, base, "medlem")
    # "Beroendekartor" is in the PDF's text; the member searches the singular "beroendekarta".
    reader.goto(f"{base}/natverk/sok/?q=beroendekarta")
    hits = reader.locator(".source-hits")
    expect(hits).to_contain_text("Elevrörelser i regionen")
    expect(hits.locator("mark").first).to_have_text("Beroendekartor")
    reader.click_and_check(".source-hits a:text('Elevrörelser i regionen')")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Elevrörelser i regionen")

    visitor = AxePage(axe_context(browser).new_page())
    visitor.goto(f"{base}/kunskapsbank/{public.pk}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Närvarotrappan för grundskolan")
    response = visitor.goto(f"{base}/kunskapsbank/{private.pk}/")
    assert response.status == 404
    expect(visitor.locator("main")).not_to_contain_text("Nätverkets bildspel")
