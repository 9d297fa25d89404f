"""The regional knowledge bank: research, methods and material kept after projects end.

An item (research summary, report, method material, tool, webinar, podcast, slides, data set)
has files and links, where it came from (project, network, meeting), who wrote it, and tags from
Likvärd's own vocabularies: the quality catalogue's success factors, goals and indicators,
school forms, analyses, and a small list of free topics kept by the region's editors. Each item
has an owner and a review date, can be superseded by a newer item, and keeps a history of edits.
It is public (readable without signing in), regional, or for one network's members.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.networks.models import AgendaItem, AttachmentKind, Network
from likvard.organisations.models import Region
from likvard.quality.models import Goal, Indicator, SuccessFactor


class ItemKind(models.TextChoices):
    RESEARCH = "research", _("Research summary")
    REPORT = "report", _("Report")
    METHOD = "method", _("Method material")
    TOOL = "tool", _("Tool")
    WEBINAR = "webinar", _("Webinar")
    PODCAST = "podcast", _("Podcast")
    SLIDES = "slides", _("Slides")
    DATASET = "dataset", _("Data set")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone, without signing in")
    REGIONAL = "regional", _("The region: everyone signed in to the region")
    NETWORK = "network", _("One network's members")


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")


class Audience(models.TextChoices):
    TEACHERS = "teachers", _("Teachers")
    LEADERS = "leaders", _("Principals and school leaders")
    ORGANIZERS = "organizers", _("Organizers' administration")
    POLITICIANS = "politicians", _("Politicians")
    STUDENT_HEALTH = "student_health", _("Student health")
    EVERYONE = "everyone", _("Everyone in school")


class Analysis(models.TextChoices):
    """The analyses of Likvärd an item can be about."""

    MOVEMENT = "movement", _("Student movement")
    EQUITY = "equity", _("Grade equity")
    COMPLETION = "completion", _("Completion")
    SURVEYS = "surveys", _("Surveys")


class Topic(models.Model):
    """A free topic of a region's bank (e.g. "Hemmasittare"), kept by the region's editors."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="knowledge_topic_unique")
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Editor(models.Model):
    """A person who edits the bank of a region, or of one network (beside the region's
    coordinators and the network's secretaries, who edit without being named here)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_editor"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="knowledge_editor_one_scope",
                condition=models.Q(region__isnull=False, network__isnull=True)
                | models.Q(region__isnull=True, network__isnull=False),
            )
        ]
        verbose_name = _("knowledge bank editor")
        verbose_name_plural = _("knowledge bank editors")

    def __str__(self) -> str:
        return f"{self.user} ({self.region or self.network})"


class Item(models.Model):
    """One piece of material in the bank, with its tags, owner, review date and visibility."""

    title = models.CharField(max_length=300)
    summary = models.TextField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    project = models.CharField(max_length=300, blank=True)
    authors = models.CharField(max_length=500, blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.SWEDISH)
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    links = models.JSONField(default=list, blank=True)
    success_factors = models.ManyToManyField(SuccessFactor, blank=True, related_name="+")
    goals = models.ManyToManyField(Goal, blank=True, related_name="+")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+")
    school_forms = models.JSONField(default=list, blank=True)
    analyses = models.JSONField(default=list, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="items")
    presented_at = models.ManyToManyField(AgendaItem, blank=True, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_on = models.DateField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="knowledge_network_item_has_network",
                condition=~models.Q(visibility="network") | models.Q(network__isnull=False),
            )
        ]
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")

    def __str__(self) -> str:
        return self.title


class ItemFile(models.Model):
    """A file of an item (PDF, PPTX or DOCX), read like a meeting's attachment: its type
    checked against its content, its text kept for search, and a preview."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="knowledge/files/%Y/")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    preview_text = models.TextField(blank=True)
    preview_image = models.FileField(upload_to="knowledge/previews/%Y/", blank=True)
    preview_method = models.CharField(max_length=60, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("knowledge file")
        verbose_name_plural = _("knowledge files")

    def __str__(self) -> str:
        return self.title


REVISION_ACTIONS = {
    "created": _("Created"),
    "edited": _("Edited"),
    "reviewed": _("Reviewed"),
    "file_added": _("File added"),
}
FIELD_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "kind": _("Kind of material"),
    "region": _("Region"),
    "network": _("Network"),
    "visibility": _("Who may read it"),
    "project": _("Project it came from"),
    "authors": _("Authors"),
    "organisation": _("Organisation"),
    "published_on": _("Publication date"),
    "language": _("Language"),
    "audience": _("Audience"),
    "links": _("Links"),
    "school_forms": _("School forms"),
    "analyses": _("Analyses"),
    "owner": _("Owner"),
    "review_on": _("Review by"),
    "superseded_by": _("Superseded by"),
    "success_factors": _("Success factors"),
    "goals": _("National goals"),
    "indicators": _("Indicators"),
    "topics": _("Topics"),
    "presented_at": _("Presented at"),
}


class Revision(models.Model):
    """One edit of an item: who, when, which fields changed (the history)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30)
    changed = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.item_id} {self.action} {self.at:%Y-%m-%d}"

    @property
    def action_label(self) -> str:
        """What was done, in the user's language."""
        return str(REVISION_ACTIONS.get(self.action, self.action))

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields by name (a file's title for an added file)."""
        return [str(FIELD_LABELS.get(name, name)) for name in self.changed]
