"""A network's meeting in the browser: the secretary writes and publishes, a member reads.

The secretary adds and ends a membership on the member page, creates a meeting, records
attendance, writes an item, attaches slides (a PDF, previewed as a PNG of its first page),
embeds the enrolment chart as a frozen snapshot; the member (appointed checker) checks the
minutes; the secretary publishes; the member opens them and the attachment's preview, and
downloads DOCX and PDF, which open. axe-core checks every page on the way (the ``page``
fixture).
"""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import docx
import pypdf
import pytest
from playwright.sync_api import Browser, expect

from likvard.access.demo import DEMO_PASSWORD, demo_users_ensure
from likvard.organisations.models import Organizer, Region
from likvard.organisations.services import reference_load
from likvard.warehouse.services import batch_import
from tests.app.networks.attachment_files import pdf_bytes
from tests.browser.conftest import AxePage, axe_context
from tests.factories.networks import NetworkFactory, member
from tests.factories.warehouse import enrolment_file


@pytest.fixture
def network_world(transactional_db, settings, tmp_path):
    settings.LIKVARD_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_load()
    demo_users_ensure()
    from django.contrib.auth.models import User

    network = NetworkFactory(
        code="gymnasienatverket", name="Gymnasienätverket", region=Region.objects.get(code="gr")
    )
    member(network, User.objects.get(username="sekreterare"), "secretary")
    member(network, User.objects.get(username="medlem"))
    kungsbacka = Organizer.objects.get(organizer_type="kommunal", municipality_id="1384")
    path = tmp_path / "elever.csv"
    unit = kungsbacka.school_units.order_by("code").first()
    enrolment_file(
        path, organizer=kungsbacka.organisation_number, school_unit=unit.code, students=30
    )
    batch_import(path=path, kind="enrolments", by=None, organizer=kungsbacka)
    # Load the URLconf (and every app's views) now, not on the browser's first request, which
    # would otherwise spend the navigation timeout importing under a loaded machine.
    importlib.import_module(settings.ROOT_URLCONF)
    return kungsbacka


