"""Rendered once per data version and viewer kind: a cache of page fragments (issue #18).

What a page shows depends on the data version, the viewer's rights and the choices on the
page. Many people reading the same map with the same rights see the same released figures, so
the rendered fragment is kept in Django's cache framework (the cache named by
``LIKVARD_FRAGMENT_CACHE``; a shared backend in production) under exactly that key, and the
next reader costs one cache read instead of a computation, a release and a render.

Viewers without any right to student-level data share per viewer kind (``viewer_class``): for
them ``release()`` suppresses and audits nothing, so skipping it changes nothing. A viewer with
such rights (an organizer's analyst, a principal) shares with their own rights class only
(``viewer_rights_class``), and the audited reads made while rendering are kept beside the
fragment: every reader served from the cache is audited for them (ADR 0003: every read of
student-level data is audited, not every computation). Nothing is invalidated: a new data
version is a new key, and entries expire after ``LIKVARD_FRAGMENT_CACHE_SECONDS``.

Such a viewer's figures are kept too, per rights class, with the audited reads made while
computing them (``figures_cached_keyed``: every reader is audited, from the cache as well), and
a page rendered from them is kept under the figures' key and what else it shows
(``rendered_cached``), with a placeholder where a form's CSRF token goes.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from likvard.access.audit import (
    audit_reads_recorded,
    audit_reads_replay,
    audit_reads_withheld_now,
)
from likvard.access.policy import Viewer
from likvard.access.publication import withdrawn_levels
from likvard.access.release import thresholds_in_force
from likvard.warehouse.selectors import data_version_get


def viewer_class(viewer: Viewer) -> str | None:
    """The kind of viewer the fragment depends on, or None when it must not be shared.

    Roles and regions only (never who): None for a viewer with rights to student-level data.
    """
    if viewer.organizers or viewer.school_units:
        return None
    parts = [
        sorted(str(role) for role in viewer.roles),
        sorted(viewer.regions),
        sorted(viewer.coordinated_regions),
        sorted(viewer.network_secretary_regions),
        viewer.is_authenticated,
    ]
    return json.dumps(parts)


def viewer_rights_class(viewer: Viewer) -> str:
    """Every right of ``viewer`` that the gate's decisions depend on (roles and every scope),
    never who: two analysts of the same organizer are one class."""
    parts = [
        sorted(str(role) for role in viewer.roles),
        sorted(viewer.regions),
        sorted(viewer.organizers),
        sorted(viewer.school_units),
        sorted(viewer.coordinated_regions),
        sorted(viewer.network_secretary_regions),
        sorted(viewer.health_units),
        viewer.is_authenticated,
    ]
    return json.dumps(parts)


def fragment_key(
    *, name: str, viewer_kind: str, choices: Mapping[str, list[str]] | Mapping[str, str]
) -> str:
    """The cache key of fragment ``name`` for the current data version, viewer kind, choices,
    language, withdrawn publication levels and minimum group sizes."""
    canonical = sorted((key, str(value)) for key, value in choices.items())
    withdrawn = sorted(withdrawn_levels())  # a withdrawal changes releases, not the version
    thresholds = thresholds_in_force()  # and so does a region's stricter minimum
    version = data_version_get().key
    text = json.dumps(
        [
            name, version, viewer_kind, canonical, get_language(), withdrawn, thresholds,
            render_version(),
        ]
    )  # fmt: skip
    return "fragment:" + hashlib.sha256(text.encode()).hexdigest()


CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".js", ".css", ".svg", ".json"})
"""What a kept fragment or figure can depend on in the installed packages."""


def render_version() -> str:
    """The running code's version in every kept fragment's key (``LIKVARD_RENDER_VERSION``,
    else derived once per process by ``code_version``): a deploy that changes code or
    templates within a data version renders anew instead of serving the old HTML."""
    configured = str(getattr(settings, "LIKVARD_RENDER_VERSION", "") or "")
    return configured or _derived_version()


@functools.cache
def _derived_version() -> str:
    import likvard  # noqa: PLC0415 (the installed packages, once per process)
    import likvard_core  # noqa: PLC0415

    roots = [Path(likvard.__file__).parent, Path(likvard_core.__file__).parent]
    try:
        package = metadata.version("likvard")
    except metadata.PackageNotFoundError:  # pragma: no cover (run from a source tree)
        package = "0"
    return f"{package}+{code_version(roots)}"


def code_version(roots: Sequence[Path]) -> str:
    """A digest of every file under ``roots`` that rendering depends on (code, templates,
    message catalogues, static files), by relative path and content."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(f"{root.name}/{path.relative_to(root)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fragment_cached(
    *,
    name: str,
    viewer: Viewer,
    choices: Mapping[str, list[str]] | Mapping[str, str],
    render: Callable[[], str],
) -> SafeString:
    """The fragment ``render()`` would give, from the cache when this viewer kind may share it.

    ``choices`` are the page's parameters (its query string as lists); ``render`` computes,
    releases and renders (called on a miss, or always for a viewer who must not share).
    """
    parts = fragments_cached(
        name=name, viewer=viewer, choices=choices, render=lambda: {"body": render()}
    )
    return parts["body"]


def fragments_cached(
    *,
    name: str,
    viewer: Viewer,
    choices: Mapping[str, list[str]] | Mapping[str, str],
    render: Callable[[], Mapping[str, str]],
) -> dict[str, SafeString]:
    """Like ``fragment_cached`` for a page of several rendered parts (its title and body).

    Parts holding a form's CSRF token are never kept: the token is the reader's own.
    """
    kind = viewer_class(viewer)
    if kind is None:
        return _audited_fragments_cached(name=name, viewer=viewer, choices=choices, render=render)
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    key = fragment_key(name=name, viewer_kind=kind, choices=choices)
    hit = cache.get(key)
    if isinstance(hit, dict):
        return _safe(hit)
    parts = {part: str(html) for part, html in render().items()}
    if not any(CSRF_FIELD in html for html in parts.values()):
        cache.set(key, parts, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return _safe(parts)


def _audited_fragments_cached(
    *,
    name: str,
    viewer: Viewer,
    choices: Mapping[str, list[str]] | Mapping[str, str],
    render: RenderParts,
) -> dict[str, SafeString]:
    """``fragments_cached`` for a viewer with rights to student-level data: kept per viewer
    rights class (``viewer_rights_class``: two analysts of one organizer share, nobody else),
    with the audited reads made while rendering, which every later reader served from the
    cache is audited for (``audit_reads_replay``), as ``figures_cached_keyed`` does."""
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    key = fragment_key(
        name="audited:" + name, viewer_kind=viewer_rights_class(viewer), choices=choices
    )
    hit = cache.get(key)
    if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], dict):  # noqa: PLR2004
        audit_reads_replay(viewer=viewer, reads=hit[1])
        return _safe(hit[0])
    with audit_reads_recorded() as reads:
        parts = {part: str(html) for part, html in render().items()}
    if not audit_reads_withheld_now() and not any(CSRF_FIELD in html for html in parts.values()):
        entry = (parts, list(reads))
        cache.set(key, entry, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return _safe(parts)


def fragments_kept(
    *, name: str, viewer: Viewer, choices: Mapping[str, list[str]] | Mapping[str, str]
) -> dict[str, SafeString] | None:
    """The parts ``fragments_cached`` kept for this viewer kind and choices, or None (not
    kept yet, or a viewer who must not share): a page may then skip what it needs only to
    render them (its filter choices, validating its form; only valid choices are kept)."""
    kind = viewer_class(viewer)
    if kind is None:
        return None
    hit = caches[settings.LIKVARD_FRAGMENT_CACHE].get(
        fragment_key(name=name, viewer_kind=kind, choices=choices)
    )
    return _safe(hit) if isinstance(hit, dict) else None


CSRF_FIELD = "csrfmiddlewaretoken"

T = TypeVar("T")
RenderParts = Callable[[], Mapping[str, str]]


def figures_cached_keyed(
    *,
    name: str,
    viewer: Viewer,
    choices: Mapping[str, list[str]] | Mapping[str, str],
    compute: Callable[[], T],
) -> tuple[T, str]:
    """What ``compute()`` gives (released figures, picklable), computed once per data version,
    viewer rights class (``viewer_rights_class``) and choices, for any viewer, and the cache
    key that names exactly these figures (data version, rights class, choices, language,
    withdrawn levels): a page rendered from them may be kept under it (``rendered_cached``).

    A viewer with rights to student-level data reads audited figures: every read is audited,
    not every computation. The audited reads made while computing are kept beside the figures,
    and every request served from the cache records the same reads for its own viewer
    (``access.audit.audit_reads_replay``), so the audit log is the same as if it had computed.
    ``choices`` must name everything besides the data version and the viewer's rights that
    the figures depend on.
    """
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    key = fragment_key(
        name="figures:" + name, viewer_kind=viewer_rights_class(viewer), choices=choices
    )
    hit = cache.get(key)
    if isinstance(hit, tuple) and len(hit) == 2:  # noqa: PLR2004 (figures and their reads)
        audit_reads_replay(viewer=viewer, reads=hit[1])
        return hit[0], key
    with audit_reads_recorded() as reads:
        figures = compute()
    cache.set(key, (figures, list(reads)), timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return figures, key


def figures_kept(
    *, name: str, viewer: Viewer, choices: Mapping[str, list[str]] | Mapping[str, str]
) -> bool:
    """Whether ``figures_cached_keyed`` keeps the figures ``name`` of ``viewer``'s rights class
    and ``choices`` (nothing is read, computed or audited): a page whose figures take minutes
    to compute asks the task worker for them rather than compute them in the request."""
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    key = fragment_key(
        name="figures:" + name, viewer_kind=viewer_rights_class(viewer), choices=choices
    )
    return bool(cache.has_key(key))


CSRF_PLACEHOLDER = "likvard-csrf-placeholder"
"""Rendered in place of a form's CSRF token in a part kept by ``rendered_cached``; the view
puts the reader's own token in its place (``csrf_filled``)."""


def rendered_cached(
    *, name: str, viewer: Viewer, figures: str, choices: Mapping[str, str], render: RenderParts
) -> dict[str, SafeString]:
    """The parts ``render()`` gives, rendered once per ``figures`` key and ``choices``.

    For a page of figures read through ``figures_cached_keyed`` in this request (so already
    audited for this viewer): ``figures`` is that key, which names the data version and the
    viewer's rights class, so viewers with rights to student-level data share the page with
    their own class only. ``choices`` must name everything else the page shows (texts saved
    since, material, the year list). A form's CSRF token must be rendered as
    ``CSRF_PLACEHOLDER``; parts holding a real token are not kept.
    """
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    text = json.dumps([name, figures, sorted(choices.items())])  # figures names the versions
    key = "rendered:" + hashlib.sha256(text.encode()).hexdigest()
    hit = cache.get(key)
    if isinstance(hit, dict):
        return _safe(hit)
    parts = {part: str(html) for part, html in render().items()}
    if all(html.count(CSRF_FIELD) == html.count(CSRF_PLACEHOLDER) for html in parts.values()):
        cache.set(key, parts, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return _safe(parts)


def csrf_filled(parts: Mapping[str, str], token: str) -> dict[str, SafeString]:
    """``parts`` with the reader's CSRF ``token`` in place of ``CSRF_PLACEHOLDER``."""
    return _safe({part: html.replace(CSRF_PLACEHOLDER, token) for part, html in parts.items()})


def _safe(parts: Mapping[str, str]) -> dict[str, SafeString]:
    return {part: mark_safe(html) for part, html in parts.items()}  # noqa: S308 (rendered)
