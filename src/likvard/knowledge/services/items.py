"""Writing the bank: items, their files, reviews and supersession, with a history of edits.

Files are read by the networks' attachment reading (type checked against the content, size
limit, text extracted for search, a preview of the first page or slide), so a file in the bank
and a file shown at a meeting are handled alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from likvard.knowledge.models import Item, ItemFile, ItemKind, Revision, Topic
from likvard.knowledge.services.search import knowledge_index
from likvard.networks.models import AgendaItem, Attachment
from likvard.networks.services.previews import AttachmentReading, attachment_read
from likvard.organisations.models import Region

REVIEW_INTERVAL_DAYS = 365
SCALAR_FIELDS = (
    "title",
    "summary",
    "kind",
    "region",
    "network",
    "visibility",
    "project",
    "authors",
    "organisation",
    "published_on",
    "language",
    "audience",
    "links",
    "school_forms",
    "analyses",
    "owner",
    "review_on",
    "superseded_by",
)
MANY_FIELDS = ("success_factors", "goals", "indicators", "topics", "presented_at")


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file to store with an item: its name and bytes."""

    name: str
    data: bytes
    title: str = ""


@dataclass(slots=True)
class ItemData:
    """What an item says: every field an editor writes (``values``) and its tags (``many``)."""

    values: dict[str, Any]
    many: dict[str, list[Any]] = field(default_factory=dict)


def default_review_date() -> dt.date:
    """A year from today: when a new item is due for its owner's review."""
    return timezone.localdate() + dt.timedelta(days=REVIEW_INTERVAL_DAYS)


def _file_build(
    item: Item,
    reading: AttachmentReading,
    new: NewFile,
    by: User | None,
) -> ItemFile:
    file_name = get_valid_filename(Path(new.name).name) or f"fil.{reading.kind.value}"
    stored = ItemFile(
        item=item,
        kind=reading.kind,
        title=(new.title or Path(new.name).stem)[:300],
        text=reading.text,
        preview_text=reading.preview_text,
        preview_method=reading.method,
        size=len(new.data),
        uploaded_by=by,
    )
    stored.file.save(file_name, ContentFile(new.data), save=False)
    if reading.preview_png is not None:
        stored.preview_image.save(
            f"{Path(file_name).stem}.png", ContentFile(reading.preview_png), save=False
        )
    return stored


def _record(item: Item, by: User | None, action: str, changed: list[str]) -> None:
    name = (by.get_full_name() or by.get_username()) if by is not None else ""
    Revision.objects.create(item=item, by=by, by_name=name, action=action, changed=changed)


def _apply(item: Item, data: ItemData) -> list[str]:
    changed = []
    for name, value in data.values.items():
        if name not in SCALAR_FIELDS:
            raise ValueError(f"unknown item field {name}")
        field = Item._meta.get_field(name)
        current = getattr(item, getattr(field, "attname", name))
        wanted = value.pk if field.is_relation and hasattr(value, "pk") else value
        if current != wanted:
            setattr(item, name, value)
            changed.append(name)
    return changed


def _apply_many(item: Item, data: ItemData) -> list[str]:
    changed = []
    for name, values in data.many.items():
        if name not in MANY_FIELDS:
            raise ValueError(f"unknown item tag {name}")
        manager = getattr(item, name)
        if {v.pk for v in manager.all()} != {v.pk for v in values}:
            manager.set(values)
            changed.append(name)
    return changed


def item_create(*, data: ItemData, by: User | None, files: list[NewFile] | None = None) -> Item:
    """Create an item with its tags and ``files`` (each read and checked first: raises
    ``previews.AttachmentError`` before anything is written); returns the saved item."""
    readings = [(f, attachment_read(name=f.name, data=f.data)) for f in files or []]
    return item_create_read(data=data, by=by, readings=readings)


