"""The organizer's own quality work: self-evaluation, quality dialogues and its own analysis.

The purpose is understanding, not ranking: nothing here orders schools by their ratings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer, SchoolUnit
from likvard.quality.models.catalogue import Indicator, SuccessFactor


class Rating(models.IntegerChoices):
    """Where a school unit or an organizer stands on a success factor (a four-step scale)."""

    NOT_STARTED = 1, _("Not yet begun")
    BEGUN = 2, _("Begun")
    ESTABLISHED = 3, _("Established")
    WELL_DEVELOPED = 4, _("Well developed and followed up")


class SelfEvaluation(models.Model):
    """A self-evaluation (självvärdering) of one success factor in one school year.

    Written by a school unit's principal (``school_unit`` set) or by the organizer itself
    (``school_unit`` empty: the organizer's own summary).
    """

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    school_unit = models.ForeignKey(
        SchoolUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    success_factor = models.ForeignKey(
        SuccessFactor, on_delete=models.PROTECT, related_name="self_evaluations"
    )
    school_year = models.PositiveSmallIntegerField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    evidence = models.TextField(_("what shows it"), blank=True)
    next_steps = models.TextField(_("what we will do next"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["school_year", "success_factor__position"]
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["school_unit", "success_factor", "school_year"],
                condition=models.Q(school_unit__isnull=False),
                name="quality_self_evaluation_one_per_unit",
            ),
            models.UniqueConstraint(
                fields=["organizer", "success_factor", "school_year"],
                condition=models.Q(school_unit__isnull=True),
                name="quality_self_evaluation_one_per_organizer",
            ),
        ]

    def __str__(self) -> str:
        who = self.school_unit or self.organizer
        return f"{who} {self.success_factor.code} {self.school_year}"


class QualityDialogue(models.Model):
    """A quality dialogue (kvalitetsdialog) held with an organizer, and what it agreed."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"), blank=True)
    participant_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+"
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+")
    success_factors = models.ManyToManyField(SuccessFactor, blank=True, related_name="+")
    development_areas = models.TextField(_("agreed development areas"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("quality dialogue")
        verbose_name_plural = _("quality dialogues")

    def __str__(self) -> str:
        return f"{self.organizer} {self.held_on:%Y-%m-%d}"


class ActionStatus(models.TextChoices):
    """How far a follow-up action has come."""

    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class FollowUpAction(models.Model):
    """A follow-up action agreed in a quality dialogue: what, who, by when, and how far."""

    dialogue = models.ForeignKey(QualityDialogue, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner_name = models.CharField(_("owner"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.description


class BasisAnalysis(models.Model):
    """One field of the organizer's own analysis in its analysis basis for a school year.

    ``key`` is ``strengths``, ``development_areas`` or ``actions`` for the whole basis, or
    ``goal:<goal code>`` for the analysis of one national goal.
    """

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["school_year", "key"]
        verbose_name = _("own analysis")
        verbose_name_plural = _("own analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "school_year", "key"], name="quality_analysis_one_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organizer} {self.school_year} {self.key}"
