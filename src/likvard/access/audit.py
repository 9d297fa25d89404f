"""The audit log of student-level reads. Public aggregates are never logged here."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from likvard.access.models import AuditEvent
from likvard.access.policy import Viewer

logger = logging.getLogger("likvard.audit")
_READ_FOR: ContextVar[tuple[str, str] | None] = ContextVar("likvard_read_for", default=None)


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
    purpose, channel = _READ_FOR.get() or (purpose, channel)
    event = AuditEvent.objects.create(
        user_id=viewer.user_id,
        username=viewer.username,
        action=action,
        scope=scope,
        purpose=purpose,
        data_version=data_version,
        channel=channel,
    )
    logger.info("student-level read by %s: %s %s (%s)", viewer.username, action, scope, purpose)
    return event


def audit_events(*, limit: int = 200) -> list[AuditEvent]:
    """The latest audit events, newest first."""
    return list(AuditEvent.objects.order_by("-at")[:limit])
