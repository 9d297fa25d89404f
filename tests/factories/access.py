"""Factories for people with roles."""

from __future__ import annotations

from django.contrib.auth.models import User

from likvard.access.models import Role
from likvard.access.services import RoleSpec, user_create

PASSWORD = "ett-langt-testlosen-42"


def user_with_role(username: str, role: Role | None, **scope: str) -> User:
    """A user holding ``role`` in ``scope`` (region, organizer or school_unit codes)."""
    roles = [RoleSpec(role, **scope)] if role else []
    user = user_create(username=username, password=PASSWORD, roles=roles)
    if role == Role.ADMINISTRATOR:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user  # type: ignore[return-value]
