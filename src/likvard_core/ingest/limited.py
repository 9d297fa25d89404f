"""Validating an import file in a limited child process (``likvard_core.untrusted``).

A hostile import file (a line of a gigabyte, a million columns, JSON nested a million deep, a
workbook whose shared strings fill the memory) must not take down the worker that validates
it. ``ingest_in_child`` therefore runs the whole read (preview, validation, pseudonymisation,
and the staging of the pseudonymised tables) in a child process with memory, CPU and
wall-clock limits; an overrun becomes an ``Issue`` (``memory_limit``, ``time_limit``) and
nothing is staged. A sealed upload (``untrusted.sealed``) is decrypted inside the child into
memory only. The keys reach the child on its stdin, never in its environment or arguments.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from likvard_core.ingest.issues import Issue
from likvard_core.ingest.kinds import KINDS, Preview
from likvard_core.ingest.pipeline import IngestResult, detect_columns, ingest_file
from likvard_core.ingest.sources.ss12000 import ingest_ss12000, looks_like_ss12000, on_converted
from likvard_core.ingest.validation.table_checks import SchoolUnitScope
from likvard_core.untrusted import FileRefused, Limits, run_limited
from likvard_core.untrusted.sealed import unseal_to_memory

TARGET = "likvard_core.ingest.limited:ingest_limited"
PREVIEW_FILE = "preview.json"


@dataclass(frozen=True, slots=True)
class ChildRequest:
    """What to read and where to put the result.

    ``source`` is the file (sealed when ``sealed_key`` is given); ``name`` the name the user
    gave it (its suffix is the declared type); ``stage_root``, when given, receives the
    pseudonymised tables as batch ``batch_id`` (``warehouse.writer.stage_batch``) if the file
    has no issues; ``preview_dir``, when given, receives the masked preview first.
    """

    source: Path
    name: str
    kind: str
    pseudonym_key: bytes
    batch_id: str
    sealed_key: bytes | None = None
    known_school_units: frozenset[str] | None = None
    school_unit_scope: SchoolUnitScope | None = None
    stage_root: Path | None = None
    preview_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class ChildOutcome:
    """The child's answer: the issues (named by ``name``), rows read, the content hash of the
    clear file, and whether the tables were staged."""

    issues: list[Issue]
    rows_read: int = 0
    content_hash: str = ""
    staged: bool = False


def ingest_in_child(
    request: ChildRequest, *, limits: Limits, progress: Callable[[int], None] | None = None
) -> ChildOutcome:
    """Read and validate ``request.source`` in a limited child; an overrun is an issue."""
    try:
        answer = run_limited(TARGET, _request_json(request), limits=limits, progress=progress)
    except FileRefused as refused:
        return ChildOutcome([Issue(request.name, 0, "", refused.code, refused.detail)])
    return ChildOutcome(
        issues=[Issue(**fields) for fields in answer["issues"]],
        rows_read=int(answer["rows_read"]),
        content_hash=str(answer["content_hash"]),
        staged=bool(answer.get("staged", False)),
    )


def _request_json(request: ChildRequest) -> dict[str, Any]:
    scope = request.school_unit_scope
    return {
        "source": str(request.source),
        "name": request.name,
        "kind": request.kind,
        "pseudonym_key": request.pseudonym_key.hex(),
        "batch_id": request.batch_id,
        "sealed_key": request.sealed_key.hex() if request.sealed_key else None,
        "known_school_units": (
            None if request.known_school_units is None else sorted(request.known_school_units)
        ),
        "scope": None
        if scope is None
        else {"label": scope.label, "units": dict(scope.units), "issue": scope.issue},
        "stage_root": str(request.stage_root) if request.stage_root else None,
        "preview_dir": str(request.preview_dir) if request.preview_dir else None,
    }


def ingest_limited(
    fields: Mapping[str, Any], *, limits: Limits, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """The child's side of ``ingest_in_child``: read, validate, stage; JSON out."""
    name = str(fields["name"])
    descriptor = -1
    path = Path(str(fields["source"]))
    try:
        if fields["sealed_key"]:
            descriptor, path = unseal_to_memory(
                path, bytes.fromhex(fields["sealed_key"]), max_bytes=limits.unpacked_bytes
            )
        return _ingest_path(path, name, fields, progress)
    except FileRefused as refused:
        issue = Issue(name, 0, "", refused.code, refused.detail)
        return {
            "issues": [dataclasses.asdict(issue)],
            "rows_read": 0,
            "content_hash": "",
            "staged": False,
        }
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _ingest_path(
    path: Path, name: str, fields: Mapping[str, Any], progress: Callable[[int], None] | None
) -> dict[str, Any]:
    kind = str(fields["kind"])
    if fields["preview_dir"]:
        preview_save(Path(fields["preview_dir"]), file_preview(path, kind, name=name))
    scope = fields["scope"]
    options: dict[str, Any] = {
        "pseudonym_key": bytes.fromhex(fields["pseudonym_key"]),
        "known_school_units": None
        if fields["known_school_units"] is None
        else frozenset(fields["known_school_units"]),
        "school_unit_scope": None
        if scope is None
        else SchoolUnitScope(
            label=scope["label"],
            units={code: (years[0], years[1]) for code, years in scope["units"].items()},
            issue=scope["issue"],
        ),
        "batch_id": str(fields["batch_id"]),
        "progress": progress,
        "name": name,
    }
    result = ingest_any(path, kind, **options)
    staged = False
    if fields["stage_root"] and result.ok:
        from likvard_core.warehouse.writer import stage_batch  # noqa: PLC0415 (only to stage)

        stage_batch(Path(fields["stage_root"]), str(fields["batch_id"]), result.tables)
        staged = True
    return {
        "issues": [dataclasses.asdict(_named(issue, name)) for issue in result.issues],
        "rows_read": result.rows_read,
        "content_hash": result.content_hash,
        "staged": staged,
    }


def ingest_any(path: Path, kind: str, **options: Any) -> IngestResult:
    """``ingest_file``, or for an SS 12000 JSON export of enrolments its adapter first."""
    if kind == "enrolments" and looks_like_ss12000(path):
        options.pop("name", None)
        result, _conversion = ingest_ss12000(
            path, lambda csv_path: ingest_file(csv_path, kind, **options)
        )
        return result
    return ingest_file(path, kind, **options)


def file_preview(path: Path, kind: str, *, name: str | None = None) -> Preview | list[Issue]:
    """The file's preview; an SS 12000 bundle of enrolments is previewed as the rows it gives."""
    if kind not in KINDS or kind != "enrolments" or not looks_like_ss12000(path):
        return detect_columns(path, kind, name=name)
    preview, conversion = on_converted(path, lambda csv_path: detect_columns(csv_path, kind))
    return list(conversion.issues) or preview


def preview_save(folder: Path, preview: Preview | list[Issue]) -> None:
    """Keep ``preview`` (masked) in ``folder`` as JSON for the upload page."""
    if isinstance(preview, Preview):
        document: dict[str, object] = {"preview": dataclasses.asdict(preview)}
    else:
        document = {"issues": [dataclasses.asdict(issue) for issue in preview]}
    (folder / PREVIEW_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _named(issue: Issue, name: str) -> Issue:
    return Issue(name, issue.row, issue.column, issue.code, issue.expected, issue.value_hint)
