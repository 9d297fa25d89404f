"""The networks' pages through the test client: writing, checking, publishing, exports, import."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from likvard.networks.models import AttendanceStatus, Meeting, MeetingStatus
from likvard.networks.services.meetings import agenda_item_add, meeting_create
from tests.app.networks.conftest import NetworkWorld

pytestmark = pytest.mark.django_db


def _client(nets: NetworkWorld, role: str) -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


def _draft(nets: NetworkWorld) -> Meeting:
    users = nets.world.users
    return meeting_create(
        network=nets.gymnasie,
        held_on=dt.date(2025, 3, 5),
        by=users["network_secretary"],
        chair=users["regional_coordinator"],
        checker=users["network_member"],
    )


def test_secretary_writes_checkers_check_members_read(nets: NetworkWorld):
    secretary = _client(nets, "network_secretary")
    response = secretary.post(
        reverse("networks:meeting-create", args=["gymnasienatverket"]),
        {"held_on": "2025-03-05", "place": "GR", "chair": "samordnare", "checker": "medlem"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:meeting-detail", args=[meeting.pk])
    secretary.post(
        reverse("networks:item-create", args=[meeting.pk]),
        {
            "title": "Utbud 2026",
            "kind": "decision",
            "presenter": "Niklas Svensson",
            "body": "Genomgång av utbudet.",
            "decision": "Nätverket beslöt att anta utbudet.",
        },
    )
    form = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-person_name": "Patrik Hellberg",
        "form-0-organisation_name": "Kungsbacka",
        "form-0-role": "ordförande",
        "form-0-status": "present",
        "form-1-person_name": "Ellen Lindqvist",
        "form-1-organisation_name": "Mölndal",
        "form-1-role": "",
        "form-1-status": "absent",
    }
    assert (
        secretary.post(reverse("networks:meeting-attendance", args=[meeting.pk]), form).status_code
        == 302
    )
    assert meeting.attendance.filter(status=AttendanceStatus.ABSENT).count() == 1
    page = secretary.get(reverse("networks:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Utbud 2026" in page
    assert "Nätverket beslöt att anta utbudet." in page
    analyst = _client(nets, "organizer_analyst")
    assert analyst.get(reverse("networks:meeting-detail", args=[meeting.pk])).status_code == 403
    for role in ("regional_coordinator", "network_member"):
        _client(nets, role).post(reverse("networks:meeting-check", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CHECKED
    secretary.post(reverse("networks:meeting-publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    member_page = _client(nets, "network_member").get(
        reverse("networks:meeting-detail", args=[meeting.pk])
    )
    assert member_page.status_code == 200
    assert "Utbud 2026" in member_page.content.decode()


def test_published_minutes_cannot_be_edited(nets: NetworkWorld):
    meeting = _draft(nets)
    item = agenda_item_add(meeting=meeting, title="Punkt")
    meeting.status = MeetingStatus.PUBLISHED
    meeting.save()
    response = _client(nets, "network_secretary").post(
        reverse("networks:item-edit", args=[item.pk]), {"title": "Ny", "kind": "report"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Punkt"


def test_exports_open(nets: NetworkWorld):
    meeting = _draft(nets)
    agenda_item_add(meeting=meeting, title="Beroendekartor", body="Elevrörelser i regionen.")
    client = _client(nets, "network_secretary")
    docx_response = client.get(reverse("networks:meeting-export", args=[meeting.pk, "docx"]))
    document = docx.Document(io.BytesIO(docx_response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("Anteckningar från Gymnasienätverket")
    assert "1. Beroendekartor" in texts
    pdf_response = client.get(reverse("networks:meeting-export", args=[meeting.pk, "pdf"]))
    assert pdf_response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf_response.content)).pages[0].extract_text()
    assert "Beroendekartor" in text
    assert "Elevrörelser i regionen." in text
    assert (
        client.get(reverse("networks:meeting-export", args=[meeting.pk, "odt"])).status_code == 404
    )


def test_search_page_highlights(nets: NetworkWorld):
    meeting = _draft(nets)
    agenda_item_add(meeting=meeting, title="Elevrörelser", body="Två beroendekartor visades.")
    page = _client(nets, "network_secretary").get(
        reverse("networks:search"), {"q": "beroendekarta"}
    )
    assert "<mark>beroendekartor</mark>" in page.content.decode()


@pytest.mark.realdata
def test_upload_review_commit(nets: NetworkWorld, notes_dir):
    client = _client(nets, "network_secretary")
    path = notes_dir / "gymnasienatverket-2023-11.txt"
    with path.open("rb") as handle:
        response = client.post(reverse("networks:notes-import"), {"file": handle})
    assert response.status_code == 302
    review = client.get(response["Location"])
    page = review.content.decode()
    assert "Patrik Hellberg" in page
    assert 'value="gymnasienatverket" selected' in page
    text = review.context["form"].initial["text"].replace("Den 1 nov", "Den 2 nov")
    done = client.post(
        response["Location"], {"network": "gymnasienatverket", "text": text, "commit": "1"}
    )
    meeting = Meeting.objects.get()
    assert done["Location"] == reverse("networks:meeting-detail", args=[meeting.pk])
    assert any("Den 2 nov" in i.body for i in meeting.items.all())  # the corrected text
    with path.open("rb") as handle:
        again = client.post(reverse("networks:notes-import"), {"file": handle})
    client.post(again["Location"], {"network": "gymnasienatverket", "text": "x", "commit": "1"})
    assert Meeting.objects.count() == 1
    assert _client(nets, "network_member").get(reverse("networks:notes-import")).status_code == 403
