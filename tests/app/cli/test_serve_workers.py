"""``likvard serve`` runs what a page waits for in a worker of its own (issue #18): a completion
decision queued by a page never waits behind a warm-up of minutes in the background worker."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from likvard.analyses.completion.tasks import completion_decide
from likvard.cli import server
from likvard.warehouse.tasks import (
    BACKGROUND_QUEUES,
    INTERACTIVE_QUEUE,
    export_file,
    import_job_step,
    version_warm,
)

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


class _Child:
    def __init__(self, args: list[str]) -> None:
        self.args = args

    def poll(self) -> int | None:
        return 0

    def wait(self) -> int:
        return 0

    def send_signal(self, signum: int) -> None:
        raise AssertionError("not expected")

    def terminate(self) -> None:
        raise AssertionError("not expected")


def test_serve_starts_a_background_and_an_interactive_worker(monkeypatch):
    started: list[list[str]] = []

    def popen(args: list[str], **_kwargs: object) -> _Child:
        started.append(list(args))
        return _Child(args)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(server, "call_command", lambda *a, **k: None)
    result = CliRunner().invoke(server.serve, ["--port", "8999"])
    assert result.exit_code == 0, result.output
    workers = [args for args in started if "worker" in args]
    queues = [args[args.index("--queue") + 1] for args in workers]
    assert queues == ["imports,warm,exports", "interactive"]
    assert any("gunicorn" in args for args in started)


def test_a_page_s_decision_is_queued_apart_from_the_background_work():
    assert completion_decide.queue_name == INTERACTIVE_QUEUE
    background = {import_job_step, version_warm, export_file}
    assert {task.queue_name for task in background} <= set(BACKGROUND_QUEUES)
    assert INTERACTIVE_QUEUE not in BACKGROUND_QUEUES


@pytest.mark.parametrize(
    ("unit", "queues"),
    [
        ("likvard-worker.service", "imports,warm,exports"),
        ("likvard-worker-interactive.service", "interactive"),
    ],
)
def test_the_systemd_units_run_one_worker_per_kind(unit: str, queues: str):
    text = (DEPLOY / unit).read_text("utf-8")
    assert f"likvard worker --queue {queues}\n" in text
