"""The national quality system's catalogue in the database, with its versions and local additions.

Goals, sub-goals, indicators, success factors and the organizer's conditions come from a
catalogue file (the shipped one, built from the reference, or Skolverket's official lists
uploaded by an administrator). An indicator's definition lives in revisions, each valid from a
school year (spring year) until the next, so history keeps the old definitions. Organizers and
regions add local indicators beside the national ones (``organizer`` or ``region`` set).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer, Region


class Status(models.TextChoices):
    """Whether an entry is verified from a source or only a candidate (not verified against
    Skolverket's official lists)."""

    VERIFIED = "verified", _("Verified")
    CANDIDATE = "candidate", _("Candidate")


class Direction(models.TextChoices):
    """Which direction of an indicator's value is better."""

    HIGHER_BETTER = "higher_better", _("Higher is better")
    LOWER_BETTER = "lower_better", _("Lower is better")
    NONE = "none", _("Neither direction is better")


class Unit(models.TextChoices):
    """The unit of an indicator's value."""

    PERCENT = "percent", _("Percent")
    POINTS = "points", _("Points")
    RATIO = "ratio", _("Ratio")


class DataSource(models.TextChoices):
    """Where an indicator's values come from."""

    WAREHOUSE = "warehouse", _("Computed from the students' data in Likvärd")
    PUBLIC_STATS = "public_stats", _("Published statistics (Skolverket, Kolada)")
    NONE = "none", _("No data source yet")


class IndicatorKind(models.TextChoices):
    """What an indicator measures."""

    RESULT = "result", _("Results")
    CONDITION = "condition", _("Conditions")
    PERCEPTION = "perception", _("Students' perceptions")


class CatalogueVersion(models.Model):
    """One loaded catalogue file: its version label, content hash, source and who loaded it."""

    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, unique=True)
    source_name = models.CharField(max_length=300)
    sources = models.JSONField(default=dict, blank=True, help_text=_("Source tag → title."))
    official = models.BooleanField(
        default=False, help_text=_("Uploaded by an administrator (Skolverket's official lists).")
    )
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return self.label


class _Entry(models.Model):
    """Fields every catalogue entry has: code, title, note, status and source tags."""

    code = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CANDIDATE)
    sources = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_candidate(self) -> bool:
        """True while the entry is not verified against Skolverket's official lists."""
        return self.status == Status.CANDIDATE


class Goal(_Entry):
    """The national goal (nationell målsättning) of one school form."""

    school_form = models.CharField(max_length=30, unique=True)

    class Meta(_Entry.Meta):
        verbose_name = _("national goal")
        verbose_name_plural = _("national goals")


class SubGoal(_Entry):
    """A sub-goal (delmål) that makes a national goal concrete."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="sub_goals")

    class Meta(_Entry.Meta):
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")


class SuccessFactor(_Entry):
    """A factor for successful school development (framgångsfaktor)."""

    class Meta(_Entry.Meta):
        verbose_name = _("success factor")
        verbose_name_plural = _("success factors")


class Condition(_Entry):
    """The block of the organizer's conditions (verksamhetens förutsättningar)."""

    class Meta(_Entry.Meta):
        verbose_name = _("conditions")
        verbose_name_plural = _("conditions")


class Indicator(models.Model):
    """An indicator: national (from a catalogue file) or local to an organizer or a region.

    Its name and definition live in ``revisions``, each valid for a range of school years.
    """

    code = models.SlugField(max_length=80, unique=True)
    sub_goals = models.ManyToManyField(SubGoal, related_name="indicators", blank=True)
    condition = models.ForeignKey(
        Condition, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                name="quality_local_indicator_one_owner",
                condition=models.Q(organizer__isnull=True) | models.Q(region__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_local(self) -> bool:
        """True for an organizer's or a region's own indicator (lokal)."""
        return self.organizer_id is not None or self.region_id is not None


class IndicatorRevision(models.Model):
    """One definition of an indicator, valid for school years ``valid_from``..``valid_to``.

    ``valid_to`` is empty while the revision is current; a new revision closes the previous one,
    which stays as history.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="revisions")
    valid_from = models.PositiveSmallIntegerField()
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.CharField(max_length=300)
    definition = models.TextField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    population = models.CharField(max_length=300, blank=True)
    data_source = models.CharField(max_length=20, choices=DataSource.choices)
    school_forms = models.JSONField(default=list)
    kind = models.CharField(max_length=20, choices=IndicatorKind.choices)
    kolada_kpi = models.CharField(max_length=20, blank=True)
    kolada_related = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CANDIDATE)
    sources = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    public_measures = models.JSONField(default=list, blank=True)
    catalogue_version = models.ForeignKey(
        CatalogueVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "-valid_from"]
        verbose_name = _("indicator revision")
        verbose_name_plural = _("indicator revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "valid_from"], name="quality_revision_one_per_start"
            ),
            models.CheckConstraint(
                name="quality_revision_valid_range",
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to or ""
        return f"{self.indicator.code} {self.valid_from}–{end}"

    @property
    def is_candidate(self) -> bool:
        """True while the indicator's membership in the system is not verified."""
        return self.status == Status.CANDIDATE

    def applies_in(self, year: int) -> bool:
        """True when this revision applies in school year ``year``."""
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


class LocalIndicatorValue(models.Model):
    """The owner's value of a local indicator in one school year, entered by its analysts.

    Local indicators are the owner's own measures (a local survey, a follow-up of its own), so
    their values are entered as already aggregated figures for the whole organizer or region;
    ``n`` (how many the value is based on) is optional, and a value based on fewer than the
    minimum group is refused on entry.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    school_year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    n = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "-school_year"]
        verbose_name = _("local indicator value")
        verbose_name_plural = _("local indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "school_year"], name="quality_local_value_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.school_year}: {self.value}"
