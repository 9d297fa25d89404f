"""Capacity surveys, the imported planning basis and scenario changes of a region."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Municipality, Programme, Region, SchoolUnit

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class ResponseStatus(models.TextChoices):
    """Where a member municipality is in filling in a capacity survey."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class CapacitySurvey(models.Model):
    """A capacity survey (kapacitetsundersökning) a regional coordinator opens for a region.

    Each member municipality reports places per school unit and programme for ``first_year``
    and the ``years - 1`` years after it, by ``deadline``.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="capacity_surveys")
    first_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    years = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    deadline = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_year", "region__name"]
        verbose_name = _("capacity survey")
        verbose_name_plural = _("capacity surveys")
        constraints = [
            models.UniqueConstraint(fields=["region", "first_year"], name="one_survey_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.first_year}"

    @property
    def last_year(self) -> int:
        """The last year places are reported for."""
        return int(self.first_year) + int(self.years) - 1

    @property
    def year_range(self) -> range:
        """The years places are reported for."""
        return range(int(self.first_year), self.last_year + 1)


class CapacityResponse(models.Model):
    """One member municipality's answer to a capacity survey, with its status."""

    survey = models.ForeignKey(CapacitySurvey, on_delete=models.CASCADE, related_name="responses")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.NOT_STARTED
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Set when the coordinator reopens the response after the deadline; "
                    "cleared when the municipality submits again."),
    )  # fmt: skip

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("capacity survey response")
        verbose_name_plural = _("capacity survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "municipality"], name="one_response_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.municipality}"


class CapacityEntry(models.Model):
    """Places a school unit offers in a programme's first year, in one year."""

    response = models.ForeignKey(CapacityResponse, on_delete=models.CASCADE, related_name="entries")
    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    places = models.PositiveIntegerField(validators=[MaxValueValidator(5000)])

    class Meta:
        ordering = ["school_unit__name", "programme_id", "year"]
        verbose_name = _("capacity entry")
        verbose_name_plural = _("capacity entries")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "school_unit", "programme", "year"], name="one_entry_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_unit_id} {self.programme_id} {self.year}: {self.places}"


class PlanningBasis(models.Model):
    """One imported file of Skolverket's regional planning basis for a region; a file (its
    SHA-256 ``content_hash``) is stored once per region."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="planning_bases")
    file_name = models.CharField(max_length=255)
    content_hash = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "content_hash"], name="planning_basis_once_per_region"
            )
        ]
        verbose_name = _("planning basis")
        verbose_name_plural = _("planning bases")

    def __str__(self) -> str:
        return f"{self.region} {self.file_name}"


class PlanningBasisValue(models.Model):
    """One figure of a planning basis: a programme, year and measure (see core ``basis``)."""

    basis = models.ForeignKey(PlanningBasis, on_delete=models.CASCADE, related_name="values")
    programme_code = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    measure = models.CharField(max_length=30)
    value = models.FloatField()

    class Meta:
        ordering = ["programme_code", "year", "measure"]
        verbose_name = _("planning basis value")
        verbose_name_plural = _("planning basis values")

    def __str__(self) -> str:
        return f"{self.programme_code} {self.year} {self.measure}: {self.value}"


class ScenarioChange(models.Model):
    """A what-if change of places in a region's scenario: a unit adds (or removes) places."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="scenario_changes")
    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    from_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    places = models.IntegerField(validators=[MinValueValidator(-1000), MaxValueValidator(1000)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["from_year", "programme_id", "pk"]
        verbose_name = _("scenario change")
        verbose_name_plural = _("scenario changes")

    def __str__(self) -> str:
        return f"{self.school_unit_id} {self.places:+d} {self.programme_id} {self.from_year}"
