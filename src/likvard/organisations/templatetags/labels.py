"""Template filters of the labelling layer (``likvard.organisations.labels``).

``{% load labels %}``, then ``{{ code|label:"subject" }}`` (Matematik),
``{{ code|label_code:"municipality" }}`` (Kungsbacka with the code as secondary text),
``{{ year|year }}`` (2027, never 2 027), ``{{ spring|school_year }}`` (2026/27) and
``{{ purpose|label:"purpose" }}``.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from likvard.organisations import labels

register = template.Library()


@register.filter(name="label")
def label(code: object, kind: str) -> str:
    """The name of ``code`` as a ``kind`` (see ``labels.LabelKind``)."""
    return labels.label(kind, code)


@register.filter(name="label_code")
def label_code(code: object, kind: str) -> SafeString:
    """The name with the code after it as secondary text, when the two differ."""
    name = labels.label(kind, code)
    if code is None or name == str(code):
        return format_html("{}", name)
    return format_html('{} <span class="code muted">{}</span>', name, code)


@register.filter(name="year")
def year(value: int | str | None) -> str:
    """A calendar year without a thousands separator."""
    return labels.year_label(value)


@register.filter(name="school_year")
def school_year(value: int | str | None) -> str:
    """A school year from its spring year, ``2026/27``."""
    return labels.school_year_label(value)
