"""Writing people and roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from likvard.access.models import Role, RoleAssignment
from likvard.organisations.models import Organizer, Region, SchoolUnit


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """A role to assign, with its scope given by codes."""

    role: Role
    region: str | None = None
    organizer: str | None = None
    school_unit: str | None = None


def user_create(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    roles: list[RoleSpec],
    validate: bool = True,
) -> AbstractUser:
    """Create a user with roles; the password passes Django's validators unless ``validate`` is
    false (only for the demo's published passwords)."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(
            username=username, first_name=first_name, last_name=last_name, email=email
        )
        if validate:
            validate_password(password, user)
        user.set_password(password)
        user.is_staff = any(spec.role == Role.ADMINISTRATOR for spec in roles)
        user.full_clean(exclude=["password"])
        user.save()
        for spec in roles:
            role_assign(user=user, spec=spec)
    return user


def role_assign(*, user: AbstractUser, spec: RoleSpec) -> RoleAssignment:
    """Give ``user`` the role ``spec`` (idempotent)."""
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=spec.role.value,
        region=Region.objects.get(code=spec.region) if spec.region else None,
        organizer=(
            Organizer.objects.get(organisation_number=spec.organizer) if spec.organizer else None
        ),
        school_unit=SchoolUnit.objects.get(code=spec.school_unit) if spec.school_unit else None,
    )
    return assignment
