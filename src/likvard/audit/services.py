"""The disclosure audit of one viewer and region: gather, derive the ties, solve, time it."""

from __future__ import annotations

import hashlib
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from likvard.access.policy import Viewer
from likvard.audit.gather import Gathered, gather
from likvard.organisations.models import Region
from likvard_core.audit.audit import DEFAULT_PROTECTION, AuditResult, audit


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


_SOLVED: dict[str, AuditResult] = {}
"""Audits solved in this process, by a digest of everything they read: two viewers who can
obtain exactly the same figures (same rows, statuses and definitions) get the same result, so
an audit of every role solves each distinct set of figures once."""


def _digest(gathered: Gathered, protection: float) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr((protection, gathered.hierarchy)).encode())
    for table in gathered.tables:
        digest.update(repr(table).encode())
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
    """
    start = time.perf_counter()
    gathered = gather(viewer=viewer, region=region, year=year, only=only)
    gathered_at = time.perf_counter()
    if keep is not None:
        with keep.open("wb") as handle:
            pickle.dump((gathered.tables, gathered.hierarchy), handle)
    key = _digest(gathered, protection)
    result = _SOLVED.get(key)
    if result is None:
        result = audit(gathered.tables, gathered.hierarchy, protection=protection)
        _SOLVED[key] = result
    return AuditRun(
        viewer=viewer.username or "anonym",
        region=region.code,
        result=result,
        tables=len(gathered.tables),
        skipped=gathered.skipped,
        gather_seconds=gathered_at - start,
        solve_seconds=time.perf_counter() - gathered_at,
        gather_by_analysis=dict(gathered.seconds),
    )
