"""``likvard demo`` sets up the networks: GR's four and Skaraborg's, members, the real notes as
published meetings with decisions and action items, and a planned meeting each; idempotently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from likvard.networks.demo import networks_demo_ensure
from likvard.networks.demo.build import with_insertions
from likvard.networks.demo.data import Insertion
from likvard.networks.models import (
    ActionItem,
    ActionStatus,
    AttachmentKind,
    Decision,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipRole,
    Network,
)
from likvard.networks.services.imports import notes_original_attach
from tests.app.conftest import World
from tests.factories.networks import MeetingFactory
from tests.factories.organisations import MunicipalityFactory, RegionFactory

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

TEXT_NOTES = (
    "kvalitetsnatverket-2022-11-30.txt",
    "utbildningschefsnatverket-2023-02.txt",
    "gymnasienatverket-2023-11.txt",
    "gymnasienatverket-utbud-2025-ocr.txt",
)


@pytest.fixture
def demo_world(world: World, settings, tmp_path) -> World:
    """GR with Kungsbacka and Mölndal, Skaraborg with Skövde, and the demo's usernames."""
    settings.MEDIA_ROOT = tmp_path / "media"
    skaraborg = RegionFactory(code="skaraborg", name="Skaraborgs kommunalförbund")
    skaraborg.municipalities.set([MunicipalityFactory(code="1496", name="Skövde")])
    return world


@pytest.fixture
def text_notes(notes_dir: Path, tmp_path: Path) -> Path:
    """The real text notes without the scan (its OCR has a test of its own below)."""
    folder = tmp_path / "notes"
    folder.mkdir()
    for name in TEXT_NOTES:
        (folder / name).symlink_to(notes_dir / name)
    return folder


def test_the_demo_networks_hold_the_real_notes(demo_world, text_notes: Path):
    outcome = networks_demo_ensure(notes_dir=text_notes)
    networks = {n.code: n for n in Network.objects.select_related("region")}
    assert {(n.name, n.region.code) for n in networks.values()} == {
        ("Utbildningschefsnätverket", "gr"),
        ("Gymnasienätverket", "gr"),
        ("Kvalitetsnätverket", "gr"),
        ("IM-gruppen", "gr"),
        ("Nätverket IM", "skaraborg"),
    }
    assert (outcome.notes_imported, outcome.notes_already) == (4, 0)
    gymnasie = networks["gymnasienatverket"]
    assert gymnasie.memberships.filter(
        user__username="sekreterare", role=MembershipRole.SECRETARY
    ).exists()
    assert gymnasie.memberships.get(user__username="medlem").organisation_name == "Mölndal"
    # one member per municipality of the region and the secretary
    assert gymnasie.memberships.count() == 3
    assert networks["natverket-im-skaraborg"].memberships.count() == 2
    imported = Meeting.objects.filter(imported__isnull=False).order_by("held_on")
    assert [(m.network.code, m.held_on, m.status) for m in imported] == [
        ("kvalitetsnatverket", dt.date(2022, 11, 30), MeetingStatus.PUBLISHED),
        ("utbildningschefsnatverket", dt.date(2023, 2, 2), MeetingStatus.PUBLISHED),
        ("gymnasienatverket", dt.date(2023, 11, 8), MeetingStatus.PUBLISHED),
        ("gymnasienatverket", dt.date(2024, 1, 24), MeetingStatus.PUBLISHED),
    ]
    assert Decision.objects.filter(item__meeting__in=imported).count() == 4
    actions = ActionItem.objects.filter(item__meeting__in=imported)
    assert actions.count() == 9
    capacity = actions.get(text__startswith="Genomföra kapacitetsundersökningen")
    assert (capacity.owner_name, capacity.organisation_name, capacity.due) == (
        "Niklas Svensson",
        "GR",
        dt.date(2024, 2, 29),
    )
    # November's action items were followed up in January: done; January's are still open.
    november = actions.filter(item__meeting__held_on=dt.date(2023, 11, 8))
    assert set(november.values_list("status", flat=True)) == {ActionStatus.DONE}
    today = timezone.localdate()
    planned = Meeting.objects.filter(status=MeetingStatus.DRAFT, held_on__gt=today)
    assert sorted(planned.values_list("network__code", flat=True)) == sorted(networks)
    assert (
        planned.get(network=gymnasie).carried_action_items.filter(status=ActionStatus.OPEN).exists()
    )
    written = Meeting.objects.get(network=networks["im-gruppen"], held_on=dt.date(2023, 11, 14))
    assert written.is_published
    assert written.attendance.count() == 3

    client = Client()
    client.force_login(Membership.objects.get(user__username="medlem", network=gymnasie).user)
    page = client.get(reverse("networks:search"), {"q": "beroendekarta"}).content.decode()
    assert "<mark>beroendekartor</mark>" in page
    assert "Gymnasienätverket" in page

    before = (Membership.objects.count(), Meeting.objects.count(), ActionItem.objects.count())
    again = networks_demo_ensure(notes_dir=text_notes)
    assert (again.notes_imported, again.notes_already) == (0, 4)
    after = (Membership.objects.count(), Meeting.objects.count(), ActionItem.objects.count())
    assert after == before


def test_a_line_to_add_after_must_be_in_the_notes():
    text = "Anteckningar\n\n1. Punkt\nText.\n"
    added = with_insertions(text, (Insertion(None, ("Datum: 2024-01-24",)),))
    assert added.split("\n")[:4] == ["Anteckningar", "", "Datum: 2024-01-24", ""]
    with pytest.raises(ValueError, match="saknas inte"):
        with_insertions(text, (Insertion("saknas inte", ("Åtgärd: x",)),))


@pytest.mark.slow
def test_the_scan_is_attached_as_the_original_read_by_ocr(settings, tmp_path, notes_dir):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(held_on=dt.date(2022, 11, 30), status=MeetingStatus.PUBLISHED)
    scan = notes_dir / "scanned/kvalitetsnatverket-2022-11-30-scan.pdf"
    attachment = notes_original_attach(meeting=meeting, path=scan, by=None)
    assert attachment.kind == AttachmentKind.PDF
    assert attachment.item.number == 0  # beside the numbered items
    assert attachment.preview_image  # a PNG of the first page
    assert "Österlund" in attachment.text  # read by OCR, Swedish letters kept
    assert notes_original_attach(meeting=meeting, path=scan, by=None) == attachment
