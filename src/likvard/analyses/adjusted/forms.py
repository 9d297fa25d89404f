"""The filter of the adjusted-results pages: which outcome, and whether to weight the fit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.analyses.adjusted.services import OUTCOMES, Stage

OUTCOME_LABELS = {
    "merit_value": _("Average merit value"),
    "share_passing_all": _("Share passing all subjects"),
    "share_diploma": _("Share with a diploma within 3 years"),
    "grade_point_average": _("Average grade points (GBP)"),
}
PROGRAMME_TYPE_LABELS = {
    "preparatory": _("Higher education preparatory programmes"),
    "vocational": _("Vocational programmes"),
    "introduction": _("Introduction programmes"),
}


class AdjustedFilterForm(forms.Form):
    """The outcome of the page's stage (its first by default) and WLS weighting (off)."""

    outcome = forms.ChoiceField(label=_("Result"), required=False)
    weighted = forms.BooleanField(
        label=_("Weight schools by their number of students"), required=False
    )

    def __init__(self, *args: object, stage: Stage, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.stage = stage
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (narrowing for mypy)
        field.choices = [(o, OUTCOME_LABELS[o]) for o in OUTCOMES[stage]]

    def clean_outcome(self) -> str:
        """The chosen outcome, the stage's first by default."""
        return str(self.cleaned_data.get("outcome") or OUTCOMES[self.stage][0])
