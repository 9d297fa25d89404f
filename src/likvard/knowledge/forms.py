"""Forms of the knowledge bank: an item, its file, a review, the free topics, a bulk import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.knowledge.models import Analysis, Item, Topic
from likvard.networks.models import Network
from likvard.organisations.models import Region
from likvard.quality.forms import SCHOOL_FORM_LABELS
from likvard.quality.models import Goal, Indicator, SuccessFactor


class IndicatorChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Indicators by their current name, not their code."""

    def label_from_instance(self, obj: Any) -> str:
        revision = obj.revisions.first()
        return str(revision.name) if revision is not None else str(obj.code)


class ItemForm(forms.ModelForm):  # type: ignore[type-arg]
    """An item's fields and tags; the view limits regions, networks, topics and supersession
    to what the editor may write."""

    school_forms = forms.MultipleChoiceField(
        label=_("School forms"),
        choices=list(SCHOOL_FORM_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    analyses = forms.MultipleChoiceField(
        label=_("Analyses"),
        choices=Analysis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = IndicatorChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.filter(  # named by their newest revision, read at once
            region__isnull=True, organizer__isnull=True
        ).prefetch_related("revisions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    links_text = forms.CharField(
        label=_("Links (one address a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Item
        fields = [
            "title",
            "summary",
            "kind",
            "visibility",
            "region",
            "network",
            "project",
            "authors",
            "organisation",
            "published_on",
            "language",
            "audience",
            "success_factors",
            "goals",
            "indicators",
            "school_forms",
            "analyses",
            "topics",
            "review_on",
            "superseded_by",
        ]
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "kind": _("Kind of material"),
            "visibility": _("Who may read it"),
            "region": _("Region"),
            "network": _("Network"),
            "project": _("Project it came from"),
            "authors": _("Authors"),
            "organisation": _("Organisation"),
            "published_on": _("Publication date"),
            "language": _("Language"),
            "audience": _("Audience"),
            "success_factors": _("Success factors"),
            "goals": _("National goals"),
            "topics": _("Topics"),
            "review_on": _("Review by"),
            "superseded_by": _("Superseded by"),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "review_on": forms.DateInput(attrs={"type": "date"}),
            "success_factors": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        regions: list[Region],
        networks: list[Network],
        topics: list[Topic],
        others: list[Item],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["region"].queryset = Region.objects.filter(pk__in=[r.pk for r in regions])
        fields["network"].queryset = Network.objects.filter(pk__in=[n.pk for n in networks])
        fields["topics"].queryset = Topic.objects.filter(pk__in=[t.pk for t in topics])
        fields["superseded_by"].queryset = Item.objects.filter(pk__in=[i.pk for i in others])
        fields["success_factors"].queryset = SuccessFactor.objects.all()
        fields["goals"].queryset = Goal.objects.all()
        fields["region"].empty_label = None
        if self.instance.pk is not None:
            self.initial["links_text"] = "\n".join(
                str(link.get("url", "")) for link in self.instance.links
            )

    def clean_links_text(self) -> list[dict[str, str]]:
        validate = forms.URLField(assume_scheme="https").clean
        lines = [line.strip() for line in self.cleaned_data["links_text"].splitlines()]
        return [{"url": validate(line), "title": ""} for line in lines if line]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        network, region = data.get("network"), data.get("region")
        if data.get("visibility") == "network" and network is None:
            self.add_error("network", _("Choose the network whose members may read it."))
        if network is not None and region is not None and network.region_id != region.pk:
            self.add_error("network", _("The network belongs to another region."))
        return data


class FileForm(forms.Form):
    """A file for an item (the service checks type against content and size)."""

    file = forms.FileField(label=_("File (PDF, PPTX or DOCX, at most 25 MB)"), required=False)
    file_title = forms.CharField(
        label=_("Title of the file (the file name if empty)"), max_length=300, required=False
    )


class ReviewForm(forms.Form):
    """The owner's review: the item is still current until the next review date."""

    next_review = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TopicForm(forms.Form):
    """A new free topic of a region's bank."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    name = forms.CharField(label=_("New topic"), max_length=100)


class ImportForm(forms.Form):
    """A spreadsheet of items (XLSX or CSV), and their files as a ZIP."""

    sheet = forms.FileField(label=_("Spreadsheet (XLSX or CSV), one row per item"))
    archive = forms.FileField(label=_("The files named in it, as a ZIP (optional)"), required=False)


class SearchForm(forms.Form):
    """A search of the bank."""

    q = forms.CharField(label=_("Search the knowledge bank"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of material"), required=False)
    tag = forms.ChoiceField(label=_("Tagged with"), required=False)

    def __init__(self, *args: Any, tags: list[tuple[str, str]], **kwargs: Any) -> None:
        from likvard.knowledge.models import ItemKind  # noqa: PLC0415

        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", _("All kinds")), *ItemKind.choices]
        fields["tag"].choices = [("", _("All tags")), *tags]
