"""Reading the networks' work, always scoped to what the viewer may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from likvard.access.models import Role
from likvard.access.policy import NetworkAction, NetworkStanding, Viewer, network_allowed
from likvard.networks.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceStatus,
    Decision,
    Forwarding,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipRole,
    Network,
)
from likvard.organisations.models import Region
from likvard.organisations.selectors import NotFoundError as LookupMissError
from likvard.organisations.selectors import region_list

WRITER_ROLES = (MembershipRole.SECRETARY, MembershipRole.COORDINATOR)


class NotFoundError(LookupMissError):
    """No such network, meeting or item."""


def _active_memberships(user_id: int | None) -> QuerySet[Membership]:
    if user_id is None:
        return Membership.objects.none()
    today = timezone.localdate()
    return Membership.objects.filter(user_id=user_id).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
    )


def network_standing(
    *, viewer: Viewer, network: Network, meeting: Meeting | None = None
) -> NetworkStanding:
    """The viewer's standing in ``network`` (and as chair or checker of ``meeting``)."""
    if viewer.user_id is None:
        return NetworkStanding()
    memberships = list(_active_memberships(viewer.user_id).values_list("network_id", "role"))
    networks = {network_id for network_id, _ in memberships}
    shared_with: set[int] = set()
    if meeting is not None:
        shared_with = set(meeting.shares.values_list("network_id", flat=True))
    checker = meeting is not None and viewer.user_id in {meeting.chair_id, meeting.checker_id}
    return NetworkStanding(
        member=network.pk in networks or bool(networks & shared_with),
        secretary=(network.pk, MembershipRole.SECRETARY) in memberships
        or (network.pk, MembershipRole.COORDINATOR) in memberships,
        checker=checker,
    )


def network_get(*, code: str) -> Network:
    """The network with ``code``; raises ``NotFoundError``."""
    network = Network.objects.select_related("region", "parent").filter(code=code).first()
    if network is None:
        raise NotFoundError(code)
    return network


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """A network in the list: its sub-groups and whether the viewer belongs to it."""

    network: Network
    member: bool
    member_count: int
    # The viewer's roles in the network, most responsible first (chair before member).
    roles: tuple[MembershipRole, ...] = ()


def network_list(*, viewer: Viewer) -> list[NetworkSummary]:
    """Every network (their existence and members are public), the viewer's own marked with
    their roles in it."""
    order = list(MembershipRole)
    own: dict[int, set[MembershipRole]] = defaultdict(set)
    for network_id, role in _active_memberships(viewer.user_id).values_list("network_id", "role"):
        own[network_id].add(MembershipRole(role))
    counts: dict[int, int] = defaultdict(int)
    for network_id in Membership.objects.values_list("network_id", flat=True):
        counts[network_id] += 1
    return [
        NetworkSummary(
            network=n,
            member=n.pk in own,
            member_count=counts[n.pk],
            roles=tuple(sorted(own.get(n.pk, ()), key=order.index)),
        )
        for n in Network.objects.select_related("region", "parent")
    ]


def network_list_has_parents(networks: list[NetworkSummary]) -> bool:
    """Whether any network in ``networks`` is part of another: the list shows its "Part of"
    column only then (a column empty on every row tells the reader nothing)."""
    return any(summary.network.parent_id is not None for summary in networks)


@dataclass(frozen=True, slots=True)
class OwnNetwork:
    """A network the viewer belongs to, for their start page."""

    network: Network
    roles: tuple[MembershipRole, ...]
    next_meeting: Meeting | None
    open_actions: int
    """Open action items in the network's meetings the viewer may read."""


def own_networks(*, viewer: Viewer) -> list[OwnNetwork]:
    """The networks the viewer is a member of today, with the next planned meeting of each and
    the open action items they can read there, by name."""
    order = list(MembershipRole)
    roles: dict[int, set[MembershipRole]] = defaultdict(set)
    for network_id, role in _active_memberships(viewer.user_id).values_list("network_id", "role"):
        roles[network_id].add(MembershipRole(role))
    if not roles:
        return []
    readable = [m.pk for m in readable_meetings(viewer=viewer)]
    counts: dict[int, int] = defaultdict(int)
    for network_id in ActionItem.objects.filter(
        status=ActionStatus.OPEN, item__meeting_id__in=readable
    ).values_list("item__meeting__network_id", flat=True):
        counts[network_id] += 1
    return [
        OwnNetwork(
            network=network,
            roles=tuple(sorted(roles[network.pk], key=order.index)),
            next_meeting=meeting_next_planned(network=network),
            open_actions=counts[network.pk],
        )
        for network in Network.objects.filter(pk__in=roles).order_by("name")
    ]


