"""The audit log of student-level reads. Public aggregates are never logged here."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.db import transaction

from likvard.access.models import AuditEvent
from likvard.access.policy import Viewer

logger = logging.getLogger("likvard.audit")
_READ_FOR: ContextVar[tuple[str, str] | None] = ContextVar("likvard_read_for", default=None)
_RECORDED: ContextVar[list[AuditedRead] | None] = ContextVar("likvard_reads", default=None)
_WITHHELD: ContextVar[bool] = ContextVar("likvard_reads_withheld", default=False)


@dataclass(frozen=True, slots=True)
class AuditedRead:
    """What one audited read was (everything of its event but who): replayed for a later
    reader of the same figures from a cache (``audit_reads_replay``)."""

    action: str
    scope: str
    purpose: str
    data_version: str
    channel: str


@contextmanager
def reads_for(purpose: str, channel: str) -> Iterator[None]:
    """Log every student-level read inside the block under ``purpose`` and ``channel``.

    The disclosure auditor gathers through the pages' services; its reads are the audit's
    (``audit.disclosure``), not a page view's, and the log says so.
    """
    token = _READ_FOR.set((purpose, channel))
    try:
        yield
    finally:
        _READ_FOR.reset(token)


def audit_student_read(
    *,
    viewer: Viewer,
    action: str,
    scope: str,
    purpose: str,
    data_version: str = "",
    channel: str = "web",
) -> AuditEvent:
    """Record that ``viewer`` read student-level data within ``scope`` for ``purpose``.

    Inside ``reads_for`` the purpose and channel are that block's.
    """
    own = AuditedRead(action, scope, purpose, data_version, channel)
    recorded = _RECORDED.get()
    if recorded is not None:  # kept beside cached figures, replayed for each later reader
        recorded.append(own)  # as the service names it: a reader's block renames it, not this
    read = _in_block(own)
    if _WITHHELD.get():
        return _event(viewer, read)  # nobody read: see ``audit_reads_withheld``
    event = _event(viewer, read)
    event.save()
    _log(viewer, read)
    return event


@contextmanager
def audit_reads_recorded() -> Iterator[list[AuditedRead]]:
    """Within the block, every audited read is also appended to the yielded list (each is
    still recorded for its viewer as usual): what a cache keeps beside the figures, so that a
    later reader of them is audited for the same reads (``audit_reads_replay``)."""
    outer = _RECORDED.get()
    reads: list[AuditedRead] = []
    token = _RECORDED.set(reads)
    try:
        yield reads
    finally:
        _RECORDED.reset(token)
        if outer is not None:  # nested (figures kept inside a kept fragment): both keep them
            outer.extend(reads)


@contextmanager
def audit_reads_withheld() -> Iterator[None]:
    """Within the block, reads are not recorded: for a warm-up that releases figures for a
    class of viewers before any of them asks (nobody reads them there). Only around code whose
    cached figures are audited again when a viewer reads them (``basis_levels`` and the Kolada
    API's gender releases audit every cached read that shows the viewer's own cells)."""
    token = _WITHHELD.set(True)
    try:
        yield
    finally:
        _WITHHELD.reset(token)


def audit_reads_withheld_now() -> bool:
    """Whether reads are withheld here (``audit_reads_withheld``): what is computed then has
    no recorded reads and must not be kept for a reader who would be audited by replay."""
    return _WITHHELD.get()


def audit_reads_replay(*, viewer: Viewer, reads: Sequence[AuditedRead]) -> list[AuditEvent]:
    """Record that ``viewer`` made ``reads`` (figures served from a cache: reading is what is
    audited, not computing), in one transaction."""
    recorded = _RECORDED.get()
    if recorded is not None:  # replayed while a cache records: its entry needs them too
        recorded.extend(reads)
    mine = [_in_block(read) for read in reads]
    events = [_event(viewer, read) for read in mine]
    if _WITHHELD.get():
        return events  # nobody read: see ``audit_reads_withheld``
    with transaction.atomic():
        AuditEvent.objects.bulk_create(events)
    for read in mine:
        _log(viewer, read)
    return events


def _in_block(read: AuditedRead) -> AuditedRead:
    """``read`` under the purpose and channel of the enclosing ``reads_for``, if any: the
    auditor's reads are the audit's whether computed or served from a cache, and a page's
    reads of figures the auditor computed are the page's."""
    block = _READ_FOR.get()
    if block is None:
        return read
    return replace(read, purpose=block[0], channel=block[1])


def _event(viewer: Viewer, read: AuditedRead) -> AuditEvent:
    return AuditEvent(
        user_id=viewer.user_id,
        username=viewer.username,
        action=read.action,
        scope=read.scope,
        purpose=read.purpose,
        data_version=read.data_version,
        channel=read.channel,
    )


def _log(viewer: Viewer, read: AuditedRead) -> None:
    logger.info(
        "student-level read by %s: %s %s (%s)", viewer.username, read.action, read.scope,
        read.purpose,
    )  # fmt: skip


def audit_events(*, limit: int = 200) -> list[AuditEvent]:
    """The latest audit events, newest first."""
    return list(AuditEvent.objects.order_by("-at")[:limit])
