"""Every permission in Likvärd is decided here. Views, the API and the CLI all call this module.

The rules:
- Anyone signed in may browse the organisations and see *suppressed* aggregates of any region.
- An organizer analyst may read their own organizer's student-level data in full.
- A principal may read their own school units' student-level data in full.
- A regional coordinator sees their region's aggregates (suppressed) and coordinates its work.
- An administrator manages people and reference data; the role gives no student-level data.
- Network secretaries and members are scoped by the networks they belong to (`network_allowed`).
- The early-warning list of named students' keys and the school's incident cases are for the
  school's own principal and student health team (elevhälsa) only; an organizer analyst sets
  their organizer's warning rule. The student health team sees nothing else student-level.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    IMPORT_REGIONAL_DATA = "import_regional_data"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE = "manage_reference"
    VIEW_AUDIT = "view_audit"
    COORDINATE_PLANNING = "coordinate_planning"
    REPORT_CAPACITY = "report_capacity"
    READ_WARNING_LIST = "read_warning_list"
    SET_WARNING_RULE = "set_warning_rule"
    READ_INCIDENT_CASES = "read_incident_cases"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking, with every scope of every role they hold (built once per request)."""

    user_id: int | None
    username: str
    roles: frozenset[Role]
    regions: frozenset[str]
    organizers: frozenset[str]
    school_units: frozenset[str]
    coordinated_regions: frozenset[str] = frozenset()
    """The regions where the viewer is regional coordinator (``regions`` holds every role's)."""
    network_secretary_regions: frozenset[str] = frozenset()
    """The regions where the viewer holds the role network secretary."""
    health_units: frozenset[str] = frozenset()
    """The school units whose student health team (elevhälsa) the viewer belongs to."""

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
        coordinated_regions=frozenset(
            a.region.code for a in assignments if a.region and a.role == Role.REGIONAL_COORDINATOR
        ),
        network_secretary_regions=frozenset(
            a.region.code for a in assignments if a.region and a.role == Role.NETWORK_SECRETARY
        ),
        health_units=frozenset(
            a.school_unit.code
            for a in assignments
            if a.school_unit and a.role == Role.STUDENT_HEALTH
        ),
    )


def owner_classes(users: Iterable[AbstractBaseUser]) -> list[Viewer]:
    """One viewer per class of ``users`` who see some figures in full (their organizers and
    school units), in the order given; users who own none are the anonymous class's and left
    out. Warm-ups decide a class's releases once for all its members."""
    classes: dict[tuple[tuple[str, ...], tuple[str, ...]], Viewer] = {}
    for user in users:
        viewer = viewer_for(user)
        if viewer.organizers or viewer.school_units:
            key = (tuple(sorted(viewer.organizers)), tuple(sorted(viewer.school_units)))
            classes.setdefault(key, viewer)
    return list(classes.values())


