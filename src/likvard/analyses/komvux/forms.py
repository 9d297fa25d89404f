"""Forms of the komvux pages: the year shown in detail."""

from __future__ import annotations

from django import forms


class YearForm(forms.Form):
    """Which calendar year of course starts the breakdown tables show (default: the latest)."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
