"""Who is asking, from a command line's ``--user``: one rule for every interface.

The web gets its viewer from the request (``policy.viewer_for(request.user)``) and the API from
its token (``tokens.api_token_check``); a command names a user. An unknown or inactive name is
always an error (``UnknownUserError``), never silently nobody: a CLI turns it into a usage
error.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from likvard.access.policy import ANONYMOUS, Viewer, viewer_for


class UnknownUserError(LookupError):
    """No active user has the given name."""

    def __init__(self, username: str) -> None:
        super().__init__(_("unknown user: %(user)s") % {"user": username})
        self.username = username


def user_named(username: str) -> User:
    """The active user called ``username``; ``UnknownUserError`` otherwise."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise UnknownUserError(username)
    return user


def viewer_named(username: str | None) -> Viewer:
    """The viewer for ``username`` (``ANONYMOUS`` when none is given)."""
    return viewer_for(user_named(username)) if username else ANONYMOUS