def owner_classes_active(limit: int) -> list[Viewer]:
    """``owner_classes`` of the active people, most recently signed in first, at most
    ``limit``: whose releases a warm-up decides ahead of their first page."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 (policy is imported early)
    from django.db.models import F  # noqa: PLC0415

    people = get_user_model().objects.filter(is_active=True)
    return owner_classes(people.order_by(F("last_login").desc(nulls_last=True), "pk"))[:limit]


def allowed(  # noqa: PLR0911 (one return per action, as a table of rules)
    viewer: Viewer,
    action: Action,
    *,
    organizer: str | None = None,
    school_unit: str | None = None,
    school_unit_organizer: str | None = None,
    region: str | None = None,
) -> bool:
    """Whether ``viewer`` may do ``action`` on the organizer, school unit or region given by code.

    ``school_unit_organizer`` is the organisation number of ``school_unit``'s organizer, so that
    an organizer analyst may read their own organizer's units. Planning: a regional coordinator
    coordinates their ``region``'s planning (capacity survey, planning basis, scenarios); an
    organizer analyst reports capacity for their own ``organizer`` (a member municipality's).
    Regional files: a regional coordinator imports the joint files of their ``region`` (the
    admissions office's, covering every organizer of the region).
    """
    if not viewer.is_authenticated:
        return False
    match action:
        case Action.BROWSE:
            return True
        case Action.READ_STUDENT_DATA | Action.IMPORT_STUDENT_DATA:
            return _owns_student_data(viewer, organizer, school_unit, school_unit_organizer)
        case Action.COORDINATE_PLANNING | Action.IMPORT_REGIONAL_DATA:
            return region is not None and region in viewer.coordinated_regions
        case Action.REPORT_CAPACITY | Action.SET_WARNING_RULE:
            return organizer is not None and organizer in viewer.organizers
        case Action.READ_WARNING_LIST | Action.READ_INCIDENT_CASES:
            # the student's own school only: its principal and student health team
            return school_unit is not None and (
                school_unit in viewer.school_units or school_unit in viewer.health_units
            )
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
    MANAGE_MEMBERS = "manage_members"
    READ_INCOMING = "read_incoming"


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


def network_allowed(  # noqa: PLR0911 (one return per action, as a table of rules)
    viewer: Viewer,
    action: NetworkAction,
    *,
    standing: NetworkStanding = NetworkStanding(),
    published: bool = False,
    region: str | None = None,
) -> bool:
    """Whether ``viewer`` may do ``action`` in a network, given their ``standing`` there.

    Members read published minutes; the secretary writes and reads drafts; the chair and the
    checker read and check drafts; nobody else sees unpublished notes, administrators included.
    The secretary (or coordinator) and administrators manage the members; members see the
    matters other networks forwarded to theirs (incoming matters). Old notes are imported by
    the network's secretary, by a network secretary of the network's ``region`` (the role) and
    by administrators. Networks are created, and their secretaries appointed, by administrators
    and the regional coordinators of the network's ``region``. Where ``region`` is None (a page
    not about one network), any region of the viewer's role counts.
    """
    if not viewer.is_authenticated:
        return False
    administrator = viewer.has_role(Role.ADMINISTRATOR)
    match action:
        case NetworkAction.READ_MINUTES:
            return standing.secretary or standing.checker or (published and standing.member)
        case NetworkAction.WRITE_MINUTES:
            return standing.secretary
        case NetworkAction.CHECK_MINUTES:
            return standing.checker
        case NetworkAction.IMPORT_NOTES:
            return (
                standing.secretary
                or administrator
                or _in_regions(viewer.network_secretary_regions, region)
            )
        case NetworkAction.MANAGE_MEMBERS:
            return standing.secretary or administrator
        case NetworkAction.MANAGE_NETWORKS:
            return administrator or _in_regions(viewer.coordinated_regions, region)
        case NetworkAction.READ_INCOMING:
            return standing.member or standing.secretary


def _in_regions(regions: frozenset[str], region: str | None) -> bool:
    """``region`` is one of ``regions``; with no region given, there is any."""
    return region in regions if region is not None else bool(regions)


def network_require(
    viewer: Viewer,
    action: NetworkAction,
    *,
    standing: NetworkStanding = NetworkStanding(),
    published: bool = False,
    region: str | None = None,
) -> None:
    """Raise ``PermissionDenied`` unless ``network_allowed(...)``."""
    if not network_allowed(viewer, action, standing=standing, published=published, region=region):
        raise PermissionDenied(action.value)


class QualityAction(StrEnum):
    """Things a viewer may want to do in the quality work (decided by ``quality_allowed``)."""

    READ_SELF_EVALUATION = "read_self_evaluation"
    WRITE_SELF_EVALUATION = "write_self_evaluation"
    READ_DIALOGUES = "read_dialogues"
    WRITE_DIALOGUES = "write_dialogues"
    WRITE_ANALYSIS = "write_analysis"
    ADD_LOCAL_INDICATOR = "add_local_indicator"
    MANAGE_CATALOGUE = "manage_catalogue"


def quality_allowed(
    viewer: Viewer,
    action: QualityAction,
    *,
    organizer: str | None = None,
    school_unit: str | None = None,
    regions: frozenset[str] = frozenset(),
) -> bool:
    """Whether ``viewer`` may do ``action`` for an organizer, one of its units, or a region.

    ``regions`` are the codes of the regions the organizer belongs to (for a region's own local
    indicator: that region). A principal writes their own unit's self-evaluation; an organizer
    analyst reads every unit's and writes the organizer's own, its dialogues and its analysis;
    a regional coordinator reads their region's organizers' summaries and dialogues and adds the
    region's local indicators; an administrator manages the catalogue.
    """
    if not viewer.is_authenticated:
        return False
    analyst = organizer is not None and organizer in viewer.organizers
    coordinator = bool(regions & viewer.coordinated_regions)
    administrator = viewer.has_role(Role.ADMINISTRATOR)
    if school_unit is not None:
        principal = school_unit in viewer.school_units
        read, write = principal or analyst, principal
    else:
        read, write = analyst or coordinator, analyst
    rules = {
        QualityAction.READ_SELF_EVALUATION: read,
        QualityAction.WRITE_SELF_EVALUATION: write,
        QualityAction.READ_DIALOGUES: analyst or coordinator,
        QualityAction.WRITE_DIALOGUES: analyst,
        QualityAction.WRITE_ANALYSIS: analyst,
        QualityAction.ADD_LOCAL_INDICATOR: analyst or coordinator or administrator,
        QualityAction.MANAGE_CATALOGUE: administrator,
    }
    return rules[action]


def quality_require(
    viewer: Viewer,
    action: QualityAction,
    *,
    organizer: str | None = None,
    school_unit: str | None = None,
    regions: frozenset[str] = frozenset(),
) -> None:
    """Raise ``PermissionDenied`` unless ``quality_allowed(...)``."""
    if not quality_allowed(
        viewer, action, organizer=organizer, school_unit=school_unit, regions=regions
    ):
        raise PermissionDenied(action.value)


class KnowledgeAction(StrEnum):
    """Things a viewer may want to do in the knowledge bank (decided by ``knowledge_allowed``)."""

    READ = "read"
    EDIT = "edit"
    MANAGE_TOPICS = "manage_topics"


@dataclass(frozen=True, slots=True)
class KnowledgeStanding:
    """The viewer's place for one item (or one region's or network's bank), as the knowledge
    app found it. ``region_editor``: an editor of the owning region (named by the knowledge app,
    or the region's coordinator); ``network_editor``: an editor of the owning network (named, or
    its secretary); ``network_member``: a current member of the owning network; ``in_region``:
    signed in with a role in the owning region or a member of one of its networks."""

    region_editor: bool = False
    network_editor: bool = False
    network_member: bool = False
    in_region: bool = False


def knowledge_allowed(
    viewer: Viewer,
    action: KnowledgeAction,
    *,
    standing: KnowledgeStanding = KnowledgeStanding(),
    visibility: str = "public",
) -> bool:
    """Whether ``viewer`` may do ``action`` on an item of the given ``visibility``.

    Public items are read by anyone, signed in or not; regional items by everyone in the
    region; network items by the network's members. The editors of the owning region or network
    read everything of theirs and edit it; the region's editors keep its list of free topics.
    """
    editor = standing.region_editor or standing.network_editor
    if action == KnowledgeAction.READ and visibility == "public":
        return True
    if not viewer.is_authenticated:
        return False
    readers = {"regional": standing.in_region, "network": standing.network_member}
    rules = {
        KnowledgeAction.READ: editor or readers.get(visibility, False),
        KnowledgeAction.EDIT: editor,
        KnowledgeAction.MANAGE_TOPICS: standing.region_editor,
    }
    return rules[action]
