"""Every permission in Likvärd is decided here. Views, the API and the CLI all call this module.

The rules:
- Anyone signed in may browse the organisations and see *suppressed* aggregates of any region.
- An organizer analyst may read their own organizer's student-level data in full.
- A principal may read their own school units' student-level data in full.
- A regional coordinator sees their region's aggregates (suppressed) and coordinates its work.
- An administrator manages people and reference data; the role gives no student-level data.
- Network secretaries and members are scoped by the networks they belong to (`network_allowed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from likvard.access.models import Role, RoleAssignment


class Action(StrEnum):
    """Things a viewer may want to do."""

    BROWSE = "browse"
    READ_STUDENT_DATA = "read_student_data"
    IMPORT_STUDENT_DATA = "import_student_data"
    IMPORT_PUBLIC_DATA = "import_public_data"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE = "manage_reference"
    VIEW_AUDIT = "view_audit"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking, with every scope of every role they hold (built once per request)."""

    user_id: int | None
    username: str
    roles: frozenset[Role]
    regions: frozenset[str]
    organizers: frozenset[str]
    school_units: frozenset[str]

    @property
    def is_authenticated(self) -> bool:
        """True for a signed-in user."""
        return self.user_id is not None

    def has_role(self, role: Role) -> bool:
        """True when the viewer holds ``role`` in any scope."""
        return role in self.roles


ANONYMOUS = Viewer(None, "", frozenset(), frozenset(), frozenset(), frozenset())


def viewer_for(user: AbstractBaseUser | AnonymousUser) -> Viewer:
    """The ``Viewer`` for a Django user (one query); anonymous users get ``ANONYMOUS``."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    assignments = list(
        RoleAssignment.objects.filter(user_id=user.pk).select_related(
            "region", "organizer", "school_unit"
        )
    )
    roles = {Role(a.role) for a in assignments}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMINISTRATOR)
    return Viewer(
        user_id=int(user.pk),
        username=user.get_username(),
        roles=frozenset(roles),
        regions=frozenset(a.region.code for a in assignments if a.region),
        organizers=frozenset(
            a.organizer.organisation_number
            for a in assignments
            if a.organizer and a.role == Role.ORGANIZER_ANALYST
        ),
        school_units=frozenset(
            a.school_unit.code for a in assignments if a.school_unit and a.role == Role.PRINCIPAL
        ),
    )


def allowed(
    viewer: Viewer,
    action: Action,
    *,
    organizer: str | None = None,
    school_unit: str | None = None,
    school_unit_organizer: str | None = None,
) -> bool:
    """Whether ``viewer`` may do ``action`` on the organizer or school unit given by code.

    ``school_unit_organizer`` is the organisation number of ``school_unit``'s organizer, so that
    an organizer analyst may read their own organizer's units.
    """
    if not viewer.is_authenticated:
        return False
    match action:
        case Action.BROWSE:
            return True
        case Action.READ_STUDENT_DATA | Action.IMPORT_STUDENT_DATA:
            return _owns_student_data(viewer, organizer, school_unit, school_unit_organizer)
        case (
            Action.IMPORT_PUBLIC_DATA
            | Action.MANAGE_REFERENCE
            | Action.MANAGE_USERS
            | Action.VIEW_AUDIT
        ):
            return viewer.has_role(Role.ADMINISTRATOR)


def _owns_student_data(
    viewer: Viewer, organizer: str | None, school_unit: str | None, unit_organizer: str | None
) -> bool:
    if school_unit is not None:
        return school_unit in viewer.school_units or (
            unit_organizer is not None and unit_organizer in viewer.organizers
        )
    return organizer is not None and organizer in viewer.organizers


def require(viewer: Viewer, action: Action, **scope: str | None) -> None:
    """Raise ``PermissionDenied`` unless ``allowed(viewer, action, **scope)``."""
    if not allowed(viewer, action, **scope):
        raise PermissionDenied(action.value)


def student_data_organizers(viewer: Viewer) -> frozenset[str]:
    """Organisation numbers whose student-level data the viewer may read in full."""
    return viewer.organizers


def student_data_school_units(viewer: Viewer) -> frozenset[str]:
    """School-unit codes whose student-level data the viewer may read in full as principal."""
    return viewer.school_units


class NetworkAction(StrEnum):
    """Things a viewer may want to do in a network's work (decided by ``network_allowed``)."""

    READ_MINUTES = "read_minutes"
    WRITE_MINUTES = "write_minutes"
    CHECK_MINUTES = "check_minutes"
    IMPORT_NOTES = "import_notes"
    MANAGE_NETWORKS = "manage_networks"


@dataclass(frozen=True, slots=True)
class NetworkStanding:
    """The viewer's place in one network and meeting, as the networks app found it.

    ``member``: a current membership in the network (or one the minutes are shared with);
    ``secretary``: a current membership as secretary or coordinator; ``checker``: the meeting's
    chair or appointed checker (justerare).
    """

    member: bool = False
    secretary: bool = False
    checker: bool = False


def network_allowed(
    viewer: Viewer,
    action: NetworkAction,
    *,
    standing: NetworkStanding = NetworkStanding(),
    published: bool = False,
) -> bool:
    """Whether ``viewer`` may do ``action`` in a network, given their ``standing`` there.

    Members read published minutes; the secretary writes and reads drafts; the chair and the
    checker read and check drafts; nobody else sees unpublished notes, administrators included.
    """
    if not viewer.is_authenticated:
        return False
    match action:
        case NetworkAction.READ_MINUTES:
            return standing.secretary or standing.checker or (published and standing.member)
        case NetworkAction.WRITE_MINUTES:
            return standing.secretary
        case NetworkAction.CHECK_MINUTES:
            return standing.checker
        case NetworkAction.IMPORT_NOTES:
            return standing.secretary or viewer.has_role(Role.ADMINISTRATOR)
        case NetworkAction.MANAGE_NETWORKS:
            return viewer.has_role(Role.ADMINISTRATOR)


def network_require(
    viewer: Viewer,
    action: NetworkAction,
    *,
    standing: NetworkStanding = NetworkStanding(),
    published: bool = False,
) -> None:
    """Raise ``PermissionDenied`` unless ``network_allowed(...)``."""
    if not network_allowed(viewer, action, standing=standing, published=published):
        raise PermissionDenied(action.value)
