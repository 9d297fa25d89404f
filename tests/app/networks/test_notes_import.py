"""The four real notes import into meetings through the service; a re-import changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from likvard.networks.models import (
    AttachmentKind,
    AttendanceStatus,
    ImportedNotes,
    ItemKind,
    Meeting,
)
from likvard.networks.services.imports import NotesImportError, notes_commit, notes_read
from tests.app.networks.conftest import NetworkWorld

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

UTBILDNINGSCHEF = "utbildningschefsnatverket-2023-02.txt"


def _import(notes_dir, name: str, user=None):
    return notes_commit(preview=notes_read(path=notes_dir / name), by=user)


def test_utbildningschef_notes_become_a_meeting(nets: NetworkWorld, notes_dir):
    outcome = _import(notes_dir, UTBILDNINGSCHEF, nets.world.users["network_secretary"])
    meeting = outcome.meeting
    assert outcome.created
    assert meeting.network.code == "utbildningschefer"
    assert meeting.is_published
    present = meeting.attendance.exclude(status=AttendanceStatus.ABSENT)
    assert present.count() == 18
    chair = present.get(person_name="Charlotte Johansson")
    assert (chair.organisation_name, chair.role) == ("Partille", "ordförande")
    assert chair.municipality is None  # the world fixture has only Kungsbacka and Mölndal
    grebner = present.get(person_name="Sofia Grebner")
    assert grebner.municipality is not None
    assert grebner.municipality.code == "1481"
    assert meeting.attendance.filter(status=AttendanceStatus.ABSENT).count() == 5
    items = {i.number: i for i in meeting.items.all()}
    assert items[3].presenter == "Maria Andersson"
    assert items[1].kind == ItemKind.DECISION
    assert items[4].kind == ItemKind.REPORT
    decided = sorted(d.item.number for d in _decisions(meeting))
    assert decided == [1, 2, 3]
    assert "beslöt" in items[1].decisions.get().text
    slides = sorted(
        a.item.number for a in _attachments(meeting) if a.kind == AttachmentKind.MENTION
    )
    assert slides == [4, 5, 7, 9, 10]
    assert meeting.secretary_name == "Theresa Björnström"  # "Theresa Björnström, GR, sekreterare"


def _decisions(meeting: Meeting):
    return [d for item in meeting.items.all() for d in item.decisions.all()]


def _attachments(meeting: Meeting):
    return [a for item in meeting.items.all() for a in item.attachments.all()]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "kvalitetsnatverket-2022-11-30.txt",
            ("kvalitetsnatverket", dt.date(2022, 11, 30), 20, 6, None),
        ),
        ("gymnasienatverket-2023-11.txt", ("gymnasienatverket", None, 12, 5, "Patrik Hellberg")),
        (
            "gymnasienatverket-utbud-2025-ocr.txt",
            ("gymnasienatverket", None, 17, 2, "Patrik Hellberg"),
        ),
    ],
)
def test_other_notes_import(nets: NetworkWorld, notes_dir, name, expected):
    network, held_on, present, absent, first_presenter = expected
    meeting = _import(notes_dir, name).meeting
    assert meeting.network.code == network
    assert meeting.held_on == held_on
    assert meeting.attendance.exclude(status=AttendanceStatus.ABSENT).count() == present
    assert meeting.attendance.filter(status=AttendanceStatus.ABSENT).count() == absent
    first = meeting.items.get(number=1)
    assert (first.presenter or None) == first_presenter
    assert _attachments(meeting), "every real note mentions attached slides"
    secretary = {"kvalitetsnatverket-2022-11-30.txt": "Jenny Sjöstrand"}.get(name, "")
    assert meeting.secretary_name == secretary  # "Jenny Sjöstrand, GR (sekreterare)"


def test_ocr_notes_are_repaired_and_matched_to_municipalities(nets: NetworkWorld, notes_dir):
    preview = notes_read(path=notes_dir / "gymnasienatverket-utbud-2025-ocr.txt")
    assert len(preview.repairs) > 100
    meeting = notes_commit(preview=preview, by=None).meeting
    hellberg = meeting.attendance.get(person_name="Patrik Hellberg")
    assert hellberg.municipality is not None
    assert hellberg.municipality.name == "Kungsbacka"
    assert meeting.attendance.get(person_name="Ulrika Rosengren").status == AttendanceStatus.GUEST
    assert meeting.imported.repairs == len(preview.repairs)


def test_same_file_again_changes_nothing(nets: NetworkWorld, notes_dir):
    first = _import(notes_dir, UTBILDNINGSCHEF)
    counts = (Meeting.objects.count(), ImportedNotes.objects.count())
    again = _import(notes_dir, UTBILDNINGSCHEF)
    assert not again.created
    assert again.meeting.pk == first.meeting.pk
    assert (Meeting.objects.count(), ImportedNotes.objects.count()) == counts


def test_unknown_network_is_refused_with_a_reason(world, notes_dir):
    with pytest.raises(NotesImportError, match="Utbildningschefsnätverket"):
        _import(notes_dir, UTBILDNINGSCHEF)
    assert Meeting.objects.count() == 0
