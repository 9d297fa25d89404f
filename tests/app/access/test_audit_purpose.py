"""A read served from a cache is logged under the purpose and channel of the one who reads it
(issue #15: every read of student-level data is audited, and the log says why): figures the
disclosure auditor computed and a page later serves are the page's reads, and figures a page
computed and the auditor later gathers are the audit's."""

from __future__ import annotations

import pytest

from likvard.access.audit import (
    audit_reads_recorded,
    audit_reads_replay,
    audit_student_read,
    reads_for,
)
from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from tests.app.conftest import World


def _read(viewer) -> None:  # type: ignore[no-untyped-def]
    audit_student_read(
        viewer=viewer, action="read", scope="unit:1", purpose="quality.basis", channel="web"
    )


@pytest.mark.django_db
def test_figures_the_auditor_computed_are_the_pages_reads_when_a_page_serves_them(
    world: World,
) -> None:
    viewer = viewer_for(world.users["organizer_analyst"])
    with reads_for("audit.disclosure", "cli"), audit_reads_recorded() as kept:
        _read(viewer)  # the auditor computes the figures, a cache keeps them with their reads
    audit_reads_replay(viewer=viewer, reads=kept)  # a page serves them from the cache
    logged = list(AuditEvent.objects.order_by("pk").values_list("purpose", "channel"))
    assert logged == [("audit.disclosure", "cli"), ("quality.basis", "web")]


@pytest.mark.django_db
def test_figures_a_page_computed_are_the_audits_reads_when_the_auditor_gathers_them(
    world: World,
) -> None:
    viewer = viewer_for(world.users["organizer_analyst"])
    with audit_reads_recorded() as kept:
        _read(viewer)
    with reads_for("audit.disclosure", "cli"):
        audit_reads_replay(viewer=viewer, reads=kept)
    logged = list(AuditEvent.objects.order_by("pk").values_list("purpose", "channel"))
    assert logged == [("quality.basis", "web"), ("audit.disclosure", "cli")]
