"""Run a parser in a child process with memory, CPU and wall-clock limits.

``run_limited("likvard_core.notes.extract:extract_unlimited", path, limits=...)`` starts
``python -m likvard_core.untrusted.child``, which sets its own resource limits (address
space, CPU seconds, file size, no core dumps) before importing anything that parses, calls the
function and writes its JSON result to stdout. The parent waits at most ``limits.seconds``
and kills the child's whole process group after that (``pdftoppm`` and ``tesseract`` included).
A child that runs out of memory or time is a ``FileRefused``, never an error in the caller:
a gunicorn worker that waits for it keeps answering. Only functions named in ``TARGETS`` can
be run, and results are JSON, so a child that a file somehow subverted cannot hand the parent
anything but data.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from likvard_core.untrusted.inspect import FileRefused, Limits

TARGETS = frozenset(
    {
        "likvard_core.notes.extract:extract_unlimited",
        "likvard_core.notes.documents:read_document",
        "likvard_core.ingest.limited:ingest_limited",
    }
)
"""The functions a child may run: each takes JSON-able arguments and returns a JSON-able value."""

_FILE_SIZE_LIMIT = 512 << 20  # pages rendered for OCR are written to a temporary folder
_CPU_MARGIN_S = 2
_SECRET_PREFIXES = ("LIKVARD_", "DJANGO_", "DATABASE_", "PG")


def run_limited(
    target: str, *args: Any, limits: Limits, progress: Callable[[int], None] | None = None
) -> Any:
    """``target(*args)`` run in a limited child process; its JSON-able return value.

    With ``progress``, the target is also called with a ``progress`` function whose numbers
    (rows read, say) reach ``progress`` here, in this thread, while the child runs.
    Raises ``FileRefused`` (``time_limit``, ``memory_limit``, ``file_unreadable`` or the
    child's own refusal) and ``ValueError`` for a target not in ``TARGETS``.
    """
    if target not in TARGETS:
        raise ValueError(f"not a sandbox target: {target}")
    request: dict[str, Any] = {"target": target, "args": list(args)}
    request["limits"] = _limits_json(limits)
    reader, writer = os.pipe() if progress is not None else (-1, -1)
    if progress is not None:
        request["progress_fd"] = writer
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "likvard_core.untrusted.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: killed with its helpers
            env=_child_environment(),
            pass_fds=(writer,) if progress is not None else (),
        )
    finally:
        if progress is not None:
            os.close(writer)
    try:
        out, err = _communicate(child, json.dumps(request).encode(), limits, reader, progress)
    except subprocess.TimeoutExpired:
        _kill_group(child)
        raise FileRefused("time_limit", f"{limits.seconds:g} s") from None
    finally:
        if progress is not None:
            os.close(reader)
    return _answer(child.returncode, out, err)


def _communicate(
    child: subprocess.Popen[bytes],
    request: bytes,
    limits: Limits,
    reader: int,
    progress: Callable[[int], None] | None,
) -> tuple[bytes, bytes]:
    """The child's stdout and stderr, passing its progress lines on; ``TimeoutExpired``
    after ``limits.seconds``."""
    if progress is None:
        return child.communicate(request, timeout=limits.seconds)
    deadline = time.monotonic() + limits.seconds
    if child.stdin is None or child.stdout is None or child.stderr is None:
        raise ValueError("the child's streams are not piped")
    child.stdin.write(request)  # the child reads all of it before doing anything else
    child.stdin.close()
    chunks: dict[int, list[bytes]] = {child.stdout.fileno(): [], child.stderr.fileno(): []}
    pending = b""
    with selectors.DefaultSelector() as selector:
        for fd in (*chunks, reader):
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise subprocess.TimeoutExpired(child.args, limits.seconds)
            for key, _events in selector.select(timeout=remaining):
                data = os.read(key.fd, 1 << 16)
                if not data:
                    selector.unregister(key.fd)
                elif key.fd == reader:
                    pending += data
                    *lines, pending = pending.split(b"\n")
                    if lines and lines[-1].strip().isdigit():
                        progress(int(lines[-1]))
                else:
                    chunks[key.fd].append(data)
    child.wait(timeout=max(deadline - time.monotonic(), 0.1))
    return b"".join(chunks[child.stdout.fileno()]), b"".join(chunks[child.stderr.fileno()])


def _child_environment() -> dict[str, str]:
    """The caller's environment without Likvärd's and Django's settings: the child that reads
    a hostile file never holds the secret key, the pseudonym key or the database address."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(_SECRET_PREFIXES)}
    return {**kept, "OMP_THREAD_LIMIT": "1"}


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()


def _answer(returncode: int, out: bytes, err: bytes) -> Any:
    try:
        answer = json.loads(out) if out else {}
    except ValueError:
        answer = {}
    if "refused" in answer:
        raise FileRefused(str(answer["refused"]), str(answer.get("detail", "")))
    if returncode == 0 and "result" in answer:
        return answer["result"]
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL) or answer.get("error") == "CPU":
        raise FileRefused("time_limit", "CPU")
    if answer.get("error") == "MemoryError" or b"MemoryError" in err[-2000:]:
        raise FileRefused("memory_limit")
    raise FileRefused("file_unreadable", str(answer.get("error", f"exit {returncode}"))[:100])


def _limits_json(limits: Limits) -> dict[str, Any]:
    return {
        "unpacked_bytes": limits.unpacked_bytes,
        "xml_part_bytes": limits.xml_part_bytes,
        "ratio": limits.ratio,
        "members": limits.members,
        "pages": limits.pages,
        "rows": limits.rows,
        "seconds": limits.seconds,
        "memory_bytes": limits.memory_bytes,
    }


def limit_self(limits: Limits) -> None:
    """Apply ``limits`` to this process (called first thing in the child)."""
    cpu = int(limits.seconds) + _CPU_MARGIN_S
    # The heap and anonymous mappings, not the address space: DuckDB's and Arrow's allocators
    # reserve address space they never use and crash when a reservation fails.
    resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (_FILE_SIZE_LIMIT, _FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
