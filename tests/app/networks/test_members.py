"""The member-management page: add and end memberships, current and former members."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from likvard.access.policy import viewer_for
from likvard.networks.models import Membership, MembershipRole
from likvard.networks.selectors import network_standing
from likvard.networks.services.members import municipality_named
from tests.app.networks.conftest import NetworkWorld

pytestmark = pytest.mark.django_db


def _client(nets: NetworkWorld, role: str) -> Client:
    client = Client()
    client.force_login(nets.world.users[role])
    return client


URL = reverse("networks:members", args=["gymnasienatverket"])


def test_only_secretaries_coordinators_and_administrators(nets: NetworkWorld):
    assert _client(nets, "network_secretary").get(URL).status_code == 200
    assert _client(nets, "administrator").get(URL).status_code == 200
    for role in ("network_member", "regional_coordinator", "organizer_analyst"):
        assert _client(nets, role).get(URL).status_code == 403, role
    coordinator = nets.world.users["regional_coordinator"]
    Membership.objects.create(
        network=nets.gymnasie, user=coordinator, person_name="S", role=MembershipRole.COORDINATOR
    )
    assert _client(nets, "regional_coordinator").get(URL).status_code == 200


def test_add_member_with_substitute_and_school_forms(nets: NetworkWorld):
    client = _client(nets, "network_secretary")
    regular = client.post(
        URL,
        {
            "person_name": "Ellen Lindqvist",
            "organisation_name": "Mölndals stad",
            "role": "vice_chair",
            "school_forms": ["gymnasieskola", "anpassad_gymnasieskola"],
            "valid_from": "2025-01-01",
        },
    )
    assert regular.status_code == 302
    ellen = Membership.objects.get(person_name="Ellen Lindqvist")
    assert ellen.municipality is not None
    assert ellen.municipality.name == "Mölndal"
    assert ellen.school_forms == ["gymnasieskola", "anpassad_gymnasieskola"]
    client.post(
        URL,
        {
            "person_name": "Jonas Berg",
            "organisation_name": "Mölndal",
            "role": "member",
            "substitute_for": ellen.pk,
            "username": "analytiker",
        },
    )
    jonas = Membership.objects.get(person_name="Jonas Berg")
    assert jonas.substitute_for == ellen
    assert jonas.user == nets.world.users["organizer_analyst"]
    page = client.get(URL).content.decode()
    assert "ersättare för Ellen Lindqvist" in page
    assert "Vice ordförande" in page


def test_invalid_period_and_unknown_user_are_refused(nets: NetworkWorld):
    response = _client(nets, "network_secretary").post(
        URL,
        {
            "person_name": "Ny Person",
            "role": "member",
            "valid_from": "2025-06-01",
            "valid_to": "2025-01-01",
            "username": "finnsinte",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Det finns ingen användare med det användarnamnet." in text
    response = _client(nets, "network_secretary").post(
        URL,
        {
            "person_name": "Ny Person",
            "role": "member",
            "valid_from": "2025-06-01",
            "valid_to": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "Ett medlemskap kan inte upphöra innan det har börjat." in response.content.decode()
    assert not Membership.objects.filter(person_name="Ny Person").exists()


def test_end_membership_moves_it_to_former(nets: NetworkWorld):
    client = _client(nets, "network_secretary")
    membership = Membership.objects.get(user=nets.world.users["network_member"])
    end = reverse("networks:membership-end", args=[membership.pk])
    assert _client(nets, "network_member").post(end, {"valid_to": "2025-01-01"}).status_code == 403
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert client.post(end, {"valid_to": yesterday.isoformat()}).status_code == 302
    roster = client.get(URL).context["roster"]
    assert membership in roster.former
    assert membership not in roster.current
    assert nets.world.users["network_member"].username not in {
        m.user.username for m in roster.current if m.user
    }
    # The former member no longer counts as a member of the network.
    standing = network_standing(
        viewer=viewer_for(nets.world.users["network_member"]), network=nets.gymnasie
    )
    assert not standing.member


def test_municipality_named_variants(nets: NetworkWorld):
    for name in ("Mölndal", "Mölndals stad", "mölndals kommun"):
        found = municipality_named(name)
        assert found is not None, name
        assert found.name == "Mölndal", name
    assert municipality_named("Hvitfeldtska gymnasiet") is None
