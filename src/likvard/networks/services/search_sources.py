"""Other sources searched together with the notes (the knowledge bank), registered by the
apps above this one in their ``AppConfig.ready``: the search page shows each source's filters
in its form and its hits in a section of their own. With none registered, nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from likvard.access.policy import Viewer
from likvard.networks.services.search import Fragment


@dataclass(frozen=True, slots=True)
class SourceFilter:
    """A choice a source adds to the search form (GET parameter ``name``)."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    selected: str = ""


@dataclass(frozen=True, slots=True)
class SourceHit:
    """One hit of a source, its title and snippet highlighted like the notes' hits."""

    url: str
    title: tuple[Fragment, ...]
    snippet: tuple[Fragment, ...]
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SourceSection:
    """A source's hits for one query, under its own heading."""

    title: str
    hits: tuple[SourceHit, ...]


@dataclass(frozen=True, slots=True)
class SearchSource:
    """``filters(viewer, params)`` for the form; ``search(viewer, query, params)`` for hits."""

    filters: Callable[[Viewer, Mapping[str, str]], list[SourceFilter]]
    search: Callable[[Viewer, str, Mapping[str, str]], SourceSection]


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(name: str, source: SearchSource) -> None:
    """Search ``source`` with the notes (idempotent by name)."""
    _SOURCES[name] = source


def source_filters(*, viewer: Viewer, params: Mapping[str, str]) -> list[SourceFilter]:
    """Every registered source's filters, with the choices in ``params`` selected."""
    return [f for source in _SOURCES.values() for f in source.filters(viewer, params)]


def source_sections(
    *, viewer: Viewer, query: str, params: Mapping[str, str]
) -> list[SourceSection]:
    """Every registered source's hits for ``query`` narrowed by ``params``."""
    return [source.search(viewer, query, params) for source in _SOURCES.values()]
