"""The audit log of student-level reads. Public aggregates are never logged here."""

from __future__ import annotations

import logging

from likvard.access.models import AuditEvent
from likvard.access.policy import Viewer

logger = logging.getLogger("likvard.audit")


def audit_student_read(
    *,
    viewer: Viewer,
    action: str,
    scope: str,
    purpose: str,
    data_version: str = "",
    channel: str = "web",
) -> AuditEvent:
    """Record that ``viewer`` read student-level data within ``scope`` for ``purpose``."""
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
