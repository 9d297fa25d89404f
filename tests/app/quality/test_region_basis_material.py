"""The region's basis page is kept rendered per viewer kind, but the material beside its flags
is what each viewer may read (a network's own material only for its members): a member's page
must never be served to a viewer of the same kind outside the network (found by pages9)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from likvard.access.models import Role
from likvard.access.policy import viewer_for
from likvard.quality.services import material
from likvard.quality.services.material import MaterialLink, material_scope
from likvard_core.analytics.quality.basis import AnalysisBasis
from tests.app.conftest import World
from tests.app.opendata.conftest import region_world  # noqa: F401 (fixture)
from tests.factories.access import user_with_role
from tests.factories.networks import MembershipFactory, NetworkFactory

SECRET = "Nätverkets egna anteckningar om meritvärdet"


@pytest.mark.django_db
def test_a_members_material_is_not_served_to_another_viewer_of_the_kind(
    region_world: World,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(AnalysisBasis, "flagged", lambda self: self.all_blocks()[:1])

    def finder(viewer, subject, key):  # type: ignore[no-untyped-def]
        if viewer.username != "medlem":  # the network's member reads it, nobody else
            return []
        return [MaterialLink(url="/kunskapsbank/1/", title=SECRET)]

    monkeypatch.setitem(material._FINDERS, "test-network-only", (finder, None))
    monkeypatch.setitem(
        material._SCOPES, "test-network-only", lambda v: str(v.username == "medlem")
    )
    caches["default"].clear()
    outsider = user_with_role("medlem.annan", Role.NETWORK_MEMBER, region="gr")
    url = reverse("quality:basis-region", args=["gr"])

    member = Client()
    member.force_login(region_world.users["network_member"])
    assert SECRET in member.get(url).content.decode()

    other = Client()
    other.force_login(outsider)
    page = other.get(url)
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    assert SECRET in member.get(url).content.decode()  # the member's page still names it


@pytest.mark.django_db
def test_the_banks_scope_tells_a_networks_member_from_an_outsider(
    region_world: World,  # noqa: F811
):
    """The knowledge bank's part of the key: a membership of a network changes it."""
    member = region_world.users["network_member"]
    outsider = user_with_role("medlem.annan", Role.NETWORK_MEMBER, region="gr")
    assert material_scope(viewer_for(member)) == material_scope(viewer_for(outsider))
    network = NetworkFactory(region=region_world.region)
    MembershipFactory(network=network, user=member)
    assert material_scope(viewer_for(member)) != material_scope(viewer_for(outsider))
