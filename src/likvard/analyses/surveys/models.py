"""Survey rounds run in Likvärd: classes with codes, and anonymous answers.

An answer keeps only its class, the day and the answers (a guardian's also the year group they
give for their child): no name, personnummer, IP address or time of day, so no answer can be
traced back to a pupil or a guardian. A guardians' survey has one code per school unit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer, SchoolUnit
from likvard.warehouse.models import ImportBatch


class SurveyRound(models.Model):
    """One round of a survey version run by an organizer."""

    version_key = models.CharField(max_length=80, help_text=_("Survey version, gr-elev/2025."))
    organizer = models.ForeignKey(Organizer, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    is_open = models.BooleanField(default=True)
    created = models.DateField(auto_now_add=True)
    opens_on = models.DateField(null=True, blank=True, help_text=_("First day to answer."))
    closes_on = models.DateField(null=True, blank=True, help_text=_("Last day to answer."))
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The import that carried the round's answers into the warehouse."),
    )
    closing_claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a task worker claimed the round to close it and import its answers."),
    )
    closing_claimed_by = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The worker process (host:pid) that claimed the round to close it."),
    )

    def __str__(self) -> str:
        return self.title


class RoundClass(models.Model):
    """A class in a round, with the code its pupils enter; in a guardians' survey, a school
    unit's guardians (no year group), with the code they all enter."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="classes")
    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=40)
    year_group = models.PositiveSmallIntegerField(null=True, blank=True)
    invited = models.PositiveIntegerField()
    code = models.CharField(max_length=12, unique=True)

    def __str__(self) -> str:
        return self.label


class RoundAnswer(models.Model):
    """One anonymous questionnaire: its class, the day, and answers by question code; a
    guardian's also the year group of their child, when they give it."""

    round_class = models.ForeignKey(RoundClass, on_delete=models.CASCADE, related_name="answers")
    answered_on = models.DateField(auto_now_add=True)
    answers = models.JSONField(default=dict)
    year_group = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("A guardian's child's year group as they gave it (a pupil's is the class's)."),
    )

    def __str__(self) -> str:
        return f"{self.round_class} {self.answered_on}"
