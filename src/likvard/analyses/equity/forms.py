"""Filters of the published comparison pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.analyses.equity.services import ORGANIZER_TYPES, TEST_SUBJECTS

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
