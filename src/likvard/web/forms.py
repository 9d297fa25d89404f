"""The sign-in form, with rate limiting of failed attempts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from likvard.access.ratelimit import login_blocked, login_failed, login_succeeded


class SignInForm(AuthenticationForm):
    """Django's sign-in form; blocks a username or address after too many failures."""

    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Note that both fields may be case-sensitive."
        ),
        "inactive": _("This account is inactive."),
        "blocked": _("Too many failed sign-in attempts. Wait a few minutes and try again."),
    }

    blocked = False

    def _address(self) -> str:
        if self.request is None:
            return "-"
        return str(self.request.META.get("REMOTE_ADDR", "-"))

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))
        address = self._address()
        if login_blocked(username=username, address=address):
            self.blocked = True
            raise forms.ValidationError(self.error_messages["blocked"], code="blocked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(username=username, address=address)
            raise
        login_succeeded(username=username, address=address)
        return cleaned
