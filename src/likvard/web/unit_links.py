"""The analyses of one school unit that a viewer can open, for the unit's page.

A principal's start page leads to their unit's page; from there each analysis that covers the
unit's school forms is one link, and the student-level lists (the warning list on absence, the
incident cases) only for the unit's own principal and student health team, who alone may read
them. The links say where to go; what each page shows is still decided by its own service.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from likvard.access.policy import Action, QualityAction, Viewer, allowed, quality_allowed
from likvard.organisations.models import SchoolUnit
from likvard.web.links import Link
from likvard_core.terms import SchoolForm

UPPER_SECONDARY_COURSES = 10
"""The equity page's grade year for upper-secondary course grades against national tests."""


def school_unit_links(*, viewer: Viewer, unit: SchoolUnit) -> tuple[Link, ...]:
    """The links to ``unit``'s analyses that ``viewer`` may open, in reading order."""
    code = unit.code
    compulsory = unit.runs(SchoolForm.COMPULSORY)
    upper = unit.runs(SchoolForm.UPPER_SECONDARY)
    links = [
        Link(
            reverse("quality:basis-school-unit", args=[code]),
            _("Analysis basis"),
            _("The unit's indicators over time against the organizer, region and nation"),
        )
    ]
    number = unit.organizer.organisation_number
    if quality_allowed(
        viewer, QualityAction.READ_SELF_EVALUATION, organizer=number, school_unit=code
    ):
        links.append(
            Link(
                reverse("quality:self-evaluation", args=[number]),
                _("Self-evaluation"),
                _("The unit's answers on the success factors, beside the organizer's"),
            )
        )
    if compulsory:
        links.append(
            Link(
                reverse("analyses:equity-school", args=[code]),
                _("Grade equity, year 9"),
                _("Final grades against national test results"),
            )
        )
        links.append(
            Link(
                reverse("analyses:adjusted-year9-school", args=[code]),
                _("Adjusted results, year 9"),
                _("Results against what the students' background predicts"),
            )
        )
    if upper:
        links.append(
            Link(
                reverse("analyses:equity-school", args=[code])
                + f"?grade_year={UPPER_SECONDARY_COURSES}",
                _("Grade equity, upper-secondary courses"),
                _("Course grades against national test results"),
            )
        )
        links.append(
            Link(
                reverse("analyses:adjusted-upper-secondary-school", args=[code]),
                _("Adjusted results, upper secondary"),
                _("Results against what the students' background predicts"),
            )
        )
    own = {"school_unit": code, "school_unit_organizer": number}
    if allowed(viewer, Action.READ_WARNING_LIST, **own):
        links.append(
            Link(
                reverse("analyses:completion-warning-list", args=[code]),
                _("Warning list on absence"),
                _("Students at risk of not completing: for the principal and student health"),
            )
        )
    if allowed(viewer, Action.READ_INCIDENT_CASES, **own):
        links.append(
            Link(
                reverse("analyses:incidents-cases", args=[code]),
                _("Incident cases"),
                _("The school's own cases and their follow-up"),
            )
        )
    return tuple(links)
