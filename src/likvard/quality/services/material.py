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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from likvard.access.policy import Viewer


@dataclass(frozen=True, slots=True)
class MaterialLink:
    """A link to material (or an action on it) the viewer may follow."""

    url: str
    title: str
    detail: str = ""


Finder = Callable[[Viewer, str, str], list[MaterialLink]]
ManyFinder = Callable[[Viewer, str, Sequence[str]], dict[str, list[MaterialLink]]]
ScopeOf = Callable[[Viewer], str]
_FINDERS: dict[str, tuple[Finder, ManyFinder | None]] = {}
_SCOPES: dict[str, ScopeOf] = {}


def register_material_finder(
    name: str, finder: Finder, *, many: ManyFinder | None = None, scope: ScopeOf | None = None
) -> None:
    """Ask ``finder(viewer, subject, key)`` for material on every subject (idempotent by name);
    ``many(viewer, subject, keys)``, when given, answers for many keys at once (key → links);
    ``scope(viewer)`` names, as text, all that decides which material the finder shows the
    viewer (``material_scope``)."""
    _FINDERS[name] = (finder, many)
    if scope is not None:
        _SCOPES[name] = scope


def material_scope(viewer: Viewer) -> str:
    """All that decides which material ``viewer`` is shown, as text for a cache key: a page
    kept per viewer kind that shows material must also be kept per this (a network's own
    material is for its members only)."""
    return "|".join(f"{name}:{scope(viewer)}" for name, scope in sorted(_SCOPES.items()))


def material_on(*, viewer: Viewer, subject: str, key: str) -> list[MaterialLink]:
    """The material on ``subject`` ``key`` that ``viewer`` may read, from every finder."""
    links: list[MaterialLink] = []
    for finder, _many in _FINDERS.values():
        links += finder(viewer, subject, key)
    return links


def materials_on(
    *, viewer: Viewer, subject: str, keys: Sequence[str]
) -> dict[str, list[MaterialLink]]:
    """``material_on`` for each of ``keys`` (key → links), from each finder at once where it
    can: a page of many flagged indicators asks a finder once, not once per indicator."""
    links: dict[str, list[MaterialLink]] = {key: [] for key in keys}
    for finder, many in _FINDERS.values() if keys else ():
        found = (
            many(viewer, subject, keys) if many else {k: finder(viewer, subject, k) for k in keys}
        )
        for key in keys:
            links[key] += found.get(key, [])
    return links
