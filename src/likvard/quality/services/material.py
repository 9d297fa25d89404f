"""Material on a subject of Likvärd, found by apps above this one (the knowledge bank).

Pages of the quality work and of the networks show material beside a success factor, a
flagged indicator or an agenda item ("Material om detta"). The apps that hold material sit
above them in the layers, so they register a *finder* in their ``AppConfig.ready`` and the
pages ask ``material_on``; with no finder registered the pages show nothing extra.

Subjects: ``success_factor`` and ``indicator`` (key: the catalogue code), ``agenda_item``
(key: the item's id) and ``attachment`` (key: the attachment's id; the links are actions,
e.g. adding the file to the bank).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from likvard.access.policy import Viewer


@dataclass(frozen=True, slots=True)
class MaterialLink:
    """A link to material (or an action on it) the viewer may follow."""

    url: str
    title: str
    detail: str = ""


Finder = Callable[[Viewer, str, str], list[MaterialLink]]
_FINDERS: dict[str, Finder] = {}


def register_material_finder(name: str, finder: Finder) -> None:
    """Ask ``finder(viewer, subject, key)`` for material on every subject (idempotent by name)."""
    _FINDERS[name] = finder


def material_on(*, viewer: Viewer, subject: str, key: str) -> list[MaterialLink]:
    """The material on ``subject`` ``key`` that ``viewer`` may read, from every finder."""
    links: list[MaterialLink] = []
    for finder in _FINDERS.values():
        links += finder(viewer, subject, key)
    return links
