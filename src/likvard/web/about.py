"""The statements every public-sector service publishes: accessibility and personal data.

Both pages are open without signing in (the law requires the accessibility statement to be
reachable by anyone) and state facts taken from the running configuration, so they stay true
when an installation changes its minimum group sizes or retention time.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


def _operator() -> dict[str, str]:
    return {
        "operator": settings.LIKVARD_OPERATOR_NAME,
        "contact_email": settings.LIKVARD_CONTACT_EMAIL,
    }


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse) under the Swedish DOS law."""
    return render(request, "web/accessibility.html", _operator())


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """How Likvärd handles personal data: what is kept, for how long, and who sees what."""
    context = _operator() | {
        "min_group_school_unit": settings.LIKVARD_MIN_GROUP_SCHOOL_UNIT,
        "min_group_area": settings.LIKVARD_MIN_GROUP_AREA,
        "upload_retention_hours": settings.LIKVARD_UPLOAD_RETENTION_HOURS,
    }
    return render(request, "web/privacy.html", context)
