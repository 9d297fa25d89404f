"""Forms of the completion pages: the start year shown, and an organizer's warning rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from likvard_core.analytics.completion.warning import WarningRule

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class YearForm(forms.Form):
    """Which start year (spring year of the first school year) the breakdown tables show."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


def _percent_field(label: str | _StrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("Percent; leave empty to switch this part off."),
    )


class WarningRuleForm(forms.Form):
    """An organizer's rule in percent (stored as shares 0-1)."""

    level = _percent_field(_("Absence in a term, at least"))
    window_level = _percent_field(_("Absence over this and the previous term, at least"))
    rise = _percent_field(_("Rise since the previous term, at least (percentage points)"))
    invalid_level = _percent_field(_("Invalid absence in a term, at least"))

    @classmethod
    def from_rule(cls, rule: WarningRule) -> WarningRuleForm:
        """A form showing ``rule`` in percent."""

        def pct(value: float | None) -> float | None:
            return None if value is None else round(value * 100, 1)

        return cls(
            initial={
                "level": pct(rule.level),
                "window_level": pct(rule.window_level),
                "rise": pct(rule.rise),
                "invalid_level": pct(rule.invalid_level),
            }
        )

    def rule(self) -> WarningRule:
        """The valid form's rule in shares."""

        def share(name: str) -> float | None:
            value = self.cleaned_data.get(name)
            return None if value is None else float(value) / 100

        return WarningRule(
            level=share("level"),
            window_level=share("window_level"),
            rise=share("rise"),
            invalid_level=share("invalid_level"),
        )
