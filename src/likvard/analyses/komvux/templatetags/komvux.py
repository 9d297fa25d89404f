"""Template filters of the komvux pages: a row's figure, a dictionary's value."""

from __future__ import annotations

from django import template

from likvard.analyses.komvux.rows import FigureRow

register = template.Library()


@register.filter
def figure(row: FigureRow, name: str) -> float | int | None:
    """The figure ``name`` of ``row`` (None when hidden or not reported)."""
    return row.get(name)


@register.filter
def dictget(mapping: dict[object, object], key: object) -> object:
    """``mapping[key]``, or 0 when missing."""
    return mapping.get(key, 0)
