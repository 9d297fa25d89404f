"""Open data's background task: a new token's viewer class released for the Kolada API (#22).

The warm-up releases T, K and M for the class of every live token's owner who sees some figures
in full (``likvard.opendata.warm``), but a token made after it would decide on its first
request: the joint decisions of every region and year (312 for a Kungsbacka analyst on the demo,
293 s at load 15-18, against 14 s to read them once kept). So making a
token (``likvard.access.tokens.register_token_created``) queues ``kolada_token_warm`` for its
owner's class on the version pages show, on the interactive worker (someone is about to use the
token; the warm queue may be busy with an import's warm-up). Reads are withheld from the audit
log as in the warm-up: the owner's own requests are audited.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from likvard.access.models import ApiToken
from likvard.access.policy import viewer_for
from likvard.opendata.warm import warm_kolada_viewers
from likvard.warehouse.selectors import data_version_get, data_version_pinned
from likvard.warehouse.tasks import INTERACTIVE_QUEUE


@task(queue_name=INTERACTIVE_QUEUE, priority=3)
def kolada_token_warm(user_id: int) -> int:
    """Release T, K and M of the version pages show for user ``user_id``'s viewer class when
    the user sees some figures in full; returns the classes done (0 or 1)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    viewer = viewer_for(user)
    if not (viewer.organizers or viewer.school_units):
        return 0  # the anonymous class: released by the warm-up
    version = data_version_get()
    if not any(version.files.values()):
        return 0
    with data_version_pinned(version):
        return warm_kolada_viewers(version, [viewer])


def kolada_token_warm_enqueue(token: ApiToken) -> bool:
    """Queue ``kolada_token_warm`` for ``token``'s owner when the owner sees some figures in
    full (a hook of ``api_token_create``); True when queued."""
    viewer = viewer_for(token.user)
    if not (viewer.organizers or viewer.school_units):
        return False
    kolada_token_warm.enqueue(user_id=int(token.user_id))
    return True
