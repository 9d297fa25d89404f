"""Minutes as DOCX and PDF in the Swedish layout, made by ``likvard.exports``.

The minutes are an export ``Document``: the meeting's particulars; who was present per
organisation and who was absent (tables); open action items from earlier meetings; the
numbered items with presenter, where a forwarded matter came from, notes, decisions and action
items with where they were forwarded, frozen figures (chart and table, school units by name)
and attachments; and the signatures: written by the secretary, checked (justerade) by the
chair and the checker. Both files are rendered from the same document, so they say the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from likvard.exports.document import (
    Block,
    Chart,
    Column,
    Document,
    Facts,
    Hidden,
    Kind,
    Paragraph,
    Section,
    Table,
    Value,
)
from likvard.exports.files import ExportFile, render
from likvard.networks.models import (
    ActionItem,
    AgendaItem,
    AnalysisSnapshot,
    Forwarding,
    Meeting,
)
from likvard.networks.selectors import MeetingDetail
from likvard.networks.services.snapshots import ENROLMENT_KEY, enrolment_spec
from likvard.organisations.labels import GROUPS, LabelKind, names, school_year_label

FORMATS = ("docx", "pdf")
GENDERS = {"F": GROUPS["girls"], "M": GROUPS["boys"]}
"""A snapshot's gender codes as the breakdown groups' names."""


def _day(meeting: Meeting) -> str:
    return formats.date_format(meeting.held_on, "j F Y") if meeting.held_on else _("undated")


def _heading(detail: MeetingDetail) -> str:
    meeting = detail.meeting
    return _("Minutes of %(network)s, %(date)s") % {
        "network": meeting.network.name,
        "date": _day(meeting),
    }


def _owner(action: ActionItem) -> str:
    owner = action.owner_name or _("Nobody named responsible")
    if action.organisation_name and action.organisation_name != action.owner_name:
        owner += f" – {action.organisation_name}"
    return owner


def _particulars(detail: MeetingDetail) -> Section:
    meeting = detail.meeting
    pairs = [(_("Network"), meeting.network.name), (_("Date"), _day(meeting))]
    place = [meeting.place] if meeting.place else []
    if meeting.digital:
        place.append(_("Digital meeting"))
    if place:
        pairs.append((_("Place"), ", ".join(place)))
    pairs.append((_("Status"), meeting.get_status_display()))
    return Section(_("Meeting"), [Facts(pairs)])


def _attendance(detail: MeetingDetail) -> list[Section]:
    present: list[Block] = (
        [
            Table(
                "",
                [Column(_("Organisation")), Column(_("Name"))],
                [[org, ", ".join(r.label for r in rows)]
                 for org, rows in detail.present_by_organisation],
            )
        ]
        if detail.present_by_organisation
        else [Paragraph(_("No attendance recorded."))]
    )  # fmt: skip
    absent: list[Block] = (
        [
            Table(
                "",
                [Column(_("Name")), Column(_("Organisation"))],
                [[r.person_name, r.organisation_name or "–"] for r in detail.absent],
            )
        ]
        if detail.absent
        else [Paragraph("–")]
    )
    return [Section(_("Present"), present), Section(_("Absent"), absent)]


def _carried(actions: Sequence[ActionItem]) -> list[Section]:
    if not actions:
        return []
    table = Table(
        "",
        [Column(_("Action item")), Column(_("Responsible")), Column(_("Due"))],
        [[a.text, _owner(a), a.due.isoformat() if a.due else "–"] for a in actions],
    )
    return [Section(_("Open action items from earlier meetings"), [table])]


def _forwarding_lines(forwardings: Iterable[Forwarding]) -> list[str]:
    lines = []
    for forwarding in forwardings:
        state = (
            _("on the agenda of its next meeting")
            if forwarding.agenda_item_id
            else _("waiting for its next meeting")
        )
        lines.append(f"{_('Forwarded to')} {forwarding.network.name} – {state}")
    return lines


def _action_line(action: ActionItem) -> str:
    line = _("Action item: %(text)s") % {"text": f"{action.text} – {_owner(action)}"}
    if action.due:
        line += ", " + _("due %(date)s") % {"date": action.due.isoformat()}
    return f"{line} ({action.get_status_display()})"


def _item_meta(item: AgendaItem) -> list[Block]:
    parts = [item.get_kind_display()]
    if item.standing:
        parts.append(_("Standing item"))
    if item.presenter:
        presenter = item.presenter
        if item.presenter_organisation:
            presenter += f", {item.presenter_organisation}"
        parts.append(_("Presenter: %(name)s") % {"name": presenter})
    blocks: list[Block] = [Paragraph(" · ".join(parts), note=True)]
    for origin in item.forwarded_from.all():
        source = origin.source_item
        where = [source.meeting.network.name]
        if source.meeting.held_on:
            where.append(formats.date_format(source.meeting.held_on, "j F Y"))
        where.append(f"{_('item')} {source.number}")
        blocks.append(Paragraph(f"{_('Forwarded from')} {', '.join(where)}", note=True))
    return blocks


def _snapshot(snapshot: AnalysisSnapshot) -> list[Block]:
    """The frozen figures as a table, school units by name, and their chart drawn again from
    the same frozen rows with names (years as school years, girls and boys, not F and M)."""
    codes = [str(r.get("school_unit_code")) for r in snapshot.rows]
    units = names(LabelKind.SCHOOL_UNIT, set(codes))
    named = [
        {**row, "school_year": school_year_label(row.get("school_year")),
         "school_unit": units.get(code, code),
         "gender": _(GENDERS[g]) if (g := str(row.get("gender"))) in GENDERS else g}
        for row, code in zip(snapshot.rows, codes, strict=True)
    ]  # fmt: skip

    def students(value: object) -> Value:
        return Hidden() if value is None else int(str(value))

    frozen = _("Frozen at data version %(version)s.") % {"version": snapshot.data_version}
    table = Table(
        snapshot.title,
        [Column(_("School year")), Column(_("School unit")), Column(_("Gender")),
         Column(_("Students"), Kind.COUNT)],
        [[r["school_year"], r["school_unit"], r["gender"], students(r.get("students"))]
         for r in named],
        notes=[f"{frozen} {snapshot.provenance}"],
    )  # fmt: skip
    if snapshot.analysis_key == ENROLMENT_KEY:
        spec: dict[str, object] | None = enrolment_spec(named, snapshot.title)
    else:
        spec = snapshot.spec or None
    return [Chart(snapshot.title, spec=spec), table] if spec else [table]


def _item(item: AgendaItem) -> Section:
    blocks = _item_meta(item)
    blocks += [Paragraph(p) for p in item.body.split("\n") if p.strip()]
    for decision in item.decisions.all():
        text = decision.text
        label = _("Decision")
        if decision.decided_by:
            label += f" ({decision.decided_by})"
        blocks.append(Paragraph(f"{label}: {text}"))
        blocks += [
            Paragraph(line, note=True) for line in _forwarding_lines(decision.forwardings.all())
        ]
    for action in item.action_items.all():
        blocks.append(Paragraph(_action_line(action)))
        blocks += [
            Paragraph(line, note=True) for line in _forwarding_lines(action.forwardings.all())
        ]
    for snapshot in item.snapshots.all():
        blocks += _snapshot(snapshot)
    blocks += [
        Paragraph(_("Attached: %(title)s") % {"title": a.title}) for a in item.attachments.all()
    ]
    return Section(f"{item.number}. {item.title}", blocks)


def _signatures(detail: MeetingDetail) -> Section:
    meeting = detail.meeting
    checked = [
        f"{user.get_full_name() or user.get_username()} ({role})"
        for user, at, role in (
            (meeting.chair, meeting.chair_checked_at, _("chair")),
            (meeting.checker, meeting.checker_checked_at, _("checker")),
        )
        if user is not None and at is not None
    ]
    pairs = [
        (_("Secretary"), meeting.secretary_name or _("not named in the minutes")),
        (_("Checked by"), ", ".join(checked) or _("Not checked")),
    ]
    return Section(_("Signatures"), [Facts(pairs)])


def minutes_document(detail: MeetingDetail) -> Document:
    """The minutes of ``detail``'s meeting as an export document (Swedish, names not codes)."""
    meeting = detail.meeting
    snapshots = [s.provenance for item in detail.items for s in item.snapshots.all()]
    return Document(
        title=_heading(detail),
        sections=[
            _particulars(detail),
            *_attendance(detail),
            *_carried(detail.carried_actions),
            *(_item(item) for item in detail.items),
            _signatures(detail),
        ],
        sources=snapshots,
        filename=f"anteckningar-{meeting.network.code}-{meeting.held_on or meeting.pk}",
    )


def minutes_file(detail: MeetingDetail, fmt: str) -> ExportFile:
    """The minutes as a DOCX or PDF file (``FORMATS``); raises ``ValueError`` for others."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt}")
    return render(minutes_document(detail), fmt)
