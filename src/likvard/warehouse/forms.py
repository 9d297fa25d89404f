"""Forms of the import pages: upload, batch withdrawal, publication levels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.access.models import PublicationLevel
from likvard.warehouse.kinds import REGIONAL_KINDS, KindOption


class UploadForm(forms.Form):
    """Which kind of file, for which organizer (student-level kinds) or for which region (a
    region's joint admissions file), and the file itself."""

    kind = forms.ChoiceField(label=_("Kind of file"), widget=forms.RadioSelect)
    organizer = forms.ChoiceField(label=_("Organizer"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any delimiter; UTF-8 or Windows-1252), XLSX, XLS or Parquet; "
            "enrolments also as an SS 12000 JSON export."
        ),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[KindOption],
        organizers: list[tuple[str, str]],
        regions: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = {option.name: option for option in kinds}
        kind_field = self.fields["kind"]
        organizer_field = self.fields["organizer"]
        assert isinstance(kind_field, forms.ChoiceField)  # noqa: S101  # declared above
        assert isinstance(organizer_field, forms.ChoiceField)  # noqa: S101
        kind_field.choices = [(o.name, o.label) for o in kinds]
        if organizers:
            organizer_field.choices = organizers
            organizer_field.initial = organizers[0][0]
        else:
            del self.fields["organizer"]
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)  # noqa: S101
        if regions:
            blank = [("", _("None: the file is one organizer's"))] if organizers else []
            region_field.choices = [*blank, *regions]
            region_field.initial = "" if organizers else regions[0][0]
        else:
            del self.fields["region"]

    def clean(self) -> dict[str, Any]:
        """Require an organizer for a student-level kind, or a region for a joint file."""
        data = super().clean() or {}
        option = self.kinds.get(data.get("kind", ""))
        if data.get("region"):
            if option is not None and option.name not in REGIONAL_KINDS:
                self.add_error(
                    "region",
                    _("Only the admissions office's files can be imported for a whole region."),
                )
            return data
        if option is not None and option.student_level and not data.get("organizer"):
            field = "organizer" if "organizer" in self.fields else "region"
            self.add_error(field, _("Choose the organizer whose students the file holds."))
        return data


class WithdrawForm(forms.Form):
    """The confirmation of a batch withdrawal."""

    confirm = forms.BooleanField(
        label=_("Yes, withdraw the batch: its rows disappear from every analysis."),
        required=True,
    )


class PublicationForm(forms.Form):
    """Withdraw a publication level, or publish it again."""

    level = forms.ChoiceField(label=_("Level"), choices=PublicationLevel.choices)
    withdrawn = forms.TypedChoiceField(
        label=_("Setting"),
        choices=[("1", _("Withdrawn")), ("0", _("Published"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
