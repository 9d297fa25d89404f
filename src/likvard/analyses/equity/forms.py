"""Filters of the published comparison pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.analyses.equity.services import BREAKDOWNS, GRADE_YEARS, ORGANIZER_TYPES, TEST_SUBJECTS

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
GROUP_LABELS = {
    "all": _("All"),
    "girls": _("Girls"),
    "boys": _("Boys"),
    "born_abroad": _("Born abroad"),
    "born_in_sweden": _("Born in Sweden"),
    "newly_arrived": _("Newly arrived"),
    "parents_low": _("Parents' education: below upper secondary"),
    "parents_middle": _("Parents' education: upper secondary"),
    "parents_high": _("Parents' education: post-secondary"),
}
"""Display names of the comparison's groups (``likvard_core.analytics.equity.groups``)."""


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

    def clean_grade_year(self) -> int:
        """The chosen grade year, 9 by default."""
        return int(self.cleaned_data.get("grade_year") or GRADE_YEARS[0])

    def clean_breakdown(self) -> str:
        """The chosen groups, girls and boys by default."""
        return str(self.cleaned_data.get("breakdown") or next(iter(BREAKDOWNS)))
