"""Forms of the planning pages: forecast year, scenario change, survey, planning basis upload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Programme, SchoolUnit

PLACES_MAX = 5000


class ForecastForm(forms.Form):
    """Which population year the forecast starts from (empty: the latest, which the page
    then shows in the box as its ``initial``)."""

    from_year = forms.IntegerField(
        label=_("Base year (population on 31 December)"),
        required=False,
        min_value=2000,
        max_value=2100,
    )


class ScenarioChangeForm(forms.Form):
    """One change of places: "school unit X adds 30 places in EE from 2027"."""

    school_unit = forms.ModelChoiceField(queryset=SchoolUnit.objects.none(), label=_("School unit"))
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), label=_("Programme"))
    from_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    places = forms.IntegerField(
        label=_("Change in places (negative to remove)"), min_value=-1000, max_value=1000
    )

    def __init__(self, *args: Any, unit_ids: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_unit"]
        field.queryset = SchoolUnit.objects.filter(pk__in=unit_ids)  # type: ignore[attr-defined]


class SurveyOpenForm(forms.Form):
    """Open a capacity survey for the coming years, with a deadline."""

    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    years = forms.IntegerField(label=_("Number of years"), min_value=1, max_value=10, initial=3)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class BasisUploadForm(forms.Form):
    """A planning basis file (CSV or XLSX)."""

    file = forms.FileField(label=_("Planning basis file (CSV or XLSX)"))


def places_field_name(unit: str, programme: str, year: int) -> str:
    """The form field of one cell of the capacity survey."""
    return f"p-{unit}-{programme}-{year}"


class CapacityForm(forms.Form):
    """Places per school unit, programme and year for one municipality's response."""

    def __init__(
        self,
        *args: Any,
        cells: Sequence[tuple[SchoolUnit, Programme, int]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells = [(u.code, p.code, year) for u, p, year in cells]
        for unit, programme, year in cells:
            self.fields[places_field_name(unit.code, programme.code, year)] = forms.IntegerField(
                label=f"{unit.name}, {programme.code}, {year}",
                required=False,
                min_value=0,
                max_value=PLACES_MAX,
            )

    def places(self) -> dict[tuple[str, str, int], int | None]:
        """(unit, programme, year) → places (None: no row), from cleaned data."""
        return {cell: self.cleaned_data.get(places_field_name(*cell)) for cell in self.cells}
