"""Search: Swedish stemming, highlighted hits, and nobody finds notes they may not read."""

from __future__ import annotations

import datetime as dt

import pytest

from likvard.access.policy import viewer_for
from likvard.networks.services.imports import notes_commit, notes_read
from likvard.networks.services.meetings import agenda_item_add, meeting_create
from likvard.networks.services.search import highlight, notes_search, stems
from tests.app.networks.conftest import NetworkWorld
from tests.factories.networks import member

pytestmark = pytest.mark.django_db


def test_stems_join_inflections():
    assert stems("beroendekarta beroendekartor")[0] == stems("beroendekartor")[0]


def test_highlight_marks_inflected_words():
    fragments = highlight("Två beroendekartor visades.", set(stems("beroendekarta")))
    assert [f.text for f in fragments if f.hit] == ["beroendekartor"]
    assert "".join(f.text for f in fragments) == "Två beroendekartor visades."


@pytest.mark.realdata
def test_beroendekarta_finds_beroendekartor_in_real_notes(nets: NetworkWorld, notes_dir):
    notes_commit(preview=notes_read(path=notes_dir / "gymnasienatverket-2023-11.txt"), by=None)
    viewer = viewer_for(nets.world.users["network_member"])
    hits = notes_search(viewer=viewer, query="beroendekarta")
    assert len(hits) == 1
    marked = [f.text for f in hits[0].snippet if f.hit]
    assert marked == ["beroendekartor"]
    assert hits[0].network == "Gymnasienätverket"
    assert notes_search(viewer=viewer, query="beroendekarta antagningsåret")  # all words
    assert notes_search(viewer=viewer, query="beroendekarta xyzzy") == []


def test_members_do_not_find_other_networks_unpublished_notes(nets: NetworkWorld):
    users = nets.world.users
    other_secretary = users["principal"]
    member(nets.kvalitet, other_secretary, "secretary")
    draft = meeting_create(network=nets.kvalitet, held_on=dt.date(2025, 2, 1), by=other_secretary)
    agenda_item_add(
        meeting=draft,
        title="Enkätresultat",
        body="Resultaten från elevenkäten visar skillnader mellan skolorna.",
    )
    assert notes_search(viewer=viewer_for(other_secretary), query="elevenkäter")
    for role in ("network_member", "network_secretary", "administrator"):
        assert notes_search(viewer=viewer_for(users[role]), query="elevenkäten") == [], role
    member(nets.kvalitet, users["network_member"])  # a member, but the notes are a draft
    assert notes_search(viewer=viewer_for(users["network_member"]), query="elevenkäten") == []


def test_edited_item_is_reindexed(nets: NetworkWorld):
    from likvard.networks.services.meetings import agenda_item_write

    secretary = nets.world.users["network_secretary"]
    meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 2, 1), by=secretary)
    item = agenda_item_add(meeting=meeting, title="Lokaler", body="Om skolgårdar.")
    viewer = viewer_for(secretary)
    assert notes_search(viewer=viewer, query="skolgård")
    agenda_item_write(
        item=item,
        title="Lokaler",
        kind=item.kind,
        presenter="",
        standing=False,
        body="Om matsalar.",
    )
    assert notes_search(viewer=viewer, query="skolgård") == []
    assert notes_search(viewer=viewer, query="matsal")


def test_filters_by_date_person_and_organisation(nets: NetworkWorld):
    from likvard.networks.services.meetings import AttendanceEntry, attendance_record
    from likvard.networks.services.search import SearchFilters

    secretary = nets.world.users["network_secretary"]
    for day, person, town in ((5, "Jan Tinnberg", "Göteborg"), (26, "Lena Almqvist", "Partille")):
        meeting = meeting_create(network=nets.gymnasie, held_on=dt.date(2025, 3, day), by=secretary)
        agenda_item_add(meeting=meeting, title="Utbud", body="Om programutbudet.")
        attendance_record(meeting=meeting, entries=[AttendanceEntry(person, town, "present")])
    viewer = viewer_for(secretary)

    def days(filters: SearchFilters) -> list[int]:
        hits = notes_search(viewer=viewer, query="programutbudet", filters=filters)
        return sorted(h.held_on.day for h in hits)

    assert days(SearchFilters()) == [5, 26]
    assert days(SearchFilters(held_from=dt.date(2025, 3, 10))) == [26]
    assert days(SearchFilters(held_to=dt.date(2025, 3, 10))) == [5]
    assert days(SearchFilters(person="tinnberg")) == [5]
    assert days(SearchFilters(organisation="Partille")) == [26]
