"""Template context shared by every page: the viewer and the main navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from likvard.access.policy import Action, allowed, viewer_for
from likvard.warehouse.kinds import import_kinds


def navigation(request: HttpRequest) -> dict[str, object]:
    """The signed-in viewer and the navigation links they may use."""
    viewer = getattr(request, "likvard_viewer", None) or viewer_for(request.user)
    links: list[tuple[str, str]] = []
    if viewer.is_authenticated:
        links = [(reverse("web:home"), _("Start")), (reverse("web:region-list"), _("Regions"))]
        links.append((reverse("analyses:equity-index"), _("Grade equity")))
        links.append((reverse("analyses:completion-index"), _("Completed studies")))
        links.append((reverse("quality:index"), _("Quality")))
        links.append((reverse("networks:network-list"), _("Networks")))
        links.append((reverse("knowledge:index"), _("Knowledge bank")))
        links.append((reverse("planning:index"), _("Planning")))
        links.append((reverse("movement:index"), _("Student movement")))
        links.append((reverse("komvux:index"), _("Komvux")))
        links.append((reverse("surveys:survey-index"), _("Surveys")))
        if allowed(viewer, Action.VIEW_AUDIT):
            links.append((reverse("web:audit-list"), _("Audit log")))
        if import_kinds(viewer=viewer):
            links.append((reverse("warehouse:import-start"), _("Import a file")))
            links.append((reverse("warehouse:import-history"), _("Import history")))
        if allowed(viewer, Action.MANAGE_REFERENCE):
            links.append((reverse("warehouse:publication-settings"), _("Publication levels")))
        if allowed(viewer, Action.MANAGE_USERS):
            links.append((reverse("admin:index"), _("Administration")))
    return {"viewer": viewer, "nav_links": links, "current_path": request.path}
