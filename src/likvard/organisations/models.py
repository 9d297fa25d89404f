"""The organisations Likvärd knows: the public reference tables and the regions users form."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard_core.terms import OrganizerType, SchoolForm

municipality_code_validator = RegexValidator(r"^\d{4}$", _("Enter a four-digit municipality code."))
school_unit_code_validator = RegexValidator(r"^\d{8}$", _("Enter an eight-digit school unit code."))
organisation_number_validator = RegexValidator(
    r"^\d{10}$", _("Enter a ten-digit organisation number.")
)


class OrganizerTypeChoices(models.TextChoices):
    MUNICIPAL = OrganizerType.MUNICIPAL.value, _("Municipal")
    PRIVATE = OrganizerType.PRIVATE.value, _("Private")
    STATE = OrganizerType.STATE.value, _("State")
    REGION = OrganizerType.REGION.value, _("Region")


class ProgrammeKind(models.TextChoices):
    VOCATIONAL = "national_vocational", _("National vocational programme")
    PREPARATORY = "national_preparatory", _("Higher education preparatory programme")
    INTRODUCTION = "introduction", _("Introduction programme")


class County(models.Model):
    """A county (län) with its two-digit SCB code."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommun) with its four-digit SCB code; all 290 are loaded."""

    code = models.CharField(
        max_length=4, primary_key=True, validators=[municipality_code_validator]
    )
    name = models.CharField(max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A collaboration of municipalities (samverkansområde), e.g. Göteborgsregionen."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    municipalities = models.ManyToManyField(Municipality, related_name="regions", blank=True)
    min_group_school_unit = models.PositiveSmallIntegerField(
        default=10, help_text=_("Smallest group shown for a school unit.")
    )
    min_group_area = models.PositiveSmallIntegerField(
        default=5, help_text=_("Smallest group shown for an organizer, municipality or region.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Organizer(models.Model):
    """An organizer (huvudman): a municipality, a private company, the state or a region."""

    organisation_number = models.CharField(
        max_length=10, unique=True, validators=[organisation_number_validator]
    )
    name = models.CharField(max_length=250)
    organizer_type = models.CharField(max_length=20, choices=OrganizerTypeChoices.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizers",
        help_text=_("For a municipal organizer: the municipality it is."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")

    def __str__(self) -> str:
        return self.name


class SchoolUnit(models.Model):
    """A school unit (skolenhet) with its eight-digit code, as in the school-unit register."""

    code = models.CharField(max_length=8, unique=True, validators=[school_unit_code_validator])
    name = models.CharField(max_length=250)
    organizer = models.ForeignKey(Organizer, on_delete=models.PROTECT, related_name="school_units")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="school_units"
    )
    school_forms = models.JSONField(default=list, help_text=_("School forms run at the unit."))
    grade_years = models.JSONField(default=list, blank=True)
    programmes: models.ManyToManyField[Programme, Any] = models.ManyToManyField(
        "Programme", related_name="school_units", blank=True
    )
    pupils = models.PositiveIntegerField(null=True, blank=True)
    active_from = models.PositiveSmallIntegerField(null=True, blank=True)
    active_to = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school unit")
        verbose_name_plural = _("school units")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def runs(self, form: SchoolForm) -> bool:
        """True when the unit runs the school form ``form``."""
        return form.value in self.school_forms


class Programme(models.Model):
    """An upper-secondary programme: the 18 national ones and the introduction programmes."""

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ProgrammeKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
