"""A link with a line saying where it leads: the start page's and the pages' lists of analyses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    """A link and what it leads to, on the start page and the pages of a place."""

    url: str
    label: str
    detail: str = ""
    below: tuple[Link, ...] = ()
    """Links shown under this one (a principal's unit's analyses)."""
