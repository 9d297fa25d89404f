"""The analyses of a region, a municipality or an organizer that a viewer can open.

The pages of a region, a municipality and an organizer listed their members and nothing to
follow up: to see GR's completion, a coordinator had to know that the menu's "Completed
studies" leads to a list of regions. Each page now lists the analyses made at its level, the
way a school unit's page does (``unit_links``). A link is shown only where its page would open
for the viewer (planning for the region's coordinators, the self-evaluation and the quality
dialogues for the organizer's own analysts, the region's coordinators and, for the
self-evaluation, the principals of its units); what each page shows is still decided by its
own service and the release gate.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from likvard.access.policy import Action, QualityAction, Viewer, allowed, quality_allowed
from likvard.analyses.surveys import services as surveys
from likvard.organisations.models import Municipality, Organizer, Region, SchoolUnit
from likvard.web.links import Link
from likvard.web.unit_links import UPPER_SECONDARY_COURSES
from likvard_core.terms import SchoolForm


def region_links(*, viewer: Viewer, region: Region) -> tuple[Link, ...]:
    """The links to ``region``'s analyses that ``viewer`` may open, in reading order."""
    code = region.code
    links = [
        Link(
            reverse("quality:basis-region", args=[code]),
            _("Analysis basis"),
            _("The region's indicators over time against the nation"),
        ),
        Link(
            reverse("analyses:equity-region", args=[code]),
            _("Grade equity"),
            _("Grades against national test results, by organizer and school unit"),
        ),
        Link(
            reverse("analyses:equity-published-region", args=[code]),
            _("Grade equity in Skolverket's statistics"),
            _("Skolverket's published grades and test results for the region's municipalities"),
        ),
        Link(
            reverse("analyses:adjusted-year9-region", args=[code]),
            _("Adjusted results, year 9"),
            _("Results against what the students' background predicts"),
        ),
        Link(
            reverse("analyses:adjusted-upper-secondary-region", args=[code]),
            _("Adjusted results, upper secondary"),
            _("Results against what the students' background predicts"),
        ),
        Link(
            reverse("analyses:completion-region", args=[code]),
            _("Completed studies"),
            _("Who completes upper secondary school, and early warning on absence"),
        ),
        Link(
            reverse("movement:region", args=[code]),
            _("Student movement"),
            _("Where the region's students live and where they go to school"),
        ),
        Link(
            reverse("movement:admissions", args=[code]),
            _("Admissions and 15 October"),
            _("The admission rounds against the students who started"),
        ),
        Link(
            reverse("komvux:region", args=[code]),
            _("Komvux"),
            _("Municipal adult education: enrolment, results and transitions"),
        ),
        *_survey_links(region),
        Link(
            reverse("analyses:incidents-region", args=[code]),
            _("Incident follow-up"),
            _("Reported incidents and how quickly they were dealt with"),
        ),
    ]
    if allowed(viewer, Action.COORDINATE_PLANNING, region=code):
        links.append(
            Link(
                reverse("planning:region", args=[code]),
                _("Planning"),
                _("Forecasts, capacity and the dimensioning of upper secondary school"),
            )
        )
    return tuple(links)


def _survey_links(region: Region) -> Iterable[Link]:
    for version in surveys.surveys_answered_in(region=region):
        yield Link(
            reverse("surveys:survey-region", args=[version.survey, region.code]),
            _("Survey: %(name)s") % {"name": version.name},
            _("The survey's indices and questions against the previous round"),
        )


def municipality_links(*, municipality: Municipality) -> tuple[Link, ...]:
    """The links to the analyses made per municipality (open to every signed-in viewer)."""
    code = municipality.code
    return (
        Link(
            reverse("analyses:equity-published-municipality", args=[code]),
            _("Grade equity in Skolverket's statistics"),
            _("Skolverket's published grades and test results for the municipality's schools"),
        ),
        Link(
            reverse("movement:municipality", args=[code]),
            _("Student movement"),
            _("Where the municipality's students go to school, and who comes from elsewhere"),
        ),
    )


def organizer_links(
    *,
    viewer: Viewer,
    organizer: Organizer,
    units: Iterable[SchoolUnit],
    regions: frozenset[str],
) -> tuple[Link, ...]:
    """The links to ``organizer``'s analyses that ``viewer`` may open, in reading order.

    ``units`` are the organizer's school units (their school forms decide which analyses
    apply) and ``regions`` the codes of the regions it belongs to (their coordinators read its
    self-evaluation and dialogues)."""
    number = organizer.organisation_number
    units = list(units)

    def runs(*forms: SchoolForm) -> bool:
        return any(unit.runs(form) for unit in units for form in forms)

    links = [
        Link(
            reverse("quality:basis-organizer", args=[number]),
            _("Analysis basis"),
            _("The organizer's indicators over time against the region and nation"),
        )
    ]
    own_unit = any(unit.code in viewer.school_units for unit in units)
    if own_unit or quality_allowed(
        viewer, QualityAction.READ_SELF_EVALUATION, organizer=number, regions=regions
    ):
        links.append(
            Link(
                reverse("quality:self-evaluation", args=[number]),
                _("Self-evaluation"),
                _("The organizer's and its units' answers on the success factors"),
            )
        )
    if quality_allowed(viewer, QualityAction.READ_DIALOGUES, organizer=number, regions=regions):
        links.append(
            Link(
                reverse("quality:dialogue-list", args=[number]),
                _("Quality dialogues"),
                _("The dialogues with the units and their follow-up actions"),
            )
        )
    if runs(SchoolForm.COMPULSORY, SchoolForm.UPPER_SECONDARY):
        # An organizer of upper-secondary schools alone opens on its course grades.
        courses = "" if runs(SchoolForm.COMPULSORY) else f"?grade_year={UPPER_SECONDARY_COURSES}"
        links.append(
            Link(
                reverse("analyses:equity-organizer", args=[number]) + courses,
                _("Grade equity"),
                _("Grades against national test results, by school unit"),
            )
        )
    if runs(SchoolForm.COMPULSORY):
        links.append(
            Link(
                reverse("analyses:adjusted-year9-organizer", args=[number]),
                _("Adjusted results, year 9"),
                _("Results against what the students' background predicts"),
            )
        )
    if runs(SchoolForm.UPPER_SECONDARY):
        links += [
            Link(
                reverse("analyses:adjusted-upper-secondary-organizer", args=[number]),
                _("Adjusted results, upper secondary"),
                _("Results against what the students' background predicts"),
            ),
            Link(
                reverse("analyses:completion-organizer", args=[number]),
                _("Early-warning rule"),
                _("Which students the warning list on absence picks out, and how well"),
            ),
        ]
    if runs(SchoolForm.ADULT, SchoolForm.SFI):
        links.append(
            Link(
                reverse("komvux:organizer", args=[number]),
                _("Komvux"),
                _("Municipal adult education: enrolment, results and transitions"),
            )
        )
    links.append(
        Link(
            reverse("warehouse:organizer-students", args=[number]),
            _("Enrolled students"),
            _("Students on 15 October per school unit, girls and boys"),
        )
    )
    return tuple(links)