def region_networks(*, region: Region) -> list[Network]:
    """The region's networks (their existence is public), each followed by its sub-groups."""
    networks = list(Network.objects.filter(region=region).select_related("parent"))
    top = [n for n in networks if n.parent_id is None]
    below: dict[int, list[Network]] = defaultdict(list)
    for n in networks:
        if n.parent_id is not None:
            below[n.parent_id].append(n)
    ordered = []
    for n in top:
        ordered += [n, *below.pop(n.pk, [])]
    return ordered + [n for rest in below.values() for n in rest]


def network_members(*, network: Network, on: dt.date | None = None) -> list[Membership]:
    """The members of ``network`` on ``on`` (today by default), by organisation and name."""
    day = on or timezone.localdate()
    return list(
        network.memberships.select_related("municipality", "user", "substitute_for")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("organisation_name", "person_name")
    )


def readable_meetings(*, viewer: Viewer, network: Network | None = None) -> list[Meeting]:
    """Meetings whose minutes the viewer may read: published ones of their networks (and ones
    shared with them), drafts of networks where they write, and drafts they are to check."""
    if viewer.user_id is None:
        return []
    memberships = list(_active_memberships(viewer.user_id).values_list("network_id", "role"))
    member_of = {network_id for network_id, _ in memberships}
    writes = {network_id for network_id, role in memberships if role in WRITER_ROLES}
    published = Q(status=MeetingStatus.PUBLISHED) & (
        Q(network_id__in=member_of) | Q(shares__network_id__in=member_of)
    )
    visible = (
        published
        | Q(network_id__in=writes)
        | Q(chair_id=viewer.user_id)
        | Q(checker_id=viewer.user_id)
    )
    query = Meeting.objects.filter(visible).select_related("network").distinct()
    if network is not None:
        query = query.filter(network=network)
    return list(query)


def meeting_get(*, pk: int) -> Meeting:
    """The meeting ``pk`` with its network; raises ``NotFoundError``."""
    meeting = Meeting.objects.select_related("network", "network__region").filter(pk=pk).first()
    if meeting is None:
        raise NotFoundError(pk)
    return meeting


def agenda_item_get(*, pk: int) -> AgendaItem:
    """The agenda item ``pk`` with its meeting and network; raises ``NotFoundError``."""
    item = AgendaItem.objects.select_related("meeting", "meeting__network").filter(pk=pk).first()
    if item is None:
        raise NotFoundError(pk)
    return item


def meeting_readable(*, viewer: Viewer, meeting: Meeting) -> bool:
    """Whether the viewer may read ``meeting``'s minutes (the policy decides)."""
    standing = network_standing(viewer=viewer, network=meeting.network, meeting=meeting)
    return network_allowed(
        viewer, NetworkAction.READ_MINUTES, standing=standing, published=meeting.is_published
    )


@dataclass(frozen=True, slots=True)
class MeetingDetail:
    """A meeting's minutes, ready to show or export: attendance grouped, items in order."""

    meeting: Meeting
    present_by_organisation: list[tuple[str, list[Attendance]]]
    absent: list[Attendance]
    items: list[AgendaItem]
    carried_actions: list[ActionItem]


