"""The filters of the adjusted-results pages: outcome, weighting, and which rows the table shows."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.core.validators import RegexValidator
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from likvard.analyses.adjusted.labels import (
    ASSESSMENT_LABELS,
    OUTCOME_LABELS,
    PROGRAMME_TYPE_LABELS,
)
from likvard.analyses.adjusted.services import (
    ALL_YEARS,
    OUTCOMES,
    AdjustedReport,
    Stage,
    TableQuery,
)
from likvard.organisations.labels import school_year_label

__all__ = ["OUTCOME_LABELS", "PROGRAMME_TYPE_LABELS", "AdjustedFilterForm", "filter_options"]


class AdjustedFilterForm(forms.Form):
    """The outcome of the page's stage (its first by default), WLS weighting (off), and the
    table's year (latest by default, or all), municipality, school unit, assessment and page."""

    outcome = forms.ChoiceField(label=_("Result"), required=False)
    weighted = forms.BooleanField(
        label=_("Weight schools by their number of students"), required=False
    )
    year = forms.CharField(
        label=_("School year"),
        required=False,
        validators=[RegexValidator(rf"^(\d{{4}}|{ALL_YEARS})$")],
    )
    municipality = forms.CharField(
        label=_("Municipality"), required=False, validators=[RegexValidator(r"^\d{4}$")]
    )
    school = forms.CharField(
        label=_("School unit"), required=False, validators=[RegexValidator(r"^\d{8}$")]
    )
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        choices=[("", _("All")), *((k, v) for k, v in ASSESSMENT_LABELS.items())],
    )
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: object, stage: Stage, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.stage = stage
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (narrowing for mypy)
        field.choices = [(o, OUTCOME_LABELS[o]) for o in OUTCOMES[stage]]

    def clean_outcome(self) -> str:
        """The chosen outcome, the stage's first by default."""
        return str(self.cleaned_data.get("outcome") or OUTCOMES[self.stage][0])

    def query(self) -> TableQuery:
        """The table's filters and page from the valid form."""
        data = self.cleaned_data
        year: int | str | None = data.get("year") or None
        if year is not None and year != ALL_YEARS:
            year = int(year)
        return TableQuery(
            year=year,
            municipality=data.get("municipality") or "",
            school=data.get("school") or "",
            assessment=data.get("assessment") or "",
            page=data.get("page") or 1,
        )


def _options(choices: Sequence[tuple[str, str]], selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


def filter_options(report: AdjustedReport, query: TableQuery) -> dict[str, SafeString]:
    """The ``<option>`` lists of the table's year, municipality and school unit selects (built
    here: hundreds of schools render in a millisecond, not in a template loop)."""
    every = str(_("All"))
    year = ALL_YEARS if query.year == ALL_YEARS else str(report.overview.year or "")
    years = [(str(y), school_year_label(y)) for y in reversed(report.years)]
    return {
        "year": _options([*years, (ALL_YEARS, str(_("All years")))], year),
        "municipality": _options([("", every), *report.municipalities], query.municipality),
        "school": _options([("", every), *report.schools], query.school),
    }
