"""What the start page shows each role: sections of links the person can use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from likvard.access.models import Role
from likvard.access.policy import Viewer
from likvard.networks.models import MembershipRole
from likvard.networks.selectors import OwnNetwork, own_networks
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.organisations.selectors import organizer_school_units
from likvard.quality.selectors import organizer_regions
from likvard.web.area_links import organizer_links
from likvard.web.links import Link
from likvard.web.unit_links import school_unit_links


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the start page for one of the viewer's roles."""

    title: str
    intro: str
    links: tuple[Link, ...]


def home_sections(*, viewer: Viewer) -> list[Section]:
    """The start-page sections for every role the viewer holds, in a fixed order."""
    sections: list[Section] = []
    if (
        viewer.has_role(Role.REGIONAL_COORDINATOR)
        or viewer.has_role(Role.NETWORK_SECRETARY)
        or (viewer.has_role(Role.NETWORK_MEMBER))
    ):
        sections.append(_region_section(viewer))
    networks = own_networks(viewer=viewer)
    if networks:
        sections.append(_network_section(networks))
    if viewer.has_role(Role.ORGANIZER_ANALYST):
        sections.append(_organizer_section(viewer))
    if viewer.has_role(Role.PRINCIPAL):
        sections.append(_principal_section(viewer))
    if viewer.has_role(Role.STUDENT_HEALTH):
        sections.append(_health_section(viewer))
    if viewer.has_role(Role.ADMINISTRATOR):
        sections.append(_admin_section())
    if not sections:
        sections.append(
            Section(
                _("Browse"),
                _("You can browse regions, organizers and school units."),
                (Link(reverse("web:region-list"), _("All regions")),),
            )
        )
    return sections


def _region_section(viewer: Viewer) -> Section:
    regions = (
        Region.objects.filter(code__in=viewer.regions)
        .annotate(municipality_count=Count("municipalities"))
        .order_by("name")
    )
    links = tuple(
        Link(
            reverse("web:region-detail", args=[r.code]),
            r.name,
            _("%(count)d municipalities") % {"count": r.municipality_count},
        )
        for r in regions
    )
    return Section(
        _("Your region"),
        _(
            "Follow up the region's municipalities and organizers. Figures from other "
            "organizers are shown with small groups hidden."
        ),
        links,
    )


def _network_section(networks: list[OwnNetwork]) -> Section:
    links = [
        Link(
            reverse("networks:network-detail", args=[n.network.code]),
            n.network.name,
            _network_detail(n),
        )
        for n in networks
    ]
    if any(n.open_actions for n in networks):
        links.append(
            Link(
                reverse("networks:action-items"),
                _("Open action items"),
                _("Everything still to be done in your networks, by organisation and person"),
            )
        )
    return Section(
        _("Your networks"),
        _("The networks you take part in: their next meeting and what is still to be done."),
        tuple(links),
    )


def _network_detail(own: OwnNetwork) -> str:
    parts = [str(role.label) for role in own.roles if role != MembershipRole.MEMBER]
    held_on = own.next_meeting.held_on if own.next_meeting is not None else None
    if held_on is not None:  # a planned meeting always has its date
        parts.append(_("next meeting %(date)s") % {"date": date_format(held_on, "j F Y")})
    else:
        parts.append(_("no meeting planned"))
    if own.open_actions:
        parts.append(
            ngettext("%(count)d open action item", "%(count)d open action items", own.open_actions)
            % {"count": own.open_actions}
        )
    return " · ".join(parts)


def _organizer_section(viewer: Viewer) -> Section:
    organizers = list(
        Organizer.objects.filter(organisation_number__in=viewer.organizers).order_by("name")
    )
    expand = len(organizers) <= _UNITS_EXPANDED
    links = tuple(
        Link(
            reverse("web:organizer-detail", args=[o.organisation_number]),
            o.name,
            _("Your organizer: student-level data in full"),
            organizer_links(
                viewer=viewer,
                organizer=o,
                units=organizer_school_units(organizer=o),
                regions=organizer_regions(organizer=o),
            )
            if expand
            else (),
        )
        for o in organizers
    )
    return Section(
        _("Your organizer"),
        _("You analyse your own organizer's student-level data and compare with others."),
        links,
    )


def _principal_section(viewer: Viewer) -> Section:
    return Section(
        _("Your school units"),
        _("Follow up your own school units."),
        _unit_links(viewer.school_units, viewer=viewer),
    )


def _health_section(viewer: Viewer) -> Section:
    return Section(
        _("Your student health team"),
        _(
            "The warning list on absence and the incident cases of the school units whose "
            "student health team you belong to."
        ),
        _unit_links(viewer.health_units),
    )


def _unit_links(codes: frozenset[str], *, viewer: Viewer | None = None) -> tuple[Link, ...]:
    """A link to each unit's page; with ``viewer``, each unit's analyses under it (for a
    principal of a few units, who would otherwise open the unit's page first every time)."""
    units = list(
        SchoolUnit.objects.filter(code__in=codes)
        .select_related("municipality", "organizer")
        .order_by("name")
    )
    expand = viewer is not None and len(units) <= _UNITS_EXPANDED
    return tuple(
        Link(
            reverse("web:school-unit-detail", args=[u.code]),
            u.name,
            _("%(municipality)s, school unit code %(code)s")
            % {"municipality": u.municipality.name, "code": u.code},
            school_unit_links(viewer=viewer, unit=u) if expand and viewer is not None else (),
        )
        for u in units
    )


_UNITS_EXPANDED = 3
"""Up to this many units (or organizers), the start page lists each one's analyses under it."""


def _admin_section() -> Section:
    return Section(
        _("Administration"),
        _("Manage people, roles and reference data, and read the audit log."),
        (
            Link(reverse("admin:index"), _("Administration")),
            Link(reverse("web:audit-list"), _("Audit log")),
        ),
    )
