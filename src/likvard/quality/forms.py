"""Forms of the quality pages: self-evaluation, quality dialogues, the year to show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer
from likvard.quality.models import (
    ActionStatus,
    DataSource,
    Direction,
    Indicator,
    Rating,
    SuccessFactor,
    Unit,
)

FIRST_YEAR = 2000
LAST_YEAR = 2100


class YearForm(forms.Form):
    """The school year (spring year) a page shows."""

    year = forms.IntegerField(
        label=_("School year (spring)"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )


class FactorForm(forms.Form):
    """One success factor's answer: the rating, what shows it, what we will do next."""

    rating = forms.TypedChoiceField(
        label=_("Where do we stand?"),
        choices=[("", _("Not answered")), *Rating.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("What shows it"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("What we will do next"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rating") is None and (data.get("evidence") or data.get("next_steps")):
            self.add_error("rating", _("Choose where you stand before you describe it."))
        return data


def factor_forms(
    factors: list[SuccessFactor], data: Any | None, initial: dict[int, dict[str, object]]
) -> list[tuple[SuccessFactor, FactorForm]]:
    """A ``FactorForm`` per success factor, prefixed by its code, with the saved answers."""
    return [
        (factor, FactorForm(data, prefix=factor.code, initial=initial.get(factor.pk)))
        for factor in factors
    ]


class DialogueForm(forms.Form):
    """A quality dialogue record: when, who, what was discussed and agreed."""

    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names and roles, one per line, for example from Skolverket and SPSM."),
    )
    participant_users = forms.ModelMultipleChoiceField(
        label=_("Participants with an account"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators discussed"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    success_factors = forms.ModelMultipleChoiceField(
        label=_("Success factors discussed"),
        queryset=SuccessFactor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    development_areas = forms.CharField(
        label=_("Agreed development areas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, organizer: Organizer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(
            Q(role_assignments__organizer=organizer)
            | Q(role_assignments__school_unit__organizer=organizer)
        ).distinct()
        self.fields["participant_users"].queryset = people.order_by("username")  # type: ignore[attr-defined]
        indicators = Indicator.objects.filter(
            Q(organizer__isnull=True, region__isnull=True) | Q(organizer=organizer)
        )
        self.fields["indicators"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["indicators"].label_from_instance = _indicator_label  # type: ignore[attr-defined]


def _indicator_label(indicator: Indicator) -> str:
    revision = indicator.revisions.first()
    return revision.name if revision else indicator.code


class ActionForm(forms.Form):
    """A follow-up action: what, who, by when, how far."""

    description = forms.CharField(label=_("Action"), max_length=500, required=False)
    owner_name = forms.CharField(label=_("Owner"), max_length=200, required=False)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("description"):
            for name in ("owner_name", "due_on"):
                if not data.get(name):
                    self.add_error(name, _("An action needs an owner and a due date."))
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=2)


class ActionStatusForm(forms.Form):
    """Move a follow-up action to another status."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


MAX_CATALOGUE_BYTES = 5 * 1024 * 1024
SCHOOL_FORM_CHOICES = [
    ("forskola", _("Preschool")),
    ("forskoleklass", _("Preschool class")),
    ("grundskola", _("Compulsory school")),
    ("anpassad_grundskola", _("Adapted compulsory school")),
    ("specialskola", _("Special school")),
    ("sameskola", _("Sami school")),
    ("gymnasieskola", _("Upper secondary school")),
    ("anpassad_gymnasieskola", _("Adapted upper secondary school")),
    ("komvux", _("Municipal adult education")),
    ("fritidshem", _("School-age educare")),
]
SCHOOL_FORM_LABELS = dict(SCHOOL_FORM_CHOICES)


class CatalogueUploadForm(forms.Form):
    """An administrator's upload of a catalogue file (Skolverket's official lists)."""

    file = forms.FileField(
        label=_("Catalogue file (JSON)"),
        help_text=_("In the documented catalogue format; at most 5 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CATALOGUE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class RevisionForm(forms.Form):
    """An indicator's definition, valid from a school year."""

    valid_from = forms.IntegerField(
        label=_("Valid from school year (spring)"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_(
            "The same year as a revision corrects it; a later year starts a new revision and "
            "keeps the old definition as history."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    direction = forms.ChoiceField(label=_("Direction of better"), choices=Direction.choices)
    population = forms.CharField(label=_("Population"), max_length=300, required=False)
    data_source = forms.ChoiceField(label=_("Data source"), choices=DataSource.choices)
    school_forms = forms.MultipleChoiceField(
        label=_("School forms"), choices=SCHOOL_FORM_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    kolada_kpi = forms.CharField(label=_("Kolada key figure"), max_length=20, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LocalIndicatorForm(RevisionForm):
    """A new local indicator: whose it is, and its first definition."""

    owner = forms.ChoiceField(label=_("Whose indicator"))

    field_order = ["owner"]

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


class OwnAnalysisForm(forms.Form):
    """The organizer's own analysis: overall fields, and one per national goal in the basis."""

    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    development_areas = forms.CharField(
        label=_("Development areas"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.CharField(
        label=_("Actions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, goals: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, title in goals:
            self.fields[f"goal:{code}"] = forms.CharField(
                label=_("Our analysis: %(goal)s") % {"goal": title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


class LocalValueForm(forms.Form):
    """The owner's value of a local indicator in one school year."""

    year = forms.IntegerField(
        label=_("School year (spring)"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    value = forms.FloatField(label=_("Value"), help_text=_("A percentage as 0–100."), localize=True)
    n = forms.IntegerField(
        label=_("Based on (number)"),
        min_value=0,
        required=False,
        help_text=_("How many students or answers the value rests on, if known."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
