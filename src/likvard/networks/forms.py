"""Forms of the networks' pages: input parsing only; the services do the work."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from likvard.networks.models import (
    SCHOOL_FORM_LABELS,
    AttendanceStatus,
    ItemKind,
    Membership,
    MembershipRole,
    Network,
)
from likvard.organisations.models import Region


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

    title = forms.CharField(label=pgettext_lazy("agenda item", "Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    presenter = forms.CharField(label=_("Presenter"), max_length=300, required=False)
    standing = forms.BooleanField(label=_("Standing item"), required=False)
    body = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    decision = forms.CharField(
        label=_("New decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    action_text = forms.CharField(label=_("New action item"), max_length=1000, required=False)
    action_owner = forms.CharField(label=_("Action item owner"), max_length=200, required=False)
    action_organisation = forms.CharField(
        label=_("Action item organisation"), max_length=200, required=False
    )
    action_due = forms.DateField(
        label=_("Action item due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action_text") and not data.get("action_owner"):
            self.add_error("action_owner", _("Name who is to do it."))
        return data


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
        label=_("Network"),
        queryset=Network.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All networks"),
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
        label=_("Network"),
        queryset=Network.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("Choose a network"),
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 30}))


class ActionItemFilterForm(forms.Form):
    """Filter open action items by person or organisation."""

    person = forms.CharField(label=_("Person"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class AttachmentForm(forms.Form):
    """Slides or a document for an agenda item (the service checks type and size)."""

    file = forms.FileField(label=_("File (PDF, PPTX or DOCX, at most 25 MB)"))
    title = forms.CharField(
        label=_("Title (the file name if empty)"), max_length=300, required=False
    )


class ForwardForm(forms.Form):
    """The network to forward a decision or action item to (the view limits the choice)."""

    network = forms.ModelChoiceField(
        label=_("Forward to network"), queryset=Network.objects.all(), to_field_name="code"
    )


class MembershipForm(forms.Form):
    """A new membership: person (and user, if they sign in), organisation, role, period."""

    person_name = forms.CharField(label=_("Name"), max_length=200)
    username = forms.CharField(
        label=_("Username in Likvärd (optional)"), max_length=150, required=False
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
    school_forms = forms.MultipleChoiceField(
        label=_("School forms represented"),
        choices=list(SCHOOL_FORM_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(
        label=_("Member from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Member until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    substitute_for = forms.ModelChoiceField(
        label=_("Substitute for"), queryset=Membership.objects.none(), required=False
    )

    def clean_username(self) -> object | None:
        username = self.cleaned_data.get("username", "")
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no user with that username."))
        return user


class MembershipEndForm(forms.Form):
    """The last day of a membership."""

    valid_to = forms.DateField(
        label=_("Last day as member"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A user chosen by their name (the username only when no name is registered)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class NetworkForm(forms.Form):
    """A new network: its name, region, the network it is a group within, and a secretary.

    The view limits the regions to those the viewer manages and the secretaries to the network
    secretaries of those regions.
    """

    name = forms.CharField(label=_("Name of the network"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), to_field_name="code", empty_label=None
    )
    parent = forms.ModelChoiceField(
        label=_("A group within (optional)"),
        queryset=Network.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("None: a network of its own"),
    )
    description = forms.CharField(
        label=_("What the network does"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    secretary = PersonChoiceField(
        label=_("Secretary (optional)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Appointed later"),
        help_text=_("People with the role network secretary in the region."),
    )
    secretary_organisation = forms.CharField(
        label=_("The secretary's organisation"), max_length=200, required=False
    )


class SecretaryForm(forms.Form):
    """Appointing a secretary of a network (the view limits the people to choose from)."""

    user = PersonChoiceField(
        label=_("Secretary"), queryset=User.objects.none(), empty_label=_("Choose a person")
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("Secretary from (today if empty)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
