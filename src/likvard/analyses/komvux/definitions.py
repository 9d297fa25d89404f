"""The measures' Swedish names and working definitions, shown beside every figure.

The English definitions live with the computation (``likvard_core.analytics.komvux.measures
.DEFINITIONS``); these are the same definitions as msgids for the pages and exports, checked to
cover the same keys by the tests.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MEASURE_LABELS = {
    "soktryck": _("Application pressure (söktryck)"),
    "soktryck_first_hand": _("Application pressure, first-hand applicants"),
    "soktryck_eligible": _("Application pressure, eligible applicants"),
    "fill_rate": _("Fill rate (fyllnadsgrad)"),
    "completion_rate": _("Completed"),
    "interruption_rate": _("Interrupted"),
    "outcome_rate": _("In work or studies after completing"),
    "size": _("Large and small starts"),
}
DEFINITIONS = {
    "soktryck": _("Applicants (all choices) per offered place. Working definition."),
    "soktryck_first_hand": _("First-hand applicants per offered place. Working definition."),
    "soktryck_eligible": _(
        "Eligible applicants per offered place, as GR's admissions count 'behöriga sökande per "
        "plats'. Working definition."
    ),
    "fill_rate": _(
        "Students enrolled at the check date divided by offered places, in percent. Working "
        "definition."
    ),
    "completion_rate": _(
        "Students who completed divided by students enrolled at the check date, in percent. "
        "Working definition."
    ),
    "interruption_rate": _(
        "Students who interrupted divided by those who completed or interrupted, in percent, "
        "as Skolverket reports interruptions."
    ),
    "outcome_rate": _(
        "Completers in work or studies six months after completing, divided by completers "
        "followed up, in percent, with a 95 % interval. Working definition of the method."
    ),
    "size": _("Large: 20 offered places or more; small: fewer. Working definition."),
}
BREAKDOWN_LABELS = {
    "municipality_code": _("Municipality"),
    "course_code": _("Course or programme"),
    "start_key": _("Course or programme start"),
    "provider_type": _("Provider type"),
    "provision": _("Municipal or regional"),
    "size": _("Size of the start"),
}
WORDS = {
    "own": _("Own provision (egen regi)"),
    "contracted": _("Contracted provider"),
    "other_public": _("Another municipality or region"),
    "municipal": pgettext_lazy("komvux provision", "Municipal"),
    "regional": _("Regional vocational (regionalt yrkesvux)"),
    "large": _("Large (20 places or more)"),
    "small": _("Small (under 20 places)"),
}
"""Swedish words for the coded values of provider type, provision and size."""
