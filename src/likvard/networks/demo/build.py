"""Setting up the demo's networks through the networks' own services, idempotently.

Each step looks for what an earlier run made and makes only what is missing: the networks by
code, their members once, each notes file once (by file name, so the OCR of the scan runs
once), the written meetings by date, the planned meeting when the network has none ahead.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone, translation

from likvard.networks.demo.data import (
    CHAIRS,
    IM_MEETING,
    MEMBER_MUNICIPALITY,
    NETWORKS,
    NOTES,
    PLANNED,
    SECRETARY_ORGANISATION,
    SKARABORG_SECRETARY,
    DemoMeeting,
    DemoNetwork,
    Insertion,
    NotesFile,
    generated_name,
)
from likvard.networks.models import (
    ActionStatus,
    AttendanceStatus,
    ImportedNotes,
    Meeting,
    MembershipRole,
    Network,
)
from likvard.networks.selectors import meeting_next_planned
from likvard.networks.services.imports import (
    notes_commit,
    notes_original_attach,
    notes_preview,
    notes_read,
)
from likvard.networks.services.meetings import (
    AttendanceEntry,
    action_item_add,
    action_item_done,
    agenda_item_add,
    attendance_record,
    decision_add,
    meeting_check,
    meeting_create,
    meeting_publish,
)
from likvard.networks.services.members import MembershipEntry, membership_add
from likvard.networks.services.networks import network_create, secretary_appoint
from likvard.organisations.selectors import region_get, region_municipalities

logger = logging.getLogger(__name__)

MEMBERS_SINCE = dt.date(2022, 8, 1)
SATURDAY = 5
ABSENT_EVERY = 5


@dataclass(frozen=True, slots=True)
class NetworksDemo:
    """What setting up the demo's networks found and did."""

    networks: int
    members: int
    notes_imported: int
    notes_already: int
    notes_missing: tuple[str, ...]
    meetings: int


def networks_demo_ensure(*, notes_dir: Path) -> NetworksDemo:
    """Create the demo's networks, members and meetings where missing; import the real notes
    from ``notes_dir`` (files absent there are skipped and named in the result).

    Needs the reference data and the demo users (``sekreterare``, ``medlem``, ``admin``).
    """
    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    with translation.override("sv"):
        networks = {spec.code: _network_ensure(spec) for spec in NETWORKS}
        for spec in NETWORKS:
            _members_ensure(networks[spec.code], spec, users)
        imported, already, missing = _notes_ensure(networks, notes_dir, users.get("sekreterare"))
        _written_meeting_ensure(IM_MEETING, networks, users)
        for planned in PLANNED:
            _planned_meeting_ensure(planned, networks, users)
    return NetworksDemo(
        networks=len(networks),
        members=sum(n.memberships.count() for n in networks.values()),
        notes_imported=imported,
        notes_already=already,
        notes_missing=tuple(missing),
        meetings=Meeting.objects.filter(network__in=networks.values()).count(),
    )


def _usernames() -> set[str]:
    names = {"admin"}
    for spec in NETWORKS:
        names |= {n for n in (spec.secretary, spec.member) if n}
    return names


def _network_ensure(spec: DemoNetwork) -> Network:
    existing = Network.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing
    return network_create(
        name=spec.name,
        region=region_get(code=spec.region),
        description=spec.description,
        code=spec.code,
    )


def _members_ensure(network: Network, spec: DemoNetwork, users: dict[str, User]) -> None:
    """One member per municipality of the region (the demo member for Mölndal where the
    network has one), chair and vice chair, and the secretary; once per network."""
    if network.memberships.exists():
        return
    chair, vice = CHAIRS[spec.code]
    member = users.get(spec.member) if spec.member else None
    for municipality in region_municipalities(region=network.region):
        name = municipality.name
        role = {chair: MembershipRole.CHAIR, vice: MembershipRole.VICE_CHAIR}.get(
            name, MembershipRole.MEMBER
        )
        user = member if member is not None and name == MEMBER_MUNICIPALITY else None
        membership_add(
            network=network,
            entry=MembershipEntry(
                person_name=(
                    (user.get_full_name() or user.get_username())
                    if user
                    else generated_name(spec.code, name)
                ),
                organisation_name=name,
                role=role,
                school_forms=spec.school_forms,
                valid_from=MEMBERS_SINCE,
                user=user,
            ),
        )
    secretary = users.get(spec.secretary) if spec.secretary else None
    if secretary is not None:
        secretary_appoint(
            network=network,
            user=secretary,
            organisation_name=SECRETARY_ORGANISATION,
            valid_from=MEMBERS_SINCE,
        )
    else:
        person, organisation = SKARABORG_SECRETARY
        membership_add(
            network=network,
            entry=MembershipEntry(
                person_name=person,
                organisation_name=organisation,
                role=MembershipRole.SECRETARY,
                valid_from=MEMBERS_SINCE,
            ),
        )