def sign_in(page: AxePage, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.click_and_check("button[type=submit]")


def manage_members(page: AxePage) -> None:
    """On the network's page: add Ellen Lindqvist as a member, then end her membership."""
    page.click_and_check("text=Hantera medlemmar")
    page.fill("#id_person_name", "Ellen Lindqvist")
    page.fill("#id_organisation_name", "Mölndals stad")
    page.get_by_label("Gymnasieskola", exact=True).check()
    page.click_and_check("main form.narrow button[type=submit]")
    expect(page.locator("#current-members")).to_contain_text("Ellen Lindqvist")
    page.get_by_label("Sista dag för Ellen Lindqvist").fill("2025-01-31")
    page.click_and_check("#current-members tr:has-text('Ellen Lindqvist') button")
    expect(page.locator("#former-members")).to_contain_text("Ellen Lindqvist")


def attach_slides(page: AxePage, folder: Path) -> None:
    """From the minutes: attach a PDF to item 1; back on the minutes it is listed."""
    page.click_and_check("text=Bifoga bildspel till punkt 1")
    slides = folder / "Bildspel elevrörelser.pdf"
    slides.write_bytes(pdf_bytes())
    page.get_by_label("Fil (PDF, PPTX eller DOCX, högst 25 MB)").set_input_files(slides)
    page.click_and_check("main button[type=submit]")
    expect(page.get_by_role("link", name="Bildspel elevrörelser", exact=True)).to_be_visible()


def open_attachment(reader: AxePage) -> None:
    """From the minutes: open the attachment; its first-page PNG and its text show."""
    reader.click_and_check("a:text-is('Bildspel elevrörelser')")
    preview = reader.locator(".attachment-preview img")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.naturalWidth") > 0  # the PNG loaded
    expect(reader.locator(".attachment-text")).to_contain_text("Beroendekartor")


def check_exports(reader: AxePage) -> None:
    """From the minutes: the DOCX and PDF downloads open and hold the item."""
    with reader.expect_download() as download:
        reader.click("text=Ladda ned som Word (DOCX)")
    document = docx.Document(download.value.path())
    assert any("Elevantal i Kungsbacka" in p.text for p in document.paragraphs)
    with reader.expect_download() as download:
        reader.click("text=Ladda ned som PDF")
    pdf = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert "Elevantal i Kungsbacka" in "".join(p.extract_text() for p in pdf.pages)


def visit_follow_up(page: AxePage, base: str) -> None:
    """The follow-up pages with their charts drawn (axe checks each), and incoming matters."""
    for path in ("narvaro/", "gymnasienatverket/narvaro/"):
        page.goto(f"{base}/natverk/{path}")
        expect(page.locator(".vega-chart svg")).to_be_visible()
        page.check()  # again, with the chart drawn
    page.goto(f"{base}/natverk/gymnasienatverket/inkommande/")
    expect(page.locator("#incoming-pending")).to_be_visible()


def test_secretary_writes_member_reads(
    live_server, network_world, page: AxePage, browser: Browser, tmp_path
):
    base = live_server.url
    sign_in(page, base, "sekreterare")
    page.goto(f"{base}/natverk/")
    page.click_and_check("text=Gymnasienätverket")
    manage_members(page)
    page.goto(f"{base}/natverk/gymnasienatverket/")
    page.click_and_check("text=Nytt möte")
    page.get_by_label("Datum").fill("2025-03-05")
    page.get_by_label("Plats").fill("GR, Första Långgatan")
    page.get_by_label("Ordförande (användarnamn)").fill("sekreterare")
    page.get_by_label("Justerare (användarnamn)").fill("medlem")
    page.click_and_check("main button[type=submit]")
    assert "/natverk/moten/" in page.url, page.locator("main").inner_text()
    expect(page.get_by_role("heading", name="Anteckningar från Gymnasienätverket")).to_be_visible()
    meeting_url = page.url

    page.click_and_check("text=Registrera närvaro")
    page.fill("#id_form-2-person_name", "Ellen Lindqvist")
    page.fill("#id_form-2-organisation_name", "Mölndal")
    page.select_option("#id_form-2-status", "absent")
    page.click_and_check("main button[type=submit]")
    expect(page.get_by_text("Ellen Lindqvist, Mölndal")).to_be_visible()

    page.click_and_check("text=Lägg till dagordningspunkt")
    page.get_by_label("Rubrik").fill("Elevantal i Kungsbacka")
    page.get_by_label("Anteckningar").fill("Elevantalen visades per läsår.")
    page.get_by_label("Nytt beslut").fill("Nätverket beslöt att följa upp elevantalen.")
    page.click_and_check("main button[type=submit]")
    attach_slides(page, tmp_path)
    # the organizer is chosen by name (a free-text organisation number before)
    page.get_by_label("Bädda in elevantal för en huvudman").select_option(label=network_world.name)
    page.click_and_check("text=Bädda in analys")
    expect(page.locator(".chart svg")).to_be_visible()
    page.check()  # axe again, now with the chart drawn
    expect(page.locator(".snapshot-table")).to_contain_text("15")  # 30 students: 15 + 15
    page.click_and_check("text=Justera anteckningarna")  # the secretary is also the chair

    reader = AxePage(browser.new_context(locale="sv-SE").new_page())
    sign_in(reader, base, "medlem")
    reader.goto(meeting_url)
    reader.click_and_check("text=Justera anteckningarna")
    expect(reader.locator("#meeting-status")).to_have_text("Justerad")

    page.goto(meeting_url)
    page.click_and_check("text=Publicera för medlemmarna")
    expect(page.locator("#meeting-status")).to_have_text("Publicerad")

    reader.goto(meeting_url)
    expect(reader.get_by_text("Nätverket beslöt att följa upp elevantalen.")).to_be_visible()
    expect(reader.locator(".chart svg")).to_be_visible()
    open_attachment(reader)
    reader.goto(meeting_url)
    check_exports(reader)
    page.screenshot_as("network-meeting")
    visit_follow_up(page, base)


def test_coordinator_creates_a_network_and_its_secretary_writes(
    live_server, network_world, page: AxePage
):
    """The coordinator creates IM-gruppen with Selma Sekreterare as secretary; she then
    finds the new network's "Nytt möte" (axe checks the form and the pages)."""
    base = live_server.url
    sign_in(page, base, "samordnare")
    page.goto(f"{base}/natverk/")
    page.click_and_check("text=Nytt nätverk")
    page.get_by_label("Namn på nätverket").fill("IM-gruppen")
    page.get_by_label("Vad nätverket gör").fill("Rektorerna för introduktionsprogrammen.")
    page.get_by_label("Sekreterare (valfritt)").select_option(label="Selma Sekreterare")
    page.get_by_label("Sekreterarens organisation").fill("Göteborgsregionen")
    page.click_and_check("main button[type=submit]")
    expect(page.get_by_role("heading", name="IM-gruppen")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("Selma Sekreterare")
    page.click_and_check("text=Utse sekreterare")
    expect(page.locator("#secretaries")).to_contain_text("Göteborgsregionen")
    page.context.clear_cookies()
    sign_in(page, base, "sekreterare")
    page.goto(f"{base}/natverk/im-gruppen/")
    expect(page.get_by_role("button", name="Nytt möte")).to_be_visible()


def test_a_scan_being_read_shows_its_progress_on_a_phone_too(
    live_server, network_world, browser: Browser
):
    """The page of a scan waiting for OCR, and of one that failed, at 1280 and 390 px: axe
    checks both, the progress bar is announced (role status) and nothing runs off the screen."""
    from django.contrib.auth.models import User

    from likvard.networks.models import NotesUpload, ReadingStatus

    secretary = User.objects.get(username="sekreterare")
    waiting = NotesUpload.objects.create(
        file_name="protokoll-2022-11-30.pdf",
        uploaded_by=secretary,
        status=ReadingStatus.RUNNING,
        pages=4,
        pages_read=1,
    )
    failed = NotesUpload.objects.create(
        file_name="protokoll-2021.pdf",
        uploaded_by=secretary,
        status=ReadingStatus.FAILED,
        error="Det tog för lång tid att läsa filen, så läsningen avbröts.",
    )
    base = live_server.url
    for width in (1280, 390):
        context = axe_context(browser, width)
        page = AxePage(context.new_page())
        sign_in(page, base, "sekreterare")
        page.goto(f"{base}/natverk/import/{waiting.pk}/")
        expect(page.get_by_role("status")).to_contain_text("1 av 4 sidor lästa.")
        assert page.locator("progress").get_attribute("value") == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto(f"{base}/natverk/import/{failed.pk}/")
        expect(page.get_by_role("status")).to_contain_text("Det tog för lång tid")
        expect(page.get_by_role("link", name="Ladda upp en fil igen")).to_be_visible()
        context.close()
