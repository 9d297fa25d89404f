"""Filters of the movement pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


class CompactSelect(forms.Select):
    """A select whose options are written here rather than by a template each: the template
    per option was most of the time the movement pages spent on their filters (58 options,
    23-47 ms of a warm page). The markup is Django's: the same attributes, one ``selected``."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        """The ``<select>`` with its options."""
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), mark_safe(" selected") if option["selected"] else "",
                 option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )  # fmt: skip
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class MovementFilterForm(forms.Form):
    """Year, programme, school form and organizer type; the map's measure and municipality."""

    year = forms.TypedChoiceField(
        label=_("School year"), coerce=int, required=False, empty_value=None, widget=CompactSelect
    )
    programme = forms.ChoiceField(label=_("Programme"), required=False, widget=CompactSelect)
    school_form = forms.ChoiceField(
        label=_("School form"), choices=SCHOOL_FORM_CHOICES, required=False, widget=CompactSelect
    )
    organizer_type = forms.ChoiceField(
        label=_("Organizer type"), choices=ORGANIZER_TYPE_CHOICES, required=False,
        widget=CompactSelect,
    )  # fmt: skip
    measure = forms.ChoiceField(
        label=_("Map colour"), choices=MEASURE_CHOICES, required=False, widget=CompactSelect
    )
    municipality = forms.ChoiceField(
        label=_("Highlight municipality"), required=False, widget=CompactSelect
    )

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
