"""Minutes as DOCX and PDF in the Swedish layout.

Network and date; present per organisation; absent; the numbered items with presenter, notes
(a forwarded matter's notes say where it came from), decisions and action items with where they
were forwarded, frozen figures and attachments; written by the secretary and checked
(justerade) by the chair and the checker. Both renderers read the same ``MeetingDetail``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from likvard.networks.models import (
    ActionItem,
    AgendaItem,
    AnalysisSnapshot,
    Attendance,
    Forwarding,
)
from likvard.networks.selectors import MeetingDetail


def _heading(detail: MeetingDetail) -> str:
    meeting = detail.meeting
    day = formats.date_format(meeting.held_on, "j F Y") if meeting.held_on else _("undated")
    return _("Minutes of %(network)s, %(date)s") % {"network": meeting.network.name, "date": day}


def _person(row: Attendance) -> str:
    return f"{row.person_name} ({row.role})" if row.role else row.person_name


def _signatures(detail: MeetingDetail) -> list[tuple[str, str]]:
    meeting = detail.meeting
    checked = [
        user.get_full_name() or user.get_username()
        for user, at in (
            (meeting.chair, meeting.chair_checked_at),
            (meeting.checker, meeting.checker_checked_at),
        )
        if user is not None and at is not None
    ]
    return [
        (_("Secretary"), meeting.secretary_name or _("not named in the minutes")),
        (_("Checked by"), ", ".join(checked) or _("Not checked")),
    ]


def _snapshot_lines(snapshot: AnalysisSnapshot) -> list[str]:
    lines = [f"{snapshot.title} – {snapshot.provenance}"]
    for row in snapshot.rows:
        value = row.get("students")
        shown = ".." if value is None else formats.number_format(value)
        lines.append(
            f"{row.get('school_year')} {row.get('school_unit_code')} {row.get('gender')}: {shown}"
        )
    return lines


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
    parts = [action.text, action.owner_name]
    if action.organisation_name:
        parts.append(action.organisation_name)
    line = _("Action item: %(text)s") % {"text": " – ".join(p for p in parts if p)}
    if action.due:
        line += ", " + _("due %(date)s") % {"date": action.due.isoformat()}
    return f"{line} ({action.get_status_display()})"


def _item_paragraphs(item: AgendaItem) -> list[str]:
    paragraphs = [p for p in item.body.split("\n") if p.strip()]
    for decision in item.decisions.all():
        paragraphs.append(_("Decision: %(text)s") % {"text": decision.text})
        paragraphs += _forwarding_lines(decision.forwardings.all())
    for action in item.action_items.all():
        paragraphs.append(_action_line(action))
        paragraphs += _forwarding_lines(action.forwardings.all())
    for snapshot in item.snapshots.all():
        paragraphs += _snapshot_lines(snapshot)
    paragraphs += [_("Attached: %(title)s") % {"title": a.title} for a in item.attachments.all()]
    return paragraphs


def minutes_docx(detail: MeetingDetail) -> bytes:
    """The minutes as a Word document (python-docx), in the Swedish layout."""
    from docx import Document  # noqa: PLC0415 (heavy import, only when exporting)

    document = Document()
    document.add_heading(_heading(detail), level=1)
    if detail.meeting.place:
        document.add_paragraph(_("Place: %(place)s") % {"place": detail.meeting.place})
    document.add_heading(_("Present"), level=2)
    for organisation, rows in detail.present_by_organisation:
        document.add_paragraph(f"{organisation}: " + ", ".join(_person(r) for r in rows))
    document.add_heading(_("Absent"), level=2)
    document.add_paragraph(
        ", ".join(f"{r.person_name}, {r.organisation_name}" for r in detail.absent) or "–"
    )
    for item in detail.items:
        document.add_heading(f"{item.number}. {item.title}", level=2)
        if item.presenter:
            document.add_paragraph(_("Presenter: %(name)s") % {"name": item.presenter})
        for paragraph in _item_paragraphs(item):
            document.add_paragraph(paragraph)
    for label, name in _signatures(detail):
        document.add_paragraph(f"{label}: {name}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraphs_html(paragraphs: Iterable[str]) -> SafeString:
    return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))


def minutes_html(detail: MeetingDetail) -> str:
    """The minutes as a printable HTML page (escaped), for the PDF renderer."""
    present = format_html_join(
        "",
        "<li><strong>{}</strong>: {}</li>",
        (
            (org, ", ".join(_person(r) for r in rows))
            for org, rows in detail.present_by_organisation
        ),
    )
    absent = format_html_join(
        "", "<li>{}, {}</li>", ((r.person_name, r.organisation_name) for r in detail.absent)
    )
    items = format_html_join(
        "",
        "<h2>{}. {}</h2>{}{}",
        (
            (
                item.number,
                item.title,
                format_html(
                    "<p><em>{}</em></p>", _("Presenter: %(name)s") % {"name": item.presenter}
                )
                if item.presenter
                else "",
                _paragraphs_html(_item_paragraphs(item)),
            )
            for item in detail.items
        ),
    )
    signatures = format_html_join("", "<p>{}: {}</p>", _signatures(detail))
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><style>'
        "body{font-family:sans-serif;font-size:11pt}h1{font-size:16pt}h2{font-size:12pt}"
        "</style></head><body>"
        + format_html("<h1>{}</h1><p>{}</p>", _heading(detail), detail.meeting.place)
        + format_html("<h2>{}</h2><ul>{}</ul>", _("Present"), present)
        + format_html("<h2>{}</h2><ul>{}</ul>", _("Absent"), absent)
        + str(items)
        + format_html("<footer>{}</footer>", signatures)
        + "</body></html>"
    )


def minutes_pdf(detail: MeetingDetail) -> bytes:
    """The minutes as PDF (WeasyPrint, from ``minutes_html``)."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy import, only when exporting)

    pdf = HTML(string=minutes_html(detail)).write_pdf()
    return bytes(pdf or b"")