def meeting_detail(*, meeting: Meeting) -> MeetingDetail:
    """Everything in ``meeting``'s minutes, loaded in a fixed number of queries."""
    attendance = list(meeting.attendance.select_related("municipality"))
    grouped: dict[str, list[Attendance]] = defaultdict(list)
    for row in attendance:
        if row.status != AttendanceStatus.ABSENT:
            grouped[row.organisation_name or "–"].append(row)
    items = list(
        meeting.items.prefetch_related(
            "decisions__forwardings__network",
            "action_items__forwardings__network",
            "attachments",
            "snapshots",
            "forwarded_from__decision__item__meeting__network",
            "forwarded_from__action_item__item__meeting__network",
        )
    )
    return MeetingDetail(
        meeting=meeting,
        present_by_organisation=sorted(grouped.items()),
        absent=[row for row in attendance if row.status == AttendanceStatus.ABSENT],
        items=items,
        carried_actions=list(
            meeting.carried_action_items.filter(status=ActionStatus.OPEN).select_related(
                "item__meeting"
            )
        ),
    )


def action_items_open(
    *, viewer: Viewer, person: str = "", organisation: str = ""
) -> list[ActionItem]:
    """Open action items in meetings the viewer may read, filtered by person or organisation."""
    meetings = [m.pk for m in readable_meetings(viewer=viewer)]
    query = ActionItem.objects.filter(
        status=ActionStatus.OPEN, item__meeting_id__in=meetings
    ).select_related("item__meeting__network")
    if person:
        query = query.filter(owner_name__icontains=person)
    if organisation:
        query = query.filter(organisation_name__icontains=organisation)
    return list(query.order_by("organisation_name", "owner_name", "due"))


def writer_standing(*, viewer: Viewer) -> NetworkStanding:
    """The viewer's standing as a writer in any network (for pages not about one network)."""
    writes = _active_memberships(viewer.user_id).filter(role__in=WRITER_ROLES).exists()
    return NetworkStanding(secretary=writes)


def networks_written(*, viewer: Viewer) -> list[Network]:
    """The networks whose minutes the viewer writes (secretary or coordinator)."""
    ids = _active_memberships(viewer.user_id).filter(role__in=WRITER_ROLES).values("network_id")
    return list(Network.objects.filter(pk__in=ids))


def networks_importable(*, viewer: Viewer) -> list[Network]:
    """Networks the viewer may import old notes into (the policy decides for each): where they
    write, those of the regions where they are network secretary, all for administrators."""
    written = {n.pk for n in networks_written(viewer=viewer)}
    return [
        n
        for n in Network.objects.select_related("region")
        if network_allowed(
            viewer,
            NetworkAction.IMPORT_NOTES,
            standing=NetworkStanding(secretary=n.pk in written),
            region=n.region.code,
        )
    ]


def regions_managed(*, viewer: Viewer) -> list[Region]:
    """The regions where the viewer may create networks and appoint secretaries."""
    return [
        r
        for r in region_list()
        if network_allowed(viewer, NetworkAction.MANAGE_NETWORKS, region=r.code)
    ]


def secretary_candidates(*, regions: list[Region]) -> list[User]:
    """Active users holding the role network secretary in one of ``regions``, by name."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.NETWORK_SECRETARY,
            role_assignments__region__in=regions,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def network_secretaries(*, network: Network) -> list[Membership]:
    """The network's current secretaries (and coordinators), by name."""
    return [m for m in network_members(network=network) if m.role in WRITER_ROLES]


@dataclass(frozen=True, slots=True)
class AttendanceOverview:
    """Who represented each municipality of the region at each meeting the viewer may read.

    ``rows`` pair a municipality name with one count per meeting (people present, substitutes
    included; 0 where the municipality was missing), in the order of ``meetings``.
    """

    network: Network
    meetings: list[Meeting]
    rows: list[tuple[str, list[int]]]
    unregistered: list[Meeting]


def meetings_with_register(meetings: list[Meeting]) -> tuple[list[Meeting], list[Meeting]]:
    """``meetings`` split into those with an attendance register and those without one.

    A meeting nobody registered attendance for (a planned one, or one whose minutes are not
    written yet) says nothing about who came: counting it would mark every municipality missing.
    """
    registered = set(
        Attendance.objects.filter(meeting__in=meetings).values_list("meeting_id", flat=True)
    )
    return (
        [m for m in meetings if m.pk in registered],
        [m for m in meetings if m.pk not in registered],
    )


