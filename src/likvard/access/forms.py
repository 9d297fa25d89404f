"""Forms of the access pages: a new personal API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard.access.models import TOKEN_NAME_MAX, TokenScope, validate_token_name

LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("One year"))]


class TokenCreateForm(forms.Form):
    """Name, scopes and lifetime of a new token (the secret is made by the service)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX,
        validators=[validate_token_name],
        help_text=_("What the token is for, e.g. the script or report that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("The token may"),
        choices=TokenScope.choices,
        initial=[TokenScope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A token never gives more than your own roles allow."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), choices=LIFETIMES, coerce=int, initial=90)
