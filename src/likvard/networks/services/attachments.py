"""Attaching slides and documents to an agenda item: validate, read, store with a preview."""

from __future__ import annotations

import logging
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from likvard.networks.models import AgendaItem, Attachment
from likvard.networks.services.meetings import meeting_require_draft
from likvard.networks.services.previews import attachment_read
from likvard.networks.services.search import search_index_attachment, search_unindex_attachment

logger = logging.getLogger(__name__)


def attachment_add(
    *, item: AgendaItem, name: str, data: bytes, by: User, title: str = ""
) -> Attachment:
    """Attach the file ``name`` (PDF, PPTX or DOCX bytes) to a draft meeting's ``item``.

    The file is validated (raises ``previews.AttachmentError`` with a message for the user),
    its text extracted for search and a preview made, then stored under MEDIA_ROOT; returns the
    saved attachment. Raises ``MeetingStateError`` when the minutes are no longer a draft.
    """
    meeting_require_draft(item.meeting)
    reading = attachment_read(name=name, data=data)  # slow (LibreOffice): outside the transaction
    file_name = get_valid_filename(Path(name).name) or f"bilaga.{reading.kind.value}"
    attachment = Attachment(
        item=item,
        kind=reading.kind,
        title=(title or Path(name).stem)[:300],
        text=reading.text,
        preview_text=reading.preview_text,
        preview_method=reading.method,
        size=len(data),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(file_name, ContentFile(data), save=False)
    if reading.preview_png is not None:
        attachment.preview_image.save(
            f"{Path(file_name).stem}.png", ContentFile(reading.preview_png), save=False
        )
    with transaction.atomic():
        attachment.full_clean()
        attachment.save()
        search_index_attachment(attachment=attachment)
    return attachment


def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Remove ``attachment`` (its file, preview and search entry) from draft minutes.

    Raises ``MeetingStateError`` once the minutes are checked or published: what a meeting was
    shown stays with it. The files are deleted after the database change has committed, so a
    failed removal loses nothing.
    """
    meeting_require_draft(attachment.item.meeting)
    files = [f for f in (attachment.file, attachment.preview_image) if f]
    names = [(f.storage, f.name) for f in files]
    pk, meeting_id = attachment.pk, attachment.item.meeting_id
    with transaction.atomic():
        search_unindex_attachment(attachment_id=pk)
        attachment.delete()
        transaction.on_commit(lambda: _delete_files(names))
    logger.info("attachment %s removed from meeting %s by user %s", pk, meeting_id, by.pk)


def _delete_files(names: list[tuple[Storage, str | None]]) -> None:
    for storage, name in names:
        if name:
            storage.delete(name)