def attendance_overview(*, viewer: Viewer, network: Network) -> AttendanceOverview:
    """Attendance per municipality over the network's meetings the viewer may read, oldest first;
    meetings without an attendance register are left out (listed in ``unregistered``)."""
    meetings, unregistered = meetings_with_register(
        sorted(
            readable_meetings(viewer=viewer, network=network),
            key=lambda m: (m.held_on is None, m.held_on, m.pk),
        )
    )
    present: dict[tuple[str, int], int] = defaultdict(int)
    for name, meeting_id in (
        Attendance.objects.filter(meeting__in=meetings, municipality__isnull=False)
        .exclude(status=AttendanceStatus.ABSENT)
        .values_list("municipality__name", "meeting_id")
    ):
        present[(name, meeting_id)] += 1
    names = sorted(network.region.municipalities.values_list("name", flat=True))
    names += sorted({name for name, _ in present} - set(names))
    rows = [(name, [present[(name, m.pk)] for m in meetings]) for name in names]
    return AttendanceOverview(
        network=network, meetings=meetings, rows=rows, unregistered=unregistered
    )


def meeting_next_planned(*, network: Network) -> Meeting | None:
    """The network's next planned meeting: its earliest draft dated today or later, or None."""
    return (
        Meeting.objects.filter(
            network=network, status=MeetingStatus.DRAFT, held_on__gte=timezone.localdate()
        )
        .order_by("held_on", "pk")
        .first()
    )


@dataclass(frozen=True, slots=True)
class IncomingMatters:
    """Matters other networks forwarded to ``network``: waiting for a meeting, or on an agenda."""

    network: Network
    pending: list[Forwarding]
    placed: list[Forwarding]


def incoming_matters(*, network: Network) -> IncomingMatters:
    """The decisions and action items forwarded to ``network``, oldest first."""
    rows = list(
        Forwarding.objects.filter(network=network).select_related(
            "decision__item__meeting__network",
            "action_item__item__meeting__network",
            "agenda_item__meeting",
        )
    )
    return IncomingMatters(
        network=network,
        pending=[f for f in rows if f.agenda_item_id is None],
        placed=[f for f in rows if f.agenda_item_id is not None],
    )


@dataclass(frozen=True, slots=True)
class MemberRoster:
    """A network's memberships: ``current`` (ongoing or starting later) and ``former``."""

    network: Network
    current: list[Membership]
    former: list[Membership]


def member_roster(*, network: Network) -> MemberRoster:
    """Every membership of ``network``, current ones by organisation and name, former ones
    latest ended first."""
    today = timezone.localdate()
    rows = list(
        network.memberships.select_related("municipality", "user", "substitute_for").order_by(
            "organisation_name", "person_name"
        )
    )
    former = [m for m in rows if m.valid_to is not None and m.valid_to < today]
    former.sort(key=lambda m: m.valid_to or today, reverse=True)
    return MemberRoster(
        network=network, current=[m for m in rows if m not in former], former=former
    )


def attachment_get(*, pk: int) -> Attachment:
    """The attachment ``pk`` with its item and meeting; raises ``NotFoundError``."""
    attachment = Attachment.objects.select_related("item__meeting__network").filter(pk=pk).first()
    if attachment is None:
        raise NotFoundError(pk)
    return attachment


def decision_get(*, pk: int) -> Decision:
    """The decision ``pk`` with its item and meeting; raises ``NotFoundError``."""
    decision = Decision.objects.select_related("item__meeting__network").filter(pk=pk).first()
    if decision is None:
        raise NotFoundError(pk)
    return decision


def action_item_get(*, pk: int) -> ActionItem:
    """The action item ``pk`` with its item and meeting; raises ``NotFoundError``."""
    action = ActionItem.objects.select_related("item__meeting__network").filter(pk=pk).first()
    if action is None:
        raise NotFoundError(pk)
    return action


def networks_other_than(*, network: Network) -> list[Network]:
    """Every network but ``network`` (where its matters can be forwarded), by name."""
    return list(Network.objects.exclude(pk=network.pk).select_related("region"))


def membership_get(*, pk: int) -> Membership:
    """The membership ``pk`` with its network; raises ``NotFoundError``."""
    membership = Membership.objects.select_related("network").filter(pk=pk).first()
    if membership is None:
        raise NotFoundError(pk)
    return membership
