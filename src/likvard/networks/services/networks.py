"""Creating networks and appointing their secretaries (administrators, regional coordinators).

A network's code is made from its name (``gymnasienatverket``) and kept unique; words the
networks' own addresses use (``nytt``, ``sok`` ...) are never a code. A secretary is a user
with a current membership as secretary: appointing someone who is already a member makes
their membership a secretary's, appointing a secretary again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from likvard.networks.models import Membership, MembershipRole, Network
from likvard.networks.services.members import municipality_named
from likvard.organisations.models import Region

RESERVED_CODES = frozenset(
    {"nytt", "sok", "atgarder", "narvaro", "import", "moten", "punkter", "bilagor", "beslut",
     "medlemskap"}
)  # fmt: skip
CODE_MAX_CHARS = 60


def network_code_for(*, name: str) -> str:
    """A free code for a network named ``name``: its slug, numbered when taken or reserved."""
    base = slugify(name.replace("ä", "a").replace("å", "a").replace("ö", "o"))[:CODE_MAX_CHARS]
    base = base or "natverk"
    code, number = base, 1
    while code in RESERVED_CODES or Network.objects.filter(code=code).exists():
        number += 1
        suffix = f"-{number}"
        code = f"{base[: CODE_MAX_CHARS - len(suffix)]}{suffix}"
    return code


@transaction.atomic
def network_create(
    *,
    name: str,
    region: Region,
    description: str = "",
    parent: Network | None = None,
    code: str = "",
) -> Network:
    """A new network of ``region`` (or a group within ``parent``, of the same region).

    Raises ``ValidationError`` when the region already has a network of that name or the
    parent network belongs to another region.
    """
    name = " ".join(name.split())
    if Network.objects.filter(region=region, name__iexact=name).exists():
        raise ValidationError(
            _("%(region)s already has a network named %(name)s.")
            % {"region": region.name, "name": name}
        )
    if parent is not None and parent.region_id != region.pk:
        raise ValidationError(_("A group belongs to a network of the same region."))
    network = Network(
        code=code or network_code_for(name=name),
        name=name,
        region=region,
        parent=parent,
        description=description.strip(),
    )
    network.full_clean()
    network.save()
    return network


def _current(network: Network, user: User, on: dt.date) -> Membership | None:
    return (
        Membership.objects.filter(network=network, user=user)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def secretary_appoint(
    *,
    network: Network,
    user: User,
    organisation_name: str = "",
    valid_from: dt.date | None = None,
) -> Membership:
    """Make ``user`` a secretary of ``network`` from ``valid_from`` (today by default).

    Returns the secretary's membership: a new one, or the user's current membership with the
    role changed to secretary (a current secretary's stays as it is).
    """
    today = timezone.localdate()
    existing = _current(network, user, today)
    if existing is not None:
        if existing.role != MembershipRole.SECRETARY:
            existing.role = MembershipRole.SECRETARY
            existing.full_clean()
            existing.save(update_fields=["role"])
        return existing
    membership = Membership(
        network=network,
        user=user,
        person_name=user.get_full_name() or user.get_username(),
        organisation_name=organisation_name.strip(),
        municipality=municipality_named(organisation_name) if organisation_name else None,
        role=MembershipRole.SECRETARY,
        valid_from=valid_from or today,
    )
    membership.full_clean()
    membership.save()
    return membership
