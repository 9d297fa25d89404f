"""A task's stand-in for tests of pages that queue background work.

The test task backend runs a task inside ``enqueue``; a page that must never do the work in
the request is tested with this in the task's place: it records what was queued, and the test
runs it (``task.call(**call)``) when it plays the worker.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace


class TaskRecorder:
    """Records each ``enqueue``'s arguments in ``calls`` and returns a result with an id."""

    def __init__(self, calls: list[dict[str, object]] | None = None) -> None:
        self.calls: list[dict[str, object]] = [] if calls is None else calls

    def enqueue(self, **kwargs: object) -> SimpleNamespace:
        self.calls.append(kwargs)
        return SimpleNamespace(id=str(uuid.uuid4()))
