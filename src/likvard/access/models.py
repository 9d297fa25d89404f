"""Roles held by users, API tokens, and the audit log of student-level reads."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from likvard.organisations.models import Organizer, Region, SchoolUnit


class Role(models.TextChoices):
    """What a person does in Likvärd. Each role is scoped by the assignment's fields."""

    ADMINISTRATOR = "administrator", _("Administrator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    ORGANIZER_ANALYST = "organizer_analyst", _("Organizer analyst")
    PRINCIPAL = "principal", _("Principal")
    STUDENT_HEALTH = "student_health", _("Student health team")
    NETWORK_SECRETARY = "network_secretary", _("Network secretary")
    NETWORK_MEMBER = "network_member", _("Network member")


class RoleAssignment(models.Model):
    """One role held by a user, with its scope.

    - regional coordinator: ``region``
    - organizer analyst: ``organizer`` (its student-level data in full)
    - principal: ``school_unit`` (that unit's student-level data in full)
    - student health team (elevhälsa): ``school_unit`` (that unit's early-warning list and
      incident cases only; no other student-level data)
    - network secretary and member: ``region`` (the networks are scoped further by the networks app)
    - administrator: no scope (manages users and reference data; no student-level data).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True)
    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, null=True, blank=True)
    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="organizer_analyst_has_organizer",
                condition=~models.Q(role="organizer_analyst") | models.Q(organizer__isnull=False),
            ),
            models.CheckConstraint(
                name="principal_has_school_unit",
                condition=~models.Q(role="principal") | models.Q(school_unit__isnull=False),
            ),
            models.CheckConstraint(
                name="student_health_has_school_unit",
                condition=~models.Q(role="student_health") | models.Q(school_unit__isnull=False),
            ),
            models.CheckConstraint(
                name="coordinator_has_region",
                condition=~models.Q(role="regional_coordinator") | models.Q(region__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        scope = self.organizer or self.school_unit or self.region or ""
        return f"{self.get_role_display()} {scope}".strip()


class TokenScope(models.TextChoices):
    """What a personal API token may do. No scope lets a token create or revoke tokens."""

    READ = "read", _("Read analyses")
    IMPORT = "import", _("Import data")
    MANAGE = "manage", _("Manage")


TOKEN_NAME_MAX = 100


def token_name_problem(name: str) -> str:
    """Why ``name`` cannot name a token (in Swedish for the API and pages), or ``""``."""
    if not name.strip():
        return "Namnet får inte vara tomt."
    if len(name) > TOKEN_NAME_MAX:
        return f"Namnet får vara högst {TOKEN_NAME_MAX} tecken."
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} for c in name):
        return "Namnet får inte innehålla styrtecken."
    return ""


def validate_token_name(name: str) -> None:
    """Model validator: no control characters, not blank, at most 100 characters."""
    problem = token_name_problem(name)
    if problem:
        raise ValidationError(problem, code="invalid_token_name")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once.

    ``scopes`` lists ``TokenScope`` values; a token is valid until ``expires_at`` or until it
    is revoked (``revoked_at``); ``prefix`` (the first characters) tells tokens apart on the
    token page without revealing them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=TOKEN_NAME_MAX, validators=[validate_token_name])
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, blank=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @property
    def scope_labels(self) -> list[str]:
        """The scopes in words (Swedish in the UI)."""
        return [str(TokenScope(s).label) for s in self.scopes if s in TokenScope.values]


class AuditEvent(models.Model):
    """A read of student-level data: who, what, when and why (the purpose and scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=100)
    scope = models.CharField(max_length=300)
    purpose = models.CharField(max_length=200)
    data_version = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=20, default="web")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.scope}"


class PublicationLevel(models.TextChoices):
    """Levels of released figures an administrator can withdraw (as Skolverket did in 2020)."""

    SCHOOL_UNIT = "school_unit", _("School unit")
    ORGANIZER = "organizer", _("Organizer")
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")


class PublicationChange(models.Model):
    """One change of the publication setting: a level withdrawn or published again, by whom.

    The newest change per level is the setting in force (``likvard.access.publication``), so
    the log and the setting can never disagree.
    """

    level = models.CharField(max_length=20, choices=PublicationLevel.choices)
    withdrawn = models.BooleanField()
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_by_name = models.CharField(max_length=150)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("publication change")
        verbose_name_plural = _("publication changes")

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.level} withdrawn={self.withdrawn}"


class ThrottleCount(models.Model):
    """Events counted under one key (failed sign-ins, API requests) for sign-in throttling and
    the API's rate limit, shared by every process in the database.

    Counted by one UPDATE each (``likvard.access.counters``), never read and written back, so
    events that arrive at once from several processes are all counted.
    """

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    last = models.FloatField(help_text="When the last event was counted (seconds since 1970).")
    expires = models.FloatField(
        db_index=True, help_text="After this moment the count is over and starts again."
    )

    class Meta:
        verbose_name = _("throttle count")
        verbose_name_plural = _("throttle counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
