"""Importing old notes: extract → repair → parse (``likvard_core.notes``) → a published meeting.

The fingerprint of the repaired source text identifies the notes: importing the same file again
returns the meeting made the first time and changes nothing.
"""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from likvard.networks.models import (
    ActionItem,
    AgendaItem,
    Attachment,
    AttachmentKind,
    Attendance,
    AttendanceStatus,
    Decision,
    ImportedNotes,
    ItemKind,
    Meeting,
    MeetingStatus,
    Network,
    NotesUpload,
    ReadingStatus,
)
from likvard.networks.services.previews import attachment_read
from likvard.networks.services.refusals import refusal_message
from likvard.networks.services.search import search_index_attachment, search_index_item
from likvard.organisations.models import Municipality
from likvard_core.notes import (
    Attendee,
    ParsedNotes,
    Repair,
    extract,
    fingerprint,
    parse_notes,
    repair_text,
)
from likvard_core.notes.extract import ExtractedText, ExtractionError, OcrNeeded
from likvard_core.notes.repair import RepairResult
from likvard_core.untrusted import FileRefused, Limits
from likvard_core.untrusted.inspect import DOCUMENT_LIMITS

PRESENTER_ROLE = "föredragande"


LOCAL_NOTES_LIMITS = dataclasses.replace(DOCUMENT_LIMITS, seconds=900.0)
"""Notes files an operator imports from the command line (a long scan may take minutes of OCR);
uploads through the web are checked within ``DOCUMENT_LIMITS``, which fit in gunicorn's 30 s,
and a scan among them is read by the worker within ``OCR_UPLOAD_LIMITS``."""


def _extract(path: Path, limits: Limits = LOCAL_NOTES_LIMITS, *, ocr: bool = True) -> ExtractedText:
    """The text of a notes file, read within ``limits``; ``NotesImportError`` (with a
    Swedish message) when the file is refused or cannot be read. With ``ocr`` false a scan
    raises ``OcrNeeded`` instead of being read."""
    try:
        return extract(path, limits=limits, ocr=ocr)
    except FileRefused as refused:
        raise NotesImportError(refusal_message(refused)) from None
    except ExtractionError:
        raise NotesImportError(_("Upload a TXT, DOCX or PDF file.")) from None


class NotesImportError(Exception):
    """The notes cannot be committed (no network found); the message says why, in Swedish."""


@dataclass(frozen=True, slots=True)
class NotesPreview:
    """What an import would commit: the repaired text, its repairs and the parsed structure.

    ``source_fingerprint`` is the fingerprint of the repaired source text, which identifies the
    notes even after the secretary corrects the text; ``existing`` is the meeting already made
    from them, if any.
    """

    file_name: str
    text: str
    repairs: tuple[Repair, ...]
    parsed: ParsedNotes
    source_fingerprint: str
    existing: Meeting | None


def notes_read(*, path: Path, file_name: str | None = None) -> NotesPreview:
    """Extract, repair and parse one notes file (TXT, DOCX, PDF, scanned PDF)."""
    repaired = repair_text(_extract(path).text)
    return notes_preview(
        text=repaired.text, file_name=file_name or path.name, repairs=tuple(repaired.repairs)
    )


def notes_preview(
    *,
    text: str,
    file_name: str,
    repairs: tuple[Repair, ...] = (),
    source_fingerprint: str | None = None,
) -> NotesPreview:
    """Parse already repaired ``text`` (possibly corrected by the secretary) into a preview."""
    source = source_fingerprint or fingerprint(text)
    existing = ImportedNotes.objects.select_related("meeting").filter(fingerprint=source).first()
    return NotesPreview(
        file_name=file_name,
        text=text,
        repairs=repairs,
        parsed=parse_notes(text),
        source_fingerprint=source,
        existing=existing.meeting if existing else None,
    )


