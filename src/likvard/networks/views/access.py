"""Looking up a network or meeting for a request and asking the policy about it."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from likvard.access.policy import (
    NetworkAction,
    NetworkStanding,
    Viewer,
    network_require,
    viewer_for,
)
from likvard.networks.models import AgendaItem, Meeting, Network
from likvard.networks.selectors import (
    NotFoundError,
    agenda_item_get,
    meeting_get,
    network_get,
    network_standing,
)


def network_for(request: HttpRequest, code: str) -> tuple[Viewer, Network, NetworkStanding]:
    """The viewer, the network ``code`` (404 when unknown) and the viewer's standing in it."""
    viewer = viewer_for(request.user)
    try:
        network = network_get(code=code)
    except NotFoundError as error:
        raise Http404(_("There is no network with that code.")) from error
    return viewer, network, network_standing(viewer=viewer, network=network)


def meeting_for(request: HttpRequest, pk: int, action: NetworkAction) -> tuple[Viewer, Meeting]:
    """The viewer and meeting ``pk`` when the policy allows ``action`` on it (else 403/404)."""
    viewer = viewer_for(request.user)
    try:
        meeting = meeting_get(pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such meeting.")) from error
    standing = network_standing(viewer=viewer, network=meeting.network, meeting=meeting)
    network_require(viewer, action, standing=standing, published=meeting.is_published)
    return viewer, meeting


def item_for(request: HttpRequest, pk: int) -> tuple[Viewer, AgendaItem]:
    """The viewer and agenda item ``pk`` when they may write its meeting's minutes."""
    try:
        item = agenda_item_get(pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such agenda item.")) from error
    viewer, _meeting = meeting_for(request, item.meeting_id, NetworkAction.WRITE_MINUTES)
    return viewer, item
