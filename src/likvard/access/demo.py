"""The demo's people: one user per role in Göteborgsregionen, with a published password."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from likvard.access.models import Role
from likvard.access.services import RoleSpec, role_assign, user_create
from likvard.organisations.models import Organizer, SchoolUnit

DEMO_PASSWORD = "likvard-demo"  # noqa: S105 (published demo password, demo data only)
DEMO_REGION = "gr"


def _municipal_organizer(municipality_code: str) -> Organizer:
    return Organizer.objects.get(organizer_type="kommunal", municipality_id=municipality_code)


def _demo_specs() -> list[tuple[str, str, list[RoleSpec], str]]:
    kungsbacka = _municipal_organizer("1384")
    molndal = _municipal_organizer("1481")
    school = (
        SchoolUnit.objects.filter(organizer=kungsbacka, programmes__isnull=False)
        .order_by("code")
        .first()
        or SchoolUnit.objects.filter(organizer=kungsbacka).order_by("code").first()
    )
    assert school is not None, "the reference data lacks Kungsbacka's school units"  # noqa: S101
    return [
        ("admin", "Ada Admin", [RoleSpec(Role.ADMINISTRATOR)], "administratör"),
        (
            "samordnare",
            "Sara Samordnare",
            [RoleSpec(Role.REGIONAL_COORDINATOR, region=DEMO_REGION)],
            "regional samordnare, Göteborgsregionen",
        ),
        (
            "analytiker",
            "Anna Analytiker",
            [RoleSpec(Role.ORGANIZER_ANALYST, organizer=kungsbacka.organisation_number)],
            f"analytiker, {kungsbacka.name}",
        ),
        (
            "analytiker.molndal",
            "Mats Mölndal",
            [RoleSpec(Role.ORGANIZER_ANALYST, organizer=molndal.organisation_number)],
            f"analytiker, {molndal.name}",
        ),
        (
            "rektor",
            "Rut Rektor",
            [RoleSpec(Role.PRINCIPAL, school_unit=school.code)],
            f"rektor, {school.name}",
        ),
        (
            "elevhalsa",
            "Elin Elevhälsa",
            [RoleSpec(Role.STUDENT_HEALTH, school_unit=school.code)],
            f"elevhälsan, {school.name}",
        ),
        (
            "sekreterare",
            "Selma Sekreterare",
            [RoleSpec(Role.NETWORK_SECRETARY, region=DEMO_REGION)],
            "nätverkssekreterare, GR",
        ),
        (
            "medlem",
            "Maja Medlem",
            [RoleSpec(Role.NETWORK_MEMBER, region=DEMO_REGION)],
            "nätverksmedlem, GR",
        ),
    ]


def demo_users_ensure() -> list[tuple[str, str]]:
    """Create the demo users if missing (idempotent); return (username, description) pairs."""
    user_model = get_user_model()
    created: list[tuple[str, str]] = []
    for username, full_name, roles, description in _demo_specs():
        first, _, last = full_name.partition(" ")
        existing = user_model.objects.filter(username=username).first()
        if existing is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                roles=roles,
                validate=False,
            )
            if username == "admin":
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        else:
            for spec in roles:
                role_assign(user=existing, spec=spec)
        created.append((username, description))
    return created