def item_create_read(
    *, data: ItemData, by: User | None, readings: list[tuple[NewFile, AttachmentReading]]
) -> Item:
    """``item_create`` with the files already read (the bulk import reads them to validate)."""
    item = Item()
    _apply(item, data)
    if item.owner_id is None and by is not None:
        item.owner = by
    with transaction.atomic():
        item.full_clean()
        item.save()
        _apply_many(item, data)
        for new, reading in readings:
            stored = _file_build(item, reading, new, by)
            stored.full_clean()
            stored.save()
        _record(item, by, "created", [])
        knowledge_index(item=item)
    return item


def item_update(*, item: Item, data: ItemData, by: User | None) -> list[str]:
    """Write ``data`` to ``item`` and keep the edit in its history; returns the changed fields
    (nothing is recorded when nothing changed)."""
    with transaction.atomic():
        changed = _apply(item, data)
        item.full_clean()
        item.save()
        changed += _apply_many(item, data)
        if changed:
            _record(item, by, "edited", changed)
        knowledge_index(item=item)
    return changed


def item_file_add(*, item: Item, new: NewFile, by: User | None) -> ItemFile:
    """Read, check and store a file of ``item`` (raises ``previews.AttachmentError``)."""
    reading = attachment_read(name=new.name, data=new.data)
    with transaction.atomic():
        stored = _file_build(item, reading, new, by)
        stored.full_clean()
        stored.save()
        item.save(update_fields=["updated_at"])
        _record(item, by, "file_added", [stored.title])
        knowledge_index(item=item)
    return stored


def item_review(*, item: Item, by: User | None, next_review: dt.date | None = None) -> Item:
    """The owner has checked the item is still current: it is due again ``next_review`` (a year
    from today by default), and leaves the owner's list of items due for review."""
    with transaction.atomic():
        item.review_on = next_review or default_review_date()
        item.reviewed_at = timezone.now()
        item.full_clean()
        item.save()
        _record(item, by, "reviewed", ["review_on"])
    return item


def item_from_attachment(*, attachment: Attachment, data: ItemData, by: User | None) -> Item:
    """Put a file shown at a meeting into the bank in one step: a new item with a copy of the
    file (its text and preview as already read), presented at the attachment's agenda item."""
    with attachment.file.open("rb") as handle:
        content = handle.read()
    item = Item()
    _apply(item, data)
    if item.owner_id is None and by is not None:
        item.owner = by
    with transaction.atomic():
        item.full_clean()
        item.save()
        _apply_many(item, data)
        item.presented_at.add(attachment.item)
        stored = ItemFile(
            item=item,
            kind=attachment.kind,
            title=attachment.title,
            text=attachment.text,
            preview_text=attachment.preview_text,
            preview_method=attachment.preview_method,
            size=attachment.size,
            uploaded_by=by,
        )
        stored.file.save(Path(attachment.file.name).name, ContentFile(content), save=False)
        if attachment.preview_image:
            with attachment.preview_image.open("rb") as png:
                stored.preview_image.save(
                    Path(attachment.preview_image.name).name, ContentFile(png.read()), save=False
                )
        stored.full_clean()
        stored.save()
        _record(item, by, "created", ["presented_at"])
        knowledge_index(item=item)
    return item


def attachment_defaults(*, attachment: Attachment) -> dict[str, Any]:
    """What an item made from a meeting's file starts with: its title, the meeting's network
    and region, slides shown to the network, the presenter as author."""
    agenda: AgendaItem = attachment.item
    network = agenda.meeting.network
    return {
        "title": attachment.title,
        "kind": ItemKind.SLIDES,
        "region": network.region,
        "network": network,
        "visibility": "network",
        "authors": agenda.presenter,
        "organisation": agenda.presenter_organisation,
        "published_on": agenda.meeting.held_on,
        "review_on": default_review_date(),
    }


def topic_add(*, region: Region, name: str) -> Topic:
    """Add ``name`` to the region's free topics (an existing one is returned as it is)."""
    with transaction.atomic():
        topic, _created = Topic.objects.get_or_create(region=region, name=name.strip())
    return topic
