"""An "Åtgärd:" line in imported notes becomes an open action item of its agenda item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from likvard.networks.models import ActionItem, ActionStatus
from likvard.networks.services.imports import notes_commit, notes_preview
from tests.app.networks.conftest import NetworkWorld

pytestmark = pytest.mark.django_db

NOTES = """Anteckningar Gymnasienätverket
Datum: 2024-01-24

1. Aktuellt regional samverkan
Niklas Svensson, GR
Skolverkets regionala planeringsunderlag presenterades.
Åtgärd: Genomföra kapacitetsundersökningen med varje medlemskommun. Ansvarig: Niklas \
Svensson. Klart: 2024-02-15

2. Övriga frågor
Åtgärd: Boka lokal till vårens möten

Deltagare
Patrik Hellberg, Kungsbacka (ordförande)
Niklas Svensson, GR (samordnare)
"""


def test_action_lines_of_imported_notes_become_action_items(nets: NetworkWorld, client):
    secretary = nets.world.users["network_secretary"]
    outcome = notes_commit(
        preview=notes_preview(text=NOTES, file_name="gymnasie.txt"), by=secretary
    )
    actions = ActionItem.objects.filter(item__meeting=outcome.meeting).order_by("pk")
    found = [
        (a.item.number, a.text, a.owner_name, a.organisation_name, a.due, a.status) for a in actions
    ]
    assert found == [
        (
            1,
            "Genomföra kapacitetsundersökningen med varje medlemskommun",
            "Niklas Svensson",
            "GR",  # from the attendance list
            dt.date(2024, 2, 15),
            ActionStatus.OPEN,
        ),
        (2, "Boka lokal till vårens möten", "", "", None, ActionStatus.OPEN),
    ]
    client.force_login(nets.world.users["network_member"])
    page = client.get(reverse("networks:action-items")).content.decode()
    assert "Genomföra kapacitetsundersökningen" in page
    assert "Ingen ansvarig angiven" in page
