"""Filters of the movement pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.analyses.movement.services import Filters
from likvard_core.terms import OrganizerType, SchoolForm

SCHOOL_FORM_CHOICES = [
    ("", _("Upper secondary, all forms")),
    (SchoolForm.UPPER_SECONDARY.value, _("Upper secondary school")),
    (SchoolForm.UPPER_SECONDARY_ADAPTED.value, _("Adapted upper secondary school")),
]
ORGANIZER_TYPE_CHOICES = [
    ("", _("All organizers")),
    (OrganizerType.MUNICIPAL.value, _("Municipal")),
    (OrganizerType.PRIVATE.value, _("Independent")),
    (OrganizerType.REGION.value, _("Region")),
    (OrganizerType.STATE.value, _("State")),
]
MEASURE_CHOICES = [
    ("share", _("Share with another organizer")),
    ("net", _("Net flow (incoming minus outgoing)")),
]


class MovementFilterForm(forms.Form):
    """Year, programme, school form and organizer type; the map's measure and municipality."""

    year = forms.TypedChoiceField(
        label=_("School year"), coerce=int, required=False, empty_value=None
    )
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    school_form = forms.ChoiceField(
        label=_("School form"), choices=SCHOOL_FORM_CHOICES, required=False
    )
    organizer_type = forms.ChoiceField(
        label=_("Organizer type"), choices=ORGANIZER_TYPE_CHOICES, required=False
    )
    measure = forms.ChoiceField(label=_("Map colour"), choices=MEASURE_CHOICES, required=False)
    municipality = forms.ChoiceField(label=_("Highlight municipality"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        years: list[int],
        programmes: list[tuple[str, str]],
        municipalities: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(data)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)  # noqa: S101  (declared above)
        year_field.choices = [("", _("Latest"))] + [
            (y, f"{y - 1}/{y % 100:02d}") for y in reversed(years)
        ]
        programme_field = self.fields["programme"]
        assert isinstance(programme_field, forms.ChoiceField)  # noqa: S101
        programme_field.choices = [("", _("All programmes"))] + [
            (code, f"{code} {name}") for code, name in programmes
        ]
        municipality_field = self.fields["municipality"]
        assert isinstance(municipality_field, forms.ChoiceField)  # noqa: S101
        if municipalities is None:
            del self.fields["municipality"]
            del self.fields["measure"]
        else:
            municipality_field.choices = [("", _("None")), *municipalities]

    def filters(self) -> Filters:
        """The cleaned filters (call after ``is_valid``)."""
        data = self.cleaned_data
        return Filters(
            year=data.get("year"),
            programme=data.get("programme") or None,
            school_form=data.get("school_form") or None,
            organizer_type=data.get("organizer_type") or None,
            measure=data.get("measure") or "share",
            municipality=data.get("municipality") or None,
        )
