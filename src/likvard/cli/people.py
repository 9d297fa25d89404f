"""``--user`` for every command: the named person, or a usage error (exit 2)."""

from __future__ import annotations

import click
from django.contrib.auth.models import User

from likvard.access.people import UnknownUserError, user_named, viewer_named
from likvard.access.policy import Viewer


def cli_user(username: str) -> User:
    """The active user ``username``; an unknown name is a usage error."""
    try:
        return user_named(username)
    except UnknownUserError as error:
        raise click.UsageError(str(error)) from None


def cli_viewer(username: str | None) -> Viewer:
    """The viewer ``--user`` names (anonymous without one); an unknown name is a usage error."""
    try:
        return viewer_named(username)
    except UnknownUserError as error:
        raise click.UsageError(str(error)) from None