def _network_for(parsed: ParsedNotes, network: Network | None) -> Network:
    if network is not None:
        return network
    if parsed.network:
        found = Network.objects.filter(name__iexact=parsed.network).first()
        if found is not None:
            return found
    raise NotesImportError(
        _("No network in Likvärd matches the notes (%(name)s): choose one.")
        % {"name": parsed.network or "–"}
    )


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The meeting the notes are in, and whether this import created it."""

    meeting: Meeting
    created: bool


@transaction.atomic
def notes_commit(
    *, preview: NotesPreview, by: User | None, network: Network | None = None
) -> ImportOutcome:
    """Commit ``preview`` as a published meeting; the same notes again change nothing."""
    if preview.existing is not None:
        return ImportOutcome(meeting=preview.existing, created=False)
    parsed = preview.parsed
    target = _network_for(parsed, network)
    meeting = Meeting(
        network=target,
        held_on=parsed.meeting_date,
        place=parsed.place or "",
        digital=parsed.attendance_mode == "digital",
        status=MeetingStatus.PUBLISHED,
        published_at=timezone.now(),
        links=list(parsed.links),
        title=_("Imported from %(file)s") % {"file": preview.file_name},
        secretary_name=_secretary(parsed.attendees),
    )
    meeting.full_clean()
    meeting.save()
    _attendance_create(meeting, parsed.attendees)
    _items_create(meeting, parsed)
    record = ImportedNotes(
        file_name=preview.file_name,
        fingerprint=preview.source_fingerprint,
        meeting=meeting,
        repairs=len(preview.repairs),
        imported_by=by,
    )
    record.full_clean()
    record.save()
    return ImportOutcome(meeting=meeting, created=True)


SECRETARY_ROLES = frozenset({"sekreterare", "nätverkssekreterare"})
"""Role words in a list of attendees that name who kept the notes."""


def _secretary(attendees: tuple[Attendee, ...]) -> str:
    """The name of the present attendee the notes call secretary, or blank if none is."""
    for person in attendees:
        if person.present and SECRETARY_ROLES.intersection(person.roles):
            return person.name
    return ""


def _attendance_create(meeting: Meeting, attendees: tuple[Attendee, ...]) -> None:
    municipalities = {m.name.casefold(): m for m in Municipality.objects.all()}
    rows = []
    for person in attendees:
        if not person.present:
            status = AttendanceStatus.ABSENT
        elif PRESENTER_ROLE in person.roles:
            status = AttendanceStatus.GUEST
        else:
            status = AttendanceStatus.PRESENT
        organisation = person.municipality or person.organisation or ""
        rows.append(
            Attendance(
                meeting=meeting,
                person_name=person.name,
                organisation_name=organisation,
                municipality=municipalities.get((person.municipality or "").casefold()),
                role=", ".join(person.roles),
                status=status,
            )
        )
    Attendance.objects.bulk_create(rows)


def _items_create(meeting: Meeting, parsed: ParsedNotes) -> None:
    decided = {d.item_number for d in parsed.decisions}
    items: dict[int, AgendaItem] = {}
    for parsed_item in parsed.items:
        item = AgendaItem(
            meeting=meeting,
            number=parsed_item.number,
            title=parsed_item.title[:300],
            kind=ItemKind.DECISION if parsed_item.number in decided else ItemKind.REPORT,
            presenter=", ".join(parsed_item.presenters),
            presenter_organisation=parsed_item.presenter_organisation or "",
            body=parsed_item.body,
        )
        item.full_clean()
        item.save()
        items[item.number] = item

    def item_for(number: int | None) -> AgendaItem:
        if number in items:
            return items[number]
        if 0 not in items:  # notes outside numbered items go to an item 0
            items[0] = _item_zero(meeting)
        return items[0]

    for decision in parsed.decisions:
        Decision.objects.create(
            item=item_for(decision.item_number),
            text=decision.text,
            decided_by=meeting.network.name,
            decided_on=parsed.meeting_date,
        )
    _actions_create(parsed, item_for)
    for mention in parsed.slide_mentions:
        Attachment.objects.create(
            item=item_for(mention.item_number),
            kind=AttachmentKind.MENTION,
            title=mention.text[:300],
        )
    for item in items.values():
        search_index_item(item=item)


def _item_zero(meeting: Meeting) -> AgendaItem:
    """The item 0 of imported minutes, holding what belongs to no numbered item."""
    item, _created = AgendaItem.objects.get_or_create(
        meeting=meeting, number=0, defaults={"title": _("Outside the numbered items")}
    )
    return item


def notes_original_attach(*, meeting: Meeting, path: Path, by: User | None) -> Attachment:
    """Attach a file of notes already imported as ``meeting`` (a scan of them, say) as the
    minutes' original: stored with a preview of its first page, its text read the way the
    importer reads notes (OCR for a scanned PDF, then the Swedish-letter repair) and searched
    with the minutes. Allowed on published minutes: it is their source, not a change to them.
    Attaching a file of the same name again returns the attachment made the first time.
    """
    item = _item_zero(meeting)
    title = _("Original of the notes: %(file)s") % {"file": path.name}
    existing = item.attachments.filter(title__endswith=path.name).first()
    if existing is not None:
        return existing
    data = path.read_bytes()
    reading = attachment_read(name=path.name, data=data)  # the kind check and the preview
    text = repair_text(_extract(path).text).text
    attachment = Attachment(
        item=item,
        kind=reading.kind,
        title=title[:300],
        text=text,
        preview_text=reading.preview_text or text[:2000],
        preview_method=f"{reading.method}; OCR" if not reading.text.strip() else reading.method,
        size=len(data),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(path.name, ContentFile(data), save=False)
    if reading.preview_png is not None:
        attachment.preview_image.save(
            f"{path.stem}.png", ContentFile(reading.preview_png), save=False
        )
    with transaction.atomic():
        attachment.full_clean()
        attachment.save()
        search_index_attachment(attachment=attachment)
    return attachment


def _actions_create(parsed: ParsedNotes, item_for: Callable[[int | None], AgendaItem]) -> None:
    """The notes' action lines as open action items; a named attendee's organisation fills in
    the organisation when the line gives none."""
    organisations = {
        a.name.casefold(): a.municipality or a.organisation or "" for a in parsed.attendees
    }
    for parsed_action in parsed.actions:
        owner = parsed_action.owner or ""
        action = ActionItem(
            item=item_for(parsed_action.item_number),
            text=parsed_action.text,
            owner_name=owner[:200],
            organisation_name=(
                parsed_action.organisation or organisations.get(owner.casefold(), "")
            )[:200],
            due=parsed_action.due,
        )
        action.full_clean()
        action.save()


OCR_UPLOAD_LIMITS = dataclasses.replace(DOCUMENT_LIMITS, seconds=600.0)
"""A scanned PDF uploaded on the web, read by OCR in the worker: about 4.5 s of CPU a page at
300 dpi, so a 200-page scan (the page limit) fits; no web request waits for it."""


def notes_upload(*, path: Path, file_name: str, by: User) -> NotesUpload:
    """Extract and repair an uploaded file and keep it for the secretary's review.

    A file with text (TXT, DOCX, a PDF with a text layer) is read at once, within
    ``DOCUMENT_LIMITS``. A scanned PDF is checked the same way (its type, its pages), then
    kept in the private folder and read by OCR in the worker (``notes_read_scan``): the
    upload is returned ``queued`` and its review page shows the reading's progress.
    """
    try:
        repaired = repair_text(_extract(path, DOCUMENT_LIMITS, ocr=False).text)
    except OcrNeeded as needed:
        return _scan_queue(path=path, file_name=file_name, by=by, pages=needed.pages)
    upload = NotesUpload(
        file_name=file_name, text=repaired.text, uploaded_by=by, repairs=_repairs(repaired)
    )
    upload.full_clean()
    upload.save()
    return upload


def _repairs(repaired: RepairResult) -> list[dict[str, object]]:
    return [
        {
            "line": r.line,
            "original": r.original,
            "replacement": r.replacement,
            "reason": str(r.reason),
        }
        for r in repaired.repairs
    ]


def scan_dir() -> Path:
    """The private folder of scans waiting for OCR (never served; each removed once read)."""
    root = Path(settings.MEDIA_ROOT) / "private" / "notes-scans"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _scan_queue(*, path: Path, file_name: str, by: User, pages: int) -> NotesUpload:
    from likvard.networks.tasks import notes_read_scan  # noqa: PLC0415 (tasks import this)

    name = f"{uuid.uuid4().hex}.pdf"
    shutil.copyfile(path, scan_dir() / name)
    upload = NotesUpload(
        file_name=file_name,
        uploaded_by=by,
        status=ReadingStatus.QUEUED,
        pages=pages,
        source=name,
    )
    upload.full_clean()
    upload.save()
    result = notes_read_scan.enqueue(upload.pk)
    NotesUpload.objects.filter(pk=upload.pk, task_id="").update(task_id=str(result.id))
    upload.refresh_from_db()
    return upload


def notes_scan_read(*, upload_id: int) -> None:
    """Read queued upload ``upload_id``'s scan by OCR (the worker's task): its text and
    repairs on success, the Swedish reason on failure; the scan is removed either way."""
    claimed = NotesUpload.objects.filter(pk=upload_id, status=ReadingStatus.QUEUED).update(
        status=ReadingStatus.RUNNING
    )
    if not claimed:
        return
    upload = NotesUpload.objects.get(pk=upload_id)
    path = scan_dir() / Path(upload.source).name

    def progress(pages: int) -> None:
        NotesUpload.objects.filter(pk=upload_id).update(pages_read=pages)

    try:
        extracted = extract(path, limits=OCR_UPLOAD_LIMITS, progress=progress)
        repaired = repair_text(extracted.text)
    except FileRefused as refused:
        _scan_failed(upload_id, refusal_message(refused))
        return
    except (ExtractionError, OSError):
        _scan_failed(upload_id, _("The file could not be read; it may be damaged."))
        return
    finally:
        path.unlink(missing_ok=True)
    NotesUpload.objects.filter(pk=upload_id).update(
        status=ReadingStatus.DONE,
        text=repaired.text,
        repairs=_repairs(repaired),
        pages_read=len(extracted.pages),
        source="",
    )


def _scan_failed(upload_id: int, message: str) -> None:
    NotesUpload.objects.filter(pk=upload_id).update(
        status=ReadingStatus.FAILED, error=message[:300], source=""
    )


def notes_upload_get(*, upload_id: int, user: User) -> NotesUpload | None:
    """Upload ``upload_id`` if ``user`` made it (None otherwise), its status brought up to
    date: a scan whose worker died (its task failed) shows as failed and its file is removed."""
    upload = NotesUpload.objects.filter(pk=upload_id, uploaded_by_id=user.pk).first()
    if upload is None or not upload.active or not upload.task_id:
        return upload
    from likvard.warehouse.tasks import task_status  # noqa: PLC0415

    if task_status(upload.task_id) == "FAILED":
        if upload.source:
            (scan_dir() / Path(upload.source).name).unlink(missing_ok=True)
        _scan_failed(upload.pk, _("Reading the file was interrupted. Upload it again."))
        upload.refresh_from_db()
    return upload


def upload_preview(*, upload: NotesUpload, text: str | None = None) -> NotesPreview:
    """The preview of an upload, with the secretary's corrected ``text`` if given."""
    return notes_preview(
        text=text if text is not None else upload.text,
        file_name=upload.file_name,
        source_fingerprint=fingerprint(upload.text),
    )
