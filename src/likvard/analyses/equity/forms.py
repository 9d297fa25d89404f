"""Filters of the published comparison pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.analyses.equity.selection import GROUP_LABELS, Selection
from likvard.analyses.equity.services import BREAKDOWNS, GRADE_YEARS, ORGANIZER_TYPES, TEST_SUBJECTS
from likvard_core.terms import LAST_SCHOOL_YEAR

ORGANIZER_TYPE_LABELS = {
    "all": _("All organizers"),
    "kommunal": _("Municipal schools"),
    "enskild": _("Independent schools"),
}


class PublishedFilterForm(forms.Form):
    """Subject (for the region page) and organizer type, both optional with defaults."""

    subject = forms.ChoiceField(
        label=_("Subject"),
        choices=[(s, s) for s in TEST_SUBJECTS],
        required=False,
    )
    organizer_type = forms.ChoiceField(
        label=_("Organizers"),
        choices=[(t, ORGANIZER_TYPE_LABELS[t]) for t in ORGANIZER_TYPES],
        required=False,
    )

    def clean_subject(self) -> str:
        """The chosen subject, mathematics by default."""
        return str(self.cleaned_data.get("subject") or TEST_SUBJECTS[0])

    def clean_organizer_type(self) -> str:
        """The chosen organizer type, all by default."""
        return str(self.cleaned_data.get("organizer_type") or ORGANIZER_TYPES[0])


GRADE_YEAR_LABELS = {
    9: _("Year 9"),
    6: _("Year 6"),
    10: _("Upper-secondary courses"),
}


BREAKDOWN_LABELS = {
    "gender": _("All, girls and boys"),
    "background": _("All and background groups"),
}


__all__ = ["GROUP_LABELS", "GradeYearForm", "PublishedFilterForm"]


class GradeYearForm(forms.Form):
    """Which national tests to compare: year 9 (default), year 6 or upper-secondary courses."""

    grade_year = forms.TypedChoiceField(
        label=_("National tests in"),
        choices=[(g, GRADE_YEAR_LABELS[g]) for g in GRADE_YEARS],
        coerce=int,
        required=False,
    )

    breakdown = forms.ChoiceField(
        label=_("Groups"),
        choices=[(b, BREAKDOWN_LABELS[b]) for b in BREAKDOWNS],
        required=False,
    )

    unit = forms.CharField(label=_("School unit"), required=False, max_length=8)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=12)
    year = forms.IntegerField(
        label=_("School year"), required=False, min_value=1990, max_value=LAST_SCHOOL_YEAR
    )
    group = forms.CharField(label=_("Group"), required=False, max_length=20)
    page = forms.IntegerField(required=False, min_value=1)

    def clean_grade_year(self) -> int | None:
        """The chosen grade year; None when not chosen (the page picks its default)."""
        value = self.cleaned_data.get("grade_year")
        return int(value) if value else None

    def clean_breakdown(self) -> str:
        """The chosen groups, girls and boys by default."""
        return str(self.cleaned_data.get("breakdown") or next(iter(BREAKDOWNS)))

    def selection(self) -> Selection:
        """The chosen unit, subject, year, group and page (None where not chosen)."""
        data = self.cleaned_data
        return Selection(
            school_unit=data.get("unit") or None,
            subject=data.get("subject") or None,
            year=data.get("year"),
            group=data.get("group") or None,
            page=data.get("page") or 1,
        )