def with_insertions(text: str, insertions: tuple[Insertion, ...]) -> str:
    """``text`` with the secretary's added lines, each as a paragraph of its own after the
    line it follows; raises ``ValueError`` when that line is not in the text."""
    lines = text.split("\n")
    for insertion in insertions:
        if insertion.after is None:
            index = next(i for i, line in enumerate(lines) if line.strip())
        else:
            found = [i for i, line in enumerate(lines) if insertion.after in line]
            if not found:
                raise ValueError(f"the notes lack the line {insertion.after!r}")
            index = found[0]
        lines[index + 1 : index + 1] = ["", *insertion.lines, ""]
    return "\n".join(lines)


def _notes_ensure(
    networks: dict[str, Network], notes_dir: Path, by: User | None
) -> tuple[int, int, list[str]]:
    imported, already, missing = 0, 0, []
    for notes in NOTES:
        path = notes_dir / notes.name
        if not path.is_file():
            missing.append(notes.name)
            continue
        record = ImportedNotes.objects.select_related("meeting").filter(file_name=notes.name)
        if record.exists():
            already += 1
            meeting = record.get().meeting
        else:
            meeting = _notes_import(path, notes, networks[notes.network], by)
            imported += 1
        if notes.scan and (notes_dir / notes.scan).is_file():
            notes_original_attach(meeting=meeting, path=notes_dir / notes.scan, by=by)
    if imported:
        _earlier_actions_done(networks)
    return imported, already, missing


def _notes_import(path: Path, notes: NotesFile, network: Network, by: User | None) -> Meeting:
    """Import one notes file as its secretary would: read, add the review's lines, commit."""
    read = notes_read(path=path)
    preview = notes_preview(
        text=with_insertions(read.text, notes.insertions),
        file_name=notes.name,
        repairs=read.repairs,
        source_fingerprint=read.source_fingerprint,
    )
    logger.info("demo: importing %s into %s", notes.name, network.name)
    return notes_commit(preview=preview, by=by, network=network).meeting


def _earlier_actions_done(networks: dict[str, Network]) -> None:
    """Action items of imported minutes that later imported minutes of the same network
    follow up are done; those of each network's latest minutes stay open."""
    for network in networks.values():
        meetings = list(
            Meeting.objects.filter(network=network, imported__isnull=False).order_by("held_on")
        )
        for meeting in meetings[:-1]:
            for item in meeting.items.all():
                for action in item.action_items.filter(status=ActionStatus.OPEN):
                    action_item_done(action=action)


def _written_meeting_ensure(
    spec: DemoMeeting, networks: dict[str, Network], users: dict[str, User]
) -> None:
    """A past meeting written, checked by the demo member and published, as in the app."""
    network = networks[spec.network]
    secretary, member = users.get("sekreterare"), users.get("medlem")
    if secretary is None or member is None or spec.held_on is None:
        return
    if network.meetings.filter(held_on=spec.held_on).exists():
        return
    meeting = meeting_create(
        network=network,
        held_on=spec.held_on,
        by=secretary,
        place=spec.place,
        digital=spec.digital,
        checker=member,
    )
    _items_write(meeting, spec)
    if spec.attendance:
        attendance_record(meeting=meeting, entries=_attendance(network))
    if spec.published:
        meeting_check(meeting=meeting, by=member)
        meeting_publish(meeting=meeting)


def _attendance(network: Network) -> list[AttendanceEntry]:
    """Every member present but every fifth (absent), the secretary present."""
    entries = []
    for position, membership in enumerate(network.memberships.order_by("organisation_name")):
        absent = (position + 1) % ABSENT_EVERY == 0 and membership.role == MembershipRole.MEMBER
        entries.append(
            AttendanceEntry(
                person_name=membership.person_name,
                organisation_name=membership.organisation_name,
                status=AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT,
                role=membership.get_role_display() if membership.role != "member" else "",
            )
        )
    return entries


def _items_write(meeting: Meeting, spec: DemoMeeting) -> None:
    titles = set(meeting.items.values_list("title", flat=True))
    for demo_item in spec.items:
        if demo_item.title in titles:  # a standing item carried over from the last meeting
            continue
        item = agenda_item_add(
            meeting=meeting,
            title=demo_item.title,
            kind=demo_item.kind,
            standing=demo_item.standing,
            body=demo_item.body,
        )
        for text in demo_item.decisions:
            decision_add(item=item, text=text)
        for text, owner, organisation in demo_item.actions:
            action_item_add(item=item, text=text, owner_name=owner, organisation_name=organisation)


def _planned_meeting_ensure(
    spec: DemoMeeting, networks: dict[str, Network], users: dict[str, User]
) -> None:
    """The network's next meeting, a draft some days ahead, unless one is planned already."""
    network = networks[spec.network]
    by = users.get("sekreterare") if network.region.code == "gr" else users.get("admin")
    if by is None or meeting_next_planned(network=network) is not None:
        return
    held_on = timezone.localdate() + dt.timedelta(days=spec.days_ahead)
    while held_on.weekday() >= SATURDAY:
        held_on += dt.timedelta(days=1)
    meeting = meeting_create(
        network=network, held_on=held_on, by=by, place=spec.place, digital=spec.digital
    )
    _items_write(meeting, spec)
