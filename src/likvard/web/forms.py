"""The sign-in form, with rate limiting of failed attempts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from likvard.access.ratelimit import blocked_message, login_attempt, login_succeeded


class SignInForm(AuthenticationForm):
    """Django's sign-in form, throttled by ``access.ratelimit``: past a few failures an attempt
    must wait (``wait`` seconds) before its password is checked."""

    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Note that both fields may be case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    blocked = False
    wait = 0

    def _address(self) -> str:
        if self.request is None:
            return "-"
        return str(self.request.META.get("REMOTE_ADDR", "-"))

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))
        if not username or not self.data.get("password"):
            return super().clean()  # a field is missing: nothing is checked, nothing counted
        address = self._address()
        self.wait = login_attempt(username=username, address=address)
        if self.wait:
            self.blocked = True
            raise forms.ValidationError(blocked_message(self.wait), code="blocked")
        cleaned = super().clean()  # a wrong password raises: its attempt stays counted
        if self.get_user() is not None:
            login_succeeded(username=username, address=address)
        return cleaned
