"""The disclosure audit of one viewer and region: gather, derive the ties, solve, time it."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import pickle
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache as result_cache

import likvard_core.audit as auditor
from likvard.access.policy import Viewer
from likvard.audit.gather import Gathered, gather
from likvard.organisations.models import Region
from likvard_core.audit.audit import DEFAULT_PROTECTION, AuditResult, audit
from likvard_core.stats import linear


@dataclass(frozen=True, slots=True)
class AuditRun:
    """An audit's result with how long gathering and solving took (seconds)."""

    viewer: str
    region: str
    result: AuditResult
    tables: int
    skipped: list[str]
    gather_seconds: float
    solve_seconds: float
    gather_by_analysis: dict[str, float] = field(default_factory=dict)
    """Seconds of gathering per analysis (its services and the gate's decisions)."""
    fingerprint: str = ""
    """A digest of everything the audit reads of what the run gathered (the rows' statuses,
    keys and counts, definitions, hierarchy), the protection and the auditor's own code."""
    solved_for: str | None = None
    """The viewer whose audit of exactly the same figures solved the LPs this run reused
    (None: solved in this run; ``solve_seconds`` is then this run's own LP time)."""


@dataclass(frozen=True, slots=True)
class _Solved:
    result: AuditResult
    viewer: str
    region: str


_SOLVED: dict[str, _Solved] = {}
"""Audits solved in this process, by a digest of everything they read: two viewers who can
obtain exactly the same figures (same rows, statuses and definitions) get the same result, so
an audit of every role solves each distinct set of figures once."""
RESULT_KEY = "audit-result:"
RESULT_SECONDS = 30 * 24 * 3600
"""How long a solved audit is kept in Django's cache for later runs (another process, say
one heavy run per role): reused only by a run whose gathered figures have the same digest."""


def _canonical(value: object) -> object:
    """``value`` with every set sorted, so that its ``repr`` is the same in every process
    (a set's order follows the process's string hashes)."""
    if isinstance(value, set | frozenset):
        return ("set", sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Mapping):
        return [(k, _canonical(v)) for k, v in value.items()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            [(f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value)],
        )
    return value


def _auditor_code() -> bytes:
    """The source of the auditor's modules and the solver's version: a result solved by other
    code is never reused."""
    digest = hashlib.blake2b(digest_size=20)
    folder = Path(auditor.__file__).parent
    for path in (*sorted(folder.glob("*.py")), Path(linear.__file__)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(importlib.metadata.version("scipy").encode())
    return digest.digest()


def fingerprint(gathered: Gathered, protection: float) -> str:
    """A digest of everything ``audit`` reads: every gathered table (every field, its rows
    cut to the columns the auditor reads: ``ReleasedTable.as_read``), the hierarchy, the
    protection and the auditor's code. Two runs with the same fingerprint have the same
    result.

    A row's other columns are left out: a survey index's mean and interval differ in their
    last bits between two reads of the same figures (DuckDB sums in no fixed order), which
    would keep two roles who see the same figures from sharing their LPs."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_auditor_code())
    digest.update(repr((protection, _canonical(gathered.hierarchy))).encode())
    for table in gathered.tables:
        digest.update(repr(_canonical(table.as_read())).encode())
    return digest.hexdigest()


def disclosure_audit(
    *, viewer: Viewer, region: Region, year: int | None = None,
    protection: float = DEFAULT_PROTECTION, only: set[str] | None = None,
    keep: Path | None = None,
) -> AuditRun:  # fmt: skip
    """Bound every hidden cell of what ``viewer`` can obtain about ``region``'s populations.

    A hidden cell is exposed when its interval is narrower than ``protection``
    (docs/disclosure-audit.md). ``only`` audits the named analyses alone. ``keep`` saves
    the gathered tables and hierarchy there (a pickle), to re-solve the LPs without Django.
    The LPs of figures solved before (this process, or an earlier run through Django's cache)
    are not solved again: the run says whose they were (``solved_for``).
    """
    start = time.perf_counter()
    gathered = gather(viewer=viewer, region=region, year=year, only=only)
    gathered_at = time.perf_counter()
    if keep is not None:
        with keep.open("wb") as handle:
            pickle.dump((gathered.tables, gathered.hierarchy), handle)
    name = viewer.username or "anonym"
    key = fingerprint(gathered, protection)
    solved = _SOLVED.get(key) or result_cache.get(RESULT_KEY + key)
    if solved is None:
        solved = _Solved(
            audit(gathered.tables, gathered.hierarchy, protection=protection), name, region.code
        )
        result_cache.set(RESULT_KEY + key, solved, RESULT_SECONDS)
        solved_for = None
    else:
        solved_for = solved.viewer
    _SOLVED[key] = solved
    return AuditRun(
        viewer=name,
        region=region.code,
        result=solved.result,
        tables=len(gathered.tables),
        skipped=gathered.skipped,
        gather_seconds=gathered_at - start,
        solve_seconds=time.perf_counter() - gathered_at,
        gather_by_analysis=dict(gathered.seconds),
        fingerprint=key,
        solved_for=solved_for,
    )
