"""Attachments: type and size checks, text and preview of PDF/PPTX/DOCX, access, search."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from likvard.access.policy import viewer_for
from likvard.networks.models import Attachment, AttachmentKind, MeetingStatus
from likvard.networks.services import previews
from likvard.networks.services.attachments import attachment_add
from likvard.networks.services.meetings import MeetingStateError, agenda_item_add, meeting_create
from likvard.networks.services.previews import AttachmentError, attachment_read
from likvard.networks.services.search import notes_search
from tests.app.networks.attachment_files import SLIDE_TEXT, docx_bytes, pdf_bytes, pptx_bytes
from tests.app.networks.conftest import NetworkWorld
from tests.conftest import require_tool
from tests.factories.networks import member

pytestmark = pytest.mark.django_db


def _client(nets: NetworkWorld, role: str) -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


def _png_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.size


def test_pdf_reading_has_text_and_first_page_png():
    reading = attachment_read(name="Bildspel.PDF", data=pdf_bytes())
    assert reading.kind == AttachmentKind.PDF
    assert "Beroendekartor visar elevernas resor" in reading.text
    assert "Andra sidan" in reading.text  # every page's text is searchable
    assert reading.preview_png is not None
    width, height = _png_size(reading.preview_png)
    assert width == previews.PREVIEW_WIDTH_PX
    assert height > width  # a portrait A4 page, the first one only
    assert reading.method == "pdfium"


def test_pptx_without_libreoffice_previews_slide_titles(monkeypatch):
    monkeypatch.setattr("likvard.networks.services.previews.shutil.which", lambda name: None)
    reading = attachment_read(name="utbud.pptx", data=pptx_bytes())
    assert reading.kind == AttachmentKind.PPTX
    assert reading.preview_png is None
    assert reading.preview_text == "1. Utbud 2026\n2. Antagning"
    assert SLIDE_TEXT in reading.text
    assert reading.method == "slide titles"


@pytest.mark.slow
def test_pptx_with_libreoffice_previews_first_slide_png():
    require_tool("soffice")
    reading = attachment_read(name="utbud.pptx", data=pptx_bytes())
    assert reading.method == "soffice+pdfium"
    assert reading.preview_png is not None
    width, height = _png_size(reading.preview_png)
    assert width == previews.PREVIEW_WIDTH_PX
    assert width > height  # a landscape slide


def test_docx_text_and_a_preview(monkeypatch):
    monkeypatch.setattr("likvard.networks.services.previews.shutil.which", lambda name: None)
    reading = attachment_read(name="underlag.docx", data=docx_bytes())
    assert reading.kind == AttachmentKind.DOCX
    assert reading.text.splitlines() == ["Underlag till nätverket", SLIDE_TEXT]
    assert reading.preview_text.startswith("Underlag till nätverket")
    assert reading.method == "paragraphs"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bilder.pdf", b"", "Filen är tom."),
        ("bilder.txt", b"hej", "Bifoga en PDF-, PPTX- eller DOCX-fil."),
        ("bilder.pdf", b"PK\x03\x04 inte en pdf", "Filen heter .pdf men är ingen PDF-fil."),
        ("bilder.pptx", b"%PDF-1.4", "Filen heter .pptx men är ingen PPTX-fil."),
        ("bilder.docx", None, "Filen heter .docx men är ingen DOCX-fil."),  # a PPTX renamed
        ("bilder.pdf", b"%PDF-1.4 trasig", "Filen är ofullständig eller skadad (avkortad)."),
        ("bilder.pdf", b"%PDF-1.4 trasig\n%%EOF\n", "Filen kunde inte läsas; den kan vara skadad."),
    ],
)
def test_wrong_type_or_broken_file_is_refused_in_swedish(name, data, message):
    with pytest.raises(AttachmentError) as error:
        attachment_read(name=name, data=pptx_bytes() if data is None else data)
    assert str(error.value) == message


def test_too_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(previews, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    with pytest.raises(AttachmentError, match=r"Filen är större än 1 MB\."):
        attachment_read(name="stor.pdf", data=b"%PDF-" + bytes(1024 * 1024))


def _draft_item(nets: NetworkWorld):
    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=secretary)
    return agenda_item_add(meeting=meeting, title="Elevrörelser")


def test_upload_view_stores_file_preview_and_text(nets: NetworkWorld):
    item = _draft_item(nets)
    secretary = _client(nets, "network_secretary")
    url = reverse("networks:attachment-upload", args=[item.pk])
    upload = SimpleUploadedFile("Bildspel elevrörelser.pdf", pdf_bytes())
    response = secretary.post(url, {"file": upload, "title": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    attachment = Attachment.objects.get()
    assert attachment.title == "Bildspel elevrörelser"
    assert attachment.size == len(pdf_bytes())
    assert attachment.uploaded_by == nets.world.users["network_secretary"]
    assert SLIDE_TEXT in attachment.text
    page = secretary.get(reverse("networks:meeting-detail", args=[item.meeting_id])).content
    assert reverse("networks:attachment-detail", args=[attachment.pk]) in page.decode()
    detail = secretary.get(reverse("networks:attachment-detail", args=[attachment.pk]))
    assert reverse("networks:attachment-preview", args=[attachment.pk]) in detail.content.decode()
    image = secretary.get(reverse("networks:attachment-preview", args=[attachment.pk]))
    assert image["Content-Type"] == "image/png"
    assert _png_size(image.getvalue())[0] == previews.PREVIEW_WIDTH_PX
    download = secretary.get(reverse("networks:attachment-download", args=[attachment.pk]))
    assert download.getvalue() == pdf_bytes()
    assert "attachment;" in download["Content-Disposition"]


def test_upload_view_shows_swedish_error(nets: NetworkWorld):
    item = _draft_item(nets)
    response = _client(nets, "network_secretary").post(
        reverse("networks:attachment-upload", args=[item.pk]),
        {"file": SimpleUploadedFile("anteckningar.txt", b"hej")},
    )
    assert response.status_code == 400
    assert "Bifoga en PDF-, PPTX- eller DOCX-fil." in response.content.decode()
    assert not Attachment.objects.exists()


def test_access_follows_the_minutes(nets: NetworkWorld):
    item = _draft_item(nets)
    secretary = nets.world.users["network_secretary"]
    attachment = attachment_add(item=item, name="bilder.pdf", data=pdf_bytes(), by=secretary)
    urls = [
        reverse(f"networks:attachment-{view}", args=[attachment.pk])
        for view in ("detail", "download", "preview")
    ]
    for role, status in (("network_member", 403), ("organizer_analyst", 403)):
        assert [_client(nets, role).get(u).status_code for u in urls] == [status] * 3, role
    item.meeting.status = MeetingStatus.PUBLISHED
    item.meeting.save()
    assert [_client(nets, "network_member").get(u).status_code for u in urls] == [200] * 3
    assert _client(nets, "organizer_analyst").get(urls[0]).status_code == 403
    with pytest.raises(MeetingStateError):  # published minutes take no new attachments
        attachment_add(item=item, name="mer.pdf", data=pdf_bytes(), by=secretary)


def test_search_finds_attachment_text_and_respects_access(nets: NetworkWorld):
    users = nets.world.users
    item = _draft_item(nets)
    attachment = attachment_add(
        item=item, name="bilder.pdf", data=pdf_bytes(), by=users["network_secretary"]
    )
    hits = notes_search(viewer=viewer_for(users["network_secretary"]), query="beroendekarta")
    assert [h.attachment_id for h in hits] == [attachment.pk]
    assert [f.text for f in hits[0].snippet if f.hit] == ["Beroendekartor"]
    page = _client(nets, "network_secretary").get(
        reverse("networks:search"), {"q": "beroendekarta"}
    )
    text = page.content.decode()
    assert "<mark>Beroendekartor</mark>" in text
    assert reverse("networks:attachment-detail", args=[attachment.pk]) in text
    # Another network's secretary, and this network's member while the minutes are a draft,
    # find nothing.
    member(nets.kvalitet, users["principal"], "secretary")
    for role in ("principal", "network_member", "administrator"):
        assert notes_search(viewer=viewer_for(users[role]), query="beroendekarta") == [], role
    item.meeting.status = MeetingStatus.PUBLISHED
    item.meeting.save()
    assert notes_search(viewer=viewer_for(users["network_member"]), query="beroendekartor")
    assert notes_search(viewer=viewer_for(users["principal"]), query="beroendekartor") == []


def test_secretary_removes_an_attachment_from_draft_minutes(
    nets: NetworkWorld, django_capture_on_commit_callbacks
):
    item = _draft_item(nets)
    users = nets.world.users
    attachment = attachment_add(
        item=item, name="bilder.pdf", data=pdf_bytes(), by=users["network_secretary"]
    )
    storage, names = attachment.file.storage, [attachment.file.name, attachment.preview_image.name]
    assert all(storage.exists(name) for name in names)
    url = reverse("networks:attachment-remove", args=[attachment.pk])
    assert _client(nets, "network_member").post(url).status_code == 403
    secretary = _client(nets, "network_secretary")
    meeting_page = secretary.get(reverse("networks:meeting-detail", args=[item.meeting_id]))
    assert url in meeting_page.content.decode()
    confirm = secretary.get(url)
    assert "Ta bort bilagan" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not any(storage.exists(name) for name in names)
    hits = notes_search(viewer=viewer_for(users["network_secretary"]), query="beroendekarta")
    assert hits == []


def test_attachments_of_published_minutes_stay(nets: NetworkWorld):
    item = _draft_item(nets)
    attachment = attachment_add(
        item=item, name="bilder.pdf", data=pdf_bytes(), by=nets.world.users["network_secretary"]
    )
    item.meeting.status = MeetingStatus.PUBLISHED
    item.meeting.save()
    url = reverse("networks:attachment-remove", args=[attachment.pk])
    secretary = _client(nets, "network_secretary")
    page = secretary.get(url)
    assert page.status_code == 200
    assert "kan inte längre ändras" in page.content.decode()
    assert secretary.post(url).status_code == 400
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)
