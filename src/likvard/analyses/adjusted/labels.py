"""Names for what the adjusted results show: outcomes, model terms, assessments, programmes.

The one place a code of this analysis becomes Swedish words for pages, charts and workbooks
alike. ``assessment_of`` is the one reading of a released row's classification
(``likvard_core.analytics.adjusted.reasons.classify``, plus "hidden" when the gate hid it).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

OUTCOME_LABELS = {
    "merit_value": _("Average merit value"),
    "share_passing_all": _("Share passing all subjects"),
    "share_diploma": _("Share with a diploma within 3 years"),
    "grade_point_average": _("Average grade points (GBP)"),
}
SHARE_OUTCOMES = ("share_passing_all", "share_diploma")
PROGRAMME_TYPE_LABELS = {
    "preparatory": _("Higher education preparatory programmes"),
    "vocational": _("Vocational programmes"),
    "introduction": _("Introduction programmes"),
}
TERM_LABELS = {
    "const": _("Constant"),
    "parents_education": _("Parents' education level"),
    "share_boys": _("Share of boys"),
    "share_newly_arrived": _("Share of newly arrived students"),
}
MODEL_LABELS = {
    "linear": _("Linear regression (OLS)"),
    "fractional_logit": _("Fractional logit (binomial GLM), coefficients on the logit scale"),
}

ABOVE, BELOW, WITHIN, OUTSIDE_MODEL, HIDDEN = (
    "above",
    "below",
    "within",
    "outside_model",
    "hidden",
)
ASSESSMENT_LABELS = {
    ABOVE: _("Above the interval"),
    BELOW: _("Below the interval"),
    WITHIN: _("Within the interval"),
    OUTSIDE_MODEL: _("Outside the model"),
    HIDDEN: _("Hidden"),
}
"""Every assessment a row can have, in the order legends and filters list them."""
ASSESSMENT_COLOURS = {
    ABOVE: "#1a7f37",
    BELOW: "#b3261e",
    WITHIN: "#0b63a5",
    OUTSIDE_MODEL: "#8a8a8a",
}
"""Chart colours: green above, red below, blue within, grey outside the model."""


def assessment_of(row: Mapping[str, object]) -> str:
    """The assessment of one released row: its ``assessment``, or ``hidden`` when suppressed."""
    value = row.get("assessment")
    if row.get("n_students") is None or value is None:
        return HIDDEN
    return str(value)


def term_label(name: str) -> str:
    """A model term in Swedish (the code itself if unknown)."""
    return str(TERM_LABELS.get(name, name))
