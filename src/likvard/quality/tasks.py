"""An analysis basis's figures for a class of viewers, computed in the task worker (issue #18).

A basis page whose figures are not kept for the viewer's owner class (``owner_view``) would
release every trend year's levels cube of the region for that class in the request, and
compute each year's national context if it is not kept yet: on a new installation before its
first warm-up has decided them, a minute and more on a busy machine, and the web server's
timeout killed the request (a principal's first page during the demo's first warm-up). The
page never computes them: it queues ``basis_prepare`` for the class and says that the figures
are being prepared, and polls; the interactive worker (``likvard worker --queue interactive``,
never behind a warm-up) keeps the figures, and the next poll reloads the page, which reads
them and is audited for the same reads as if it had computed them (``figures_cached_keyed``).

One task per subject, year, class and data version: a cache marker (the task's id) keeps the
page's polls and other viewers of the class from queueing it again while it waits or runs; a
task whose worker died (marked failed) is queued again.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_tasks import task

from likvard.access.audit import audit_reads_withheld
from likvard.access.policy import Viewer, viewer_for
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.quality.services import basis as services
from likvard.quality.services.basis import owner_view
from likvard.warehouse.fragments import viewer_rights_class
from likvard.warehouse.selectors import data_version_get
from likvard.warehouse.tasks import INTERACTIVE_QUEUE, task_may_run

MARKER_SECONDS = 2 * 3600
"""How long a queued task's marker stops another from being queued (a dead worker's task is
queued again after this)."""

KINDS: dict[str, type[Organizer] | type[SchoolUnit] | type[Region]] = {
    "organizer": Organizer,
    "school_unit": SchoolUnit,
    "region": Region,
}
"""The subject kinds a task names, and their models."""


@task(queue_name=INTERACTIVE_QUEUE, priority=5)
def basis_prepare(kind: str, code: str, year: int, user_id: int) -> None:
    """Keep the basis figures of the ``kind`` subject ``code`` of ``year`` for the owner class
    of user ``user_id`` (reads withheld: they are audited when a viewer reads the kept
    figures, as after a warm-up's ``warm_basis_owners``)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    viewer = viewer_for(user) if user is not None else None
    try:
        subject = _subject(kind, code)
        if subject is not None and viewer is not None:
            with audit_reads_withheld():
                services.basis_prepare(viewer=viewer, subject=subject, year=year)
    finally:
        if viewer is not None:
            cache.delete(_marker(kind, code, year, viewer))


def basis_prepare_enqueue(*, viewer: Viewer, subject: services.Subject, year: int) -> bool:
    """Queue ``basis_prepare`` for ``viewer``'s owner class, ``subject`` and ``year`` unless
    one is queued or running for this data version; True when this call queued it."""
    kind = _kind(subject)
    code = subject.organisation_number if isinstance(subject, Organizer) else subject.code
    marker = _marker(kind, code, year, viewer)
    found = cache.get(marker)
    if found is not None:
        if found == "" or task_may_run(str(found)):
            return False  # being queued, waiting or running
        cache.delete(marker)  # its worker died (reaped as failed): queue it again
    if viewer.user_id is None or not cache.add(marker, "", MARKER_SECONDS):
        return False
    result = basis_prepare.enqueue(kind=kind, code=code, year=year, user_id=viewer.user_id)
    if cache.get(marker) == "":  # not already run and cleared (a backend running it in enqueue)
        cache.set(marker, str(result.id), MARKER_SECONDS)
    return True


def _kind(subject: services.Subject) -> str:
    return next(name for name, model in KINDS.items() if isinstance(subject, model))


def _subject(kind: str, code: str) -> services.Subject | None:
    if kind == "organizer":
        return Organizer.objects.filter(organisation_number=code).first()
    if kind == "school_unit":
        return SchoolUnit.objects.select_related("organizer").filter(code=code).first()
    return Region.objects.filter(code=code).first()


def _marker(kind: str, code: str, year: int, viewer: Viewer) -> str:
    """One task per subject, year, data version and owner class (who reads the figures in
    full: ``owner_view``)."""
    owner = owner_view(viewer)
    text = json.dumps([kind, code, year, data_version_get().key, viewer_rights_class(owner)])
    return "quality-basis-prepare:" + hashlib.sha256(text.encode()).hexdigest()
