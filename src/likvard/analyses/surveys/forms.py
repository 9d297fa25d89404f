"""Forms of the round pages: a new round, and a class added to a round."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer, SchoolUnit
from likvard_core.analytics.surveys.definition import SurveyVersion


class DateInput(forms.DateInput):
    """The browser's own date picker."""

    input_type = "date"


class RoundForm(forms.Form):
    """A round of one survey version for one organizer's school units and year groups."""

    organizer = forms.ModelChoiceField(queryset=Organizer.objects.none(), label=_("Organizer"))
    version = forms.ChoiceField(label=_("Survey version"))
    title = forms.CharField(max_length=200, label=_("Name of the round"))
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes (last day to answer)"), widget=DateInput)
    school_units = forms.ModelMultipleChoiceField(
        queryset=SchoolUnit.objects.none(),
        label=_("School units"),
        widget=forms.CheckboxSelectMultiple,
    )
    year_groups = forms.TypedMultipleChoiceField(
        coerce=int, label=_("Year groups"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        organizers: list[Organizer],
        units: list[SchoolUnit],
        versions: list[SurveyVersion],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.versions = {v.key: v for v in versions}
        organizer_field = self.fields["organizer"]
        assert isinstance(organizer_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        organizer_field.queryset = Organizer.objects.filter(pk__in=[o.pk for o in organizers])
        if len(organizers) == 1:
            organizer_field.initial = organizers[0].pk
        unit_field = self.fields["school_units"]
        assert isinstance(unit_field, forms.ModelMultipleChoiceField)  # noqa: S101  # declared above
        unit_field.queryset = SchoolUnit.objects.filter(pk__in=[u.pk for u in units]).order_by(
            "name"
        )
        version_field = self.fields["version"]
        assert isinstance(version_field, forms.ChoiceField)  # noqa: S101  # declared above
        version_field.choices = [(v.key, f"{v.name} {v.version}") for v in versions]
        if versions:
            version_field.initial = versions[-1].key
        groups = sorted({g for v in versions for g in v.year_groups})
        group_field = self.fields["year_groups"]
        assert isinstance(group_field, forms.ChoiceField)  # noqa: S101  # declared above
        group_field.choices = [(g, _("Year %(y)s") % {"y": g}) for g in groups]
        group_field.initial = list(versions[-1].year_groups) if versions else groups

    def clean(self) -> dict[str, Any]:
        """Dates in order, units of the chosen organizer, year groups of the chosen version."""
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if (
            isinstance(opens, datetime.date)
            and isinstance(closes, datetime.date)
            and closes < opens
        ):
            self.add_error("closes_on", _("The round cannot close before it opens."))
        organizer = data.get("organizer")
        units = data.get("school_units") or []
        if organizer is not None and any(u.organizer_id != organizer.pk for u in units):
            self.add_error("school_units", _("Choose the organizer's own school units."))
        version = self.versions.get(str(data.get("version", "")))
        groups = data.get("year_groups") or []
        if version is not None and version.year_groups:
            outside = [g for g in groups if g not in version.year_groups]
            if outside:
                shown = ", ".join(str(g) for g in version.year_groups)
                self.add_error(
                    "year_groups", _("This version is for year groups %(g)s.") % {"g": shown}
                )
        return data


class ClassForm(forms.Form):
    """A class of a round's school unit, with its own code."""

    school_unit = forms.ModelChoiceField(
        queryset=SchoolUnit.objects.none(), label=_("School unit"), empty_label=None
    )
    label = forms.CharField(max_length=40, label=_("Class"))
    year_group = forms.TypedChoiceField(coerce=int, label=_("Year group"))
    invited = forms.IntegerField(min_value=1, max_value=500, label=_("Pupils in the class"))

    def __init__(
        self, *args: Any, units: list[SchoolUnit], year_groups: list[int], **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        unit_field = self.fields["school_unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        unit_field.queryset = SchoolUnit.objects.filter(pk__in=[u.pk for u in units]).order_by(
            "name"
        )
        group_field = self.fields["year_group"]
        assert isinstance(group_field, forms.ChoiceField)  # noqa: S101  # declared above
        group_field.choices = [(g, _("Year %(y)s") % {"y": g}) for g in year_groups]
