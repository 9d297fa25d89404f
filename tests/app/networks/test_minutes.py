"""The minutes as files (#16): made by ``likvard.exports`` from one document, so the PDF and the
Word file say the same, name school units instead of giving their codes, and stay inside A4."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pdfplumber
import pytest

from likvard.networks.models import AnalysisSnapshot
from likvard.networks.selectors import meeting_detail
from likvard.networks.services.meetings import (
    AttendanceEntry,
    action_item_add,
    agenda_item_add,
    attendance_record,
    decision_add,
    meeting_create,
)
from likvard.networks.services.minutes import minutes_file
from likvard.networks.services.snapshots import enrolment_spec
from tests.app.exports.edges import check, needs_tools
from tests.app.networks.conftest import NetworkWorld

pytestmark = pytest.mark.django_db
LONG = "Dependency maps and admissions " * 12


def _meeting(nets: NetworkWorld):
    users = nets.world.users
    meeting = meeting_create(
        network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=users["network_secretary"],
        chair=users["regional_coordinator"], checker=users["network_member"],
    )  # fmt: skip
    entries = [
        AttendanceEntry(f"Person {i} Långnamnsson-Efternamnsdotter", org, "present", "rektor")
        for i, org in enumerate(["Kungsbacka", "Mölndal", "Göteborgsregionen"] * 8)
    ]
    entries.append(AttendanceEntry("Eva Borta", "Härryda", "absent"))
    attendance_record(meeting=meeting, entries=entries)
    item = agenda_item_add(meeting=meeting, title="Beroendekartor", body=f"{LONG}\nAndra stycket.")
    decision_add(item=item, text="Gymnasienätverket ber om en beroendekarta per program.")
    action_item_add(item=item, text="Ta fram kartan", owner_name="Anna Berg",
                    organisation_name="Kungsbacka kommun", due=dt.date(2025, 5, 1))  # fmt: skip
    rows = [
        {"school_year": year, "school_unit_code": unit.code, "gender": gender,
         "students": None if year == 2021 else 40 + year % 7}
        for year in range(2016, 2026)
        for unit in (nets.world.own_unit, nets.world.other_unit)
        for gender in ("F", "M")
    ]  # fmt: skip
    AnalysisSnapshot.objects.create(
        item=item, analysis_key="warehouse.organizer_enrolment", title="Inskrivna elever",
        data_version="v7", provenance="Källa: Likvärd, dataversion v7", rows=rows,
        spec=enrolment_spec(rows, "Inskrivna elever"),
    )  # fmt: skip
    return meeting


def test_pdf_and_word_minutes_say_the_same_with_names(nets: NetworkWorld):
    detail = meeting_detail(meeting=_meeting(nets))
    pdf = minutes_file(detail, "pdf")
    assert pdf.filename == "anteckningar-gymnasienatverket-2025-03-05.pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        pdf_text = "\n".join(page.extract_text() or "" for page in document.pages)
    word = docx.Document(io.BytesIO(minutes_file(detail, "docx").content))
    word_text = "\n".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for row in t.rows for c in row.cells]
    )
    for text in (pdf_text, word_text):
        assert "Anteckningar från Gymnasienätverket, 5 mars 2025" in text
        assert "Björkris skola" in text  # the school unit by name
        assert "65390344" not in text  # not by code
        assert "2024/25" in text  # a school year as a school year
        assert "Flickor" in text
        assert "Fryst vid dataversion v7." in text
        assert "Eva Borta" in text
    assert len(word.inline_shapes) == 1  # the frozen chart is drawn
    with pytest.raises(ValueError, match="unknown format"):
        minutes_file(detail, "odt")


@pytest.mark.slow
@pytest.mark.database_neutral  # the drawn layout; the queries run on PostgreSQL above
@needs_tools
def test_minutes_files_fit_the_page(nets: NetworkWorld, tmp_path: Path):
    detail = meeting_detail(meeting=_meeting(nets))
    files = [(f"minutes.{fmt}", minutes_file(detail, fmt).content) for fmt in ("pdf", "docx")]
    assert check(files, tmp_path) == []


def test_a_guest_presenter_is_named_once_on_the_page_and_in_the_files(nets: NetworkWorld):
    """An imported presenter has the role 'föredragande' and the status guest presenter
    ('Gäst/föredragande'): the minutes say the status once, not '(föredragande) –
    Gäst/föredragande', and keep a role the status does not say."""
    from django.test import Client
    from django.urls import reverse

    users = nets.world.users
    meeting = meeting_create(
        network=nets.gymnasie, held_on=dt.date(2025, 3, 5), by=users["network_secretary"],
    )  # fmt: skip
    attendance_record(
        meeting=meeting,
        entries=[
            AttendanceEntry("Ulrika Rosengren", "Skolinspektionen", "guest", "föredragande"),
            AttendanceEntry("Lena Sjöstrand", "GR", "guest", "samordnare, föredragande"),
        ],
    )
    detail = meeting_detail(meeting=meeting)
    with pdfplumber.open(io.BytesIO(minutes_file(detail, "pdf").content)) as document:
        pdf_text = " ".join("\n".join(p.extract_text() or "" for p in document.pages).split())
    word = docx.Document(io.BytesIO(minutes_file(detail, "docx").content))
    word_text = "\n".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for row in t.rows for c in row.cells]
    )
    client = Client()
    client.force_login(users["network_secretary"])
    page = client.get(reverse("networks:meeting-detail", args=[meeting.pk])).content.decode()
    for text in (pdf_text, word_text, page):
        assert "Ulrika Rosengren – Gäst/föredragande" in text
        assert "Lena Sjöstrand (samordnare) – Gäst/föredragande" in text
        assert "(föredragande)" not in text
