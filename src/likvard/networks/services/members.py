"""Managing a network's members: adding memberships and ending them (secretaries, coordinators).

A membership is never deleted: it ends on a date, so the network's former members stay listed
and old minutes keep their links to the people who attended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from likvard.networks.models import Membership, Network
from likvard.organisations.models import Municipality

_ORGANISATION_SUFFIXES = (" kommun", " stad")


def municipality_named(name: str) -> Municipality | None:
    """The municipality an organisation name refers to: "Mölndal", "Mölndals stad" and
    "Kungsbacka kommun" all find theirs; None for a school, a company or an unknown name."""
    candidates = {name.strip().casefold()}
    for suffix in _ORGANISATION_SUFFIXES:
        for candidate in list(candidates):
            if candidate.endswith(suffix):
                stem = candidate.removesuffix(suffix)
                candidates |= {stem, stem.removesuffix("s")}
    for municipality in Municipality.objects.all():
        if municipality.name.casefold() in candidates:
            return municipality
    return None


@dataclass(frozen=True, slots=True)
class MembershipEntry:
    """A new membership as the secretary enters it."""

    person_name: str
    organisation_name: str
    role: str
    school_forms: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    user: User | None = None
    substitute_for: Membership | None = None


@transaction.atomic
def membership_add(*, network: Network, entry: MembershipEntry) -> Membership:
    """Add a member to ``network``; the municipality is found from the organisation's name.

    Raises ``ValidationError`` when the period ends before it starts or the person stood in
    for belongs to another network.
    """
    if entry.substitute_for is not None and entry.substitute_for.network_id != network.pk:
        raise ValidationError(_("A substitute stands in for a member of the same network."))
    membership = Membership(
        network=network,
        user=entry.user,
        person_name=entry.person_name,
        organisation_name=entry.organisation_name,
        municipality=municipality_named(entry.organisation_name),
        role=entry.role,
        school_forms=list(entry.school_forms),
        valid_from=entry.valid_from,
        valid_to=entry.valid_to,
        substitute_for=entry.substitute_for,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: dt.date) -> Membership:
    """End ``membership`` on ``on`` (its last day); raises ``ValidationError`` when that is
    before it began."""
    membership.valid_to = on
    membership.full_clean()
    membership.save(update_fields=["valid_to"])
    return membership
