"""Factories for networks, memberships and meetings."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from likvard.networks.models import (
    AgendaItem,
    Attachment,
    AttachmentKind,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipRole,
    Network,
    NotesUpload,
)
from likvard.organisations.models import Region
from tests.factories.organisations import RegionFactory

GR_NETWORKS = {
    "utbildningschefer": "Utbildningschefsnätverket",
    "gymnasienatverket": "Gymnasienätverket",
    "kvalitetsnatverket": "Kvalitetsnätverket",
    "im-gruppen": "IM-gruppen",
    "vuxenutbildning": "Vuxenutbildningssamverkan",
}


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"natverk-{n}")
    name = factory.Sequence(lambda n: f"Nätverk {n}")
    region = factory.SubFactory(RegionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    person_name = factory.Sequence(lambda n: f"Person {n}")
    role = MembershipRole.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    held_on = dt.date(2025, 3, 5)


def gr_networks(region: Region) -> dict[str, Network]:
    """The five GR networks the real notes come from, by code."""
    return {
        code: NetworkFactory(code=code, name=name, region=region)
        for code, name in GR_NETWORKS.items()
    }


def member(network: Network, user: User, role: str = MembershipRole.MEMBER) -> Membership:
    """A current membership of ``user`` in ``network``."""
    return MembershipFactory(
        network=network, user=user, person_name=user.get_full_name() or user.username, role=role
    )


ROUTE_MEETING_PUBLISHED = 9001
ROUTE_MEETING_DRAFT = 9002
ROUTE_ITEM_DRAFT = 9011
ROUTE_UPLOAD = 9021
ROUTE_ATTACHMENT = 9031
# The smallest PNG (one white pixel), standing in for a rendered preview.
PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082"
)


def route_matrix_networks(region: Region, users: dict[str, User]) -> Network:
    """Gymnasienätverket with the secretary and member, a published and a draft meeting, a draft
    item and an upload, at fixed primary keys so the route matrix can name them."""
    network = NetworkFactory(code="gymnasienatverket", name="Gymnasienätverket", region=region)
    member(network, users["network_secretary"], MembershipRole.SECRETARY)
    member(network, users["network_member"])
    published = MeetingFactory(
        pk=ROUTE_MEETING_PUBLISHED, network=network, status=MeetingStatus.PUBLISHED
    )
    attachment_stored(
        AgendaItem.objects.create(meeting=published, number=1, title="Bildspel"),
        pk=ROUTE_ATTACHMENT,
    )
    draft = MeetingFactory(pk=ROUTE_MEETING_DRAFT, network=network, held_on=dt.date(2025, 4, 2))
    AgendaItem.objects.create(pk=ROUTE_ITEM_DRAFT, meeting=draft, number=1, title="Utbud")
    NotesUpload.objects.create(
        pk=ROUTE_UPLOAD,
        file_name="anteckningar.txt",
        text="Gymnasienätverket\n\n1. Utbud\n",
        repairs=[],
        uploaded_by=users["network_secretary"],
    )
    return network


def attachment_stored(item: AgendaItem, *, pk: int | None = None, text: str = "") -> Attachment:
    """A stored PDF attachment of ``item`` with a PNG preview, as the upload service leaves it
    (the file is a stand-in: these tests are about access, not about reading PDFs)."""
    attachment = Attachment(
        pk=pk, item=item, kind=AttachmentKind.PDF, title="Bildspel", text=text, size=9
    )
    attachment.file.save("bildspel.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.preview_image.save("bildspel.png", ContentFile(PNG_PIXEL), save=False)
    attachment.save()
    return attachment
