"""What every page and API operation asks of a request, once: who is asking, and 404 for unknown.

Views and API operations call these instead of keeping their own copies; the CLI's counterpart
(a ``--user`` name to a viewer, a usage error for an unknown name) is ``likvard.access.people``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from likvard.access.policy import Action, Viewer, require, viewer_for
from likvard.organisations.selectors import NotFoundError

T = TypeVar("T")


def signed_in_viewer(request: HttpRequest) -> Viewer:
    """The viewer of a request signed in by session or token; anyone else gets 403."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    request.likvard_viewer = viewer  # type: ignore[attr-defined]  # for the page's navigation
    return viewer


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of ``request`` (views are ``login_required``; anyone else gets 403)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def found_or_404(lookup: Callable[[], T], message: str) -> T:
    """``lookup()``, or a 404 with ``message`` (translated) when a selector finds nothing."""
    try:
        return lookup()
    except NotFoundError as error:
        raise Http404(message) from error
