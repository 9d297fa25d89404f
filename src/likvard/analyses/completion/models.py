"""An organizer's early-warning rule (the defaults are the reference's levels)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer

_SHARE = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class WarningRuleSetting(models.Model):
    """The early-warning rule one organizer uses: levels as shares 0-1; empty switches a part
    off. Organizers without a row use the reference's rule (10 % a term or two terms, +5
    points between terms, 3 % invalid absence)."""

    organizer = models.OneToOneField(
        Organizer, on_delete=models.CASCADE, related_name="warning_rule"
    )
    level = models.FloatField(
        _("absence level in a term"), null=True, blank=True, validators=_SHARE
    )
    window_level = models.FloatField(
        _("absence level over two terms"), null=True, blank=True, validators=_SHARE
    )
    rise = models.FloatField(_("rise between terms"), null=True, blank=True, validators=_SHARE)
    invalid_level = models.FloatField(
        _("invalid absence level"), null=True, blank=True, validators=_SHARE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")

    def __str__(self) -> str:
        return f"{self.organizer}: {self.level}"
