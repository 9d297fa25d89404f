"""Administrators and regional coordinators create networks and appoint their secretaries in
the app; a network secretary (the role) imports old notes into their region's networks."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from likvard.access.models import Role
from likvard.networks.models import Membership, MembershipRole, Network
from likvard.networks.services.networks import network_code_for
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.networks import MembershipFactory, NetworkFactory
from tests.factories.organisations import RegionFactory

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_a_coordinator_creates_a_network_with_its_secretary(world: World):
    client = _client(world, "regional_coordinator")
    listing = client.get(reverse("networks:network-list")).content.decode()
    assert reverse("networks:network-create") in listing
    form = client.get(reverse("networks:network-create")).content.decode()
    assert "Namn på nätverket" in form
    assert "sekreterare" in form  # the secretary is chosen by name (no name: the username)
    response = client.post(
        reverse("networks:network-create"),
        {
            "name": "Gymnasienätverket",
            "region": "gr",
            "description": "Gymnasiecheferna i GR:s medlemskommuner.",
            "secretary": world.users["network_secretary"].pk,
            "secretary_organisation": "Göteborgsregionen",
        },
    )
    network = Network.objects.get(name="Gymnasienätverket")
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:network-detail", args=[network.code])
    assert (network.code, network.region.code) == ("gymnasienatverket", "gr")
    secretary = Membership.objects.get(network=network)
    assert (secretary.user, secretary.role, secretary.organisation_name) == (
        world.users["network_secretary"],
        MembershipRole.SECRETARY,
        "Göteborgsregionen",
    )
    # The secretary now writes the network's minutes.
    writer = _client(world, "network_secretary")
    assert writer.get(reverse("networks:meeting-create", args=[network.code])).status_code == 200


def test_a_coordinator_creates_networks_only_in_their_region(world: World):
    RegionFactory(code="skaraborg", name="Skaraborgs kommunalförbund")
    client = _client(world, "regional_coordinator")
    response = client.post(
        reverse("networks:network-create"), {"name": "Nätverket IM", "region": "skaraborg"}
    )
    assert response.status_code == 400
    assert not Network.objects.exists()


@pytest.mark.parametrize(
    "role", ["organizer_analyst", "principal", "network_secretary", "network_member"]
)
def test_others_may_not_create_networks(world: World, role: str):
    client = _client(world, role)
    assert client.get(reverse("networks:network-create")).status_code == 403
    assert (
        reverse("networks:network-create")
        not in client.get(reverse("networks:network-list")).content.decode()
    )


def test_an_administrator_creates_a_network_in_any_region(world: World):
    RegionFactory(code="skaraborg", name="Skaraborgs kommunalförbund")
    client = _client(world, "administrator")
    response = client.post(
        reverse("networks:network-create"), {"name": "Nätverket IM", "region": "skaraborg"}
    )
    assert response.status_code == 302
    assert Network.objects.get(name="Nätverket IM").region.code == "skaraborg"


def test_the_same_name_twice_in_a_region_is_refused(world: World):
    NetworkFactory(code="im-gruppen", name="IM-gruppen", region=world.region)
    response = _client(world, "regional_coordinator").post(
        reverse("networks:network-create"), {"name": "IM-gruppen", "region": "gr"}
    )
    assert response.status_code == 400
    assert "har redan ett nätverk som heter IM-gruppen" in response.content.decode()


def test_codes_are_made_from_names_and_kept_free():
    assert network_code_for(name="Utbildningschefsnätverket") == "utbildningschefsnatverket"
    assert network_code_for(name="Nytt") == "nytt-2"  # "nytt" is the new-network address


def test_a_coordinator_appoints_a_secretary(world: World):
    network = NetworkFactory(
        code="kvalitetsnatverket", name="Kvalitetsnätverket", region=world.region
    )
    client = _client(world, "regional_coordinator")
    url = reverse("networks:secretaries", args=[network.code])
    detail = client.get(reverse("networks:network-detail", args=[network.code])).content.decode()
    assert url in detail
    assert "har ingen sekreterare" in client.get(url).content.decode()
    secretary = world.users["network_secretary"]
    for _ in range(2):  # appointing again changes nothing
        response = client.post(url, {"user": secretary.pk, "organisation_name": "GR"})
        assert response.status_code == 302
    membership = Membership.objects.get(network=network)
    assert (membership.user, membership.role) == (secretary, MembershipRole.SECRETARY)
    assert membership.person_name in client.get(url).content.decode()


def test_secretaries_are_appointed_only_by_the_region_s_coordinator(world: World):
    other_region = RegionFactory(code="skaraborg", name="Skaraborgs kommunalförbund")
    network = NetworkFactory(code="natverket-im", name="Nätverket IM", region=other_region)
    url = reverse("networks:secretaries", args=[network.code])
    assert _client(world, "regional_coordinator").get(url).status_code == 403
    assert _client(world, "network_secretary").get(url).status_code == 403
    assert _client(world, "administrator").get(url).status_code == 200


def test_a_network_secretary_imports_old_notes_into_their_region_s_networks(world: World):
    """Today's 403: the role network secretary of GR, not yet any network's secretary."""
    gymnasie = NetworkFactory(
        code="gymnasienatverket", name="Gymnasienätverket", region=world.region
    )
    other = NetworkFactory(
        code="natverket-im",
        name="Nätverket IM",
        region=RegionFactory(code="skaraborg", name="Skaraborgs kommunalförbund"),
    )
    secretary = user_with_role("ny.sekreterare", Role.NETWORK_SECRETARY, region="gr")
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("networks:notes-import")).status_code == 200
    assert (
        reverse("networks:notes-import")
        in client.get(reverse("networks:network-list")).content.decode()
    )
    upload = client.post(
        reverse("networks:notes-import"),
        {"file": _notes_file("Gymnasienätverket\n\n1. Utbud\nText.\n")},
    )
    assert upload.status_code == 302
    review = client.get(upload["Location"])
    choices = [c[0] for c in review.context["form"].fields["network"].choices if c[0]]
    assert [str(c) for c in choices] == [gymnasie.code]
    assert other.code not in review.content.decode()
    committed = client.post(
        upload["Location"],
        {"network": gymnasie.code, "text": "Gymnasienätverket\n\n1. Utbud\nText.\n", "commit": "1"},
    )
    assert committed.status_code == 302
    assert gymnasie.meetings.count() == 1


def test_a_member_still_may_not_import_notes(world: World):
    client = _client(world, "network_member")
    assert client.get(reverse("networks:notes-import")).status_code == 403


def _notes_file(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("anteckningar.txt", text.encode(), content_type="text/plain")


def test_the_list_names_the_viewers_role_in_each_network(world: World):
    """The secretary of one network and a member of another sees "Sekreterare" beside the
    first and "Medlem" beside the second, in the page and the API (it said "Medlem" for both)."""
    user = world.users["network_secretary"]
    written = NetworkFactory(
        code="gymnasienatverket", name="Gymnasienätverket", region=world.region
    )
    joined = NetworkFactory(code="im-gruppen", name="IM-gruppen", region=world.region)
    MembershipFactory(network=written, user=user, role=MembershipRole.SECRETARY)
    MembershipFactory(network=joined, user=user, role=MembershipRole.MEMBER)
    NetworkFactory(code="kvalitet", name="Kvalitetsnätverket", region=world.region)
    client = _client(world, "network_secretary")
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: row
        for row in client.get(reverse("networks:network-list")).content.decode().split("<tr>")[2:]
    }
    assert "<td>Sekreterare</td>" in rows["Gymnasienätverket"]
    assert "<td>Medlem</td>" in rows["IM-gruppen"]
    assert "<td></td>" in rows["Kvalitetsnätverket"]
    listed = {n["code"]: n["roles"] for n in client.get("/api/v1/networks/").json()}
    assert listed["gymnasienatverket"] == ["Sekreterare"]
    assert listed["kvalitet"] == []


def test_the_list_shows_part_of_only_when_a_network_is_part_of_another(world: World):
    """A "Part of" column empty on every row says nothing: it is shown only once some network
    is part of another, and then names the parent on its row."""
    NetworkFactory(code="kvalitet", name="Kvalitetsnätverket", region=world.region)
    client = _client(world, "regional_coordinator")
    url = reverse("networks:network-list")
    assert "Del av" not in client.get(url).content.decode()
    parent = Network.objects.get(code="kvalitet")
    NetworkFactory(code="im-gruppen", name="IM-gruppen", region=world.region, parent=parent)
    listing = client.get(url).content.decode()
    assert "Del av" in listing
    assert "<td>Kvalitetsnätverket</td>" in listing


def test_the_list_shows_the_viewer_s_roles_only_when_they_have_one(world: World):
    """An analyst in no network saw a "You" column empty on every row; a member sees it."""
    NetworkFactory(code="kvalitet", name="Kvalitetsnätverket", region=world.region)
    url = reverse("networks:network-list")
    listing = _client(world, "regional_coordinator").get(url).content.decode()
    assert "Kvalitetsnätverket" in listing
    assert ">Du</th>" not in listing
    secretary = _client(world, "network_secretary")
    MembershipFactory(
        network=Network.objects.get(code="kvalitet"),
        user=world.users["network_secretary"],
        role=MembershipRole.SECRETARY,
    )
    assert ">Du</th>" in secretary.get(url).content.decode()
