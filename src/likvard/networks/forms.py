"""Forms of the networks' pages: input parsing only; the services do the work."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from likvard.networks.models import AttendanceStatus, ItemKind, Network


class MeetingForm(forms.Form):
    """A new meeting: date, place or digital, chair and checker (by username)."""

    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    digital = forms.BooleanField(label=_("Digital meeting"), required=False)
    chair = forms.CharField(label=_("Chair (username)"), max_length=150, required=False)
    checker = forms.CharField(label=_("Checker (username)"), max_length=150, required=False)

    def _user(self, field: str) -> object | None:
        username = self.cleaned_data.get(field, "")
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no user with that username."))
        return user

    def clean_chair(self) -> object | None:
        return self._user("chair")

    def clean_checker(self) -> object | None:
        return self._user("checker")


class AgendaItemForm(forms.Form):
    """An agenda item and its notes."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    presenter = forms.CharField(label=_("Presenter"), max_length=300, required=False)
    standing = forms.BooleanField(label=_("Standing item"), required=False)
    body = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    decision = forms.CharField(
        label=_("New decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttendanceForm(forms.Form):
    """One attendance line."""

    person_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=3)


class SnapshotForm(forms.Form):
    """Which organizer's enrolment to embed."""

    organisation_number = forms.CharField(label=_("Organisation number"), max_length=10)


class SearchForm(forms.Form):
    """A search over notes, optionally in one network."""

    q = forms.CharField(label=_("Search the notes"), max_length=200, required=False)
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.all(), required=False, to_field_name="code"
    )
    held_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    held_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.CharField(label=_("Attended by (person)"), max_length=200, required=False)
    organisation = forms.CharField(
        label=_("Attended by (organisation)"), max_length=200, required=False
    )


class NotesUploadForm(forms.Form):
    """An old notes file: TXT, DOCX or PDF (scanned ones are read by OCR)."""

    file = forms.FileField(label=_("Notes file (TXT, DOCX or PDF)"))


class NotesReviewForm(forms.Form):
    """The secretary's corrections before committing imported notes."""

    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.all(), required=False, to_field_name="code"
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 30}))


class ActionItemFilterForm(forms.Form):
    """Filter open action items by person or organisation."""

    person = forms.CharField(label=_("Person"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
