"""Uploaded files are hostile until proven otherwise: what a file is, and limits on reading it.

``inspect_file`` checks a file against the type its name declares (magic bytes, not the name)
and against ``Limits`` before any parser sees it: ZIP containers (XLSX, DOCX, PPTX, ODS) by
their members' real unpacked sizes and compression ratios and for DTDs in their XML (Office
XML never has one: a DTD is how a billion-laughs expansion starts), PDFs for JavaScript, launch
actions and truncation, Parquet by its footer's row and byte counts, text by its line count.
``run_limited`` then runs the parser itself in a child process with memory, CPU and wall-clock
limits, so a file that slips past the checks still cannot take the caller's process down.
Both raise ``FileRefused``, whose ``code`` the interfaces turn into a Swedish message.
"""

from __future__ import annotations

from likvard_core.untrusted.inspect import (
    FileKind,
    FileRefused,
    Limits,
    declared_kind,
    inspect_file,
    sniff,
)
from likvard_core.untrusted.sandbox import run_limited

__all__ = [
    "FileKind",
    "FileRefused",
    "Limits",
    "declared_kind",
    "inspect_file",
    "run_limited",
    "sniff",
]
