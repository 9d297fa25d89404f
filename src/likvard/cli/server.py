"""``likvard migrate`` and ``likvard serve``."""

from __future__ import annotations

import signal
import subprocess
import sys
from types import FrameType

import click
from django.core.management import call_command
from django.utils.translation import gettext as _

from likvard.warehouse.tasks import BACKGROUND_QUEUES, INTERACTIVE_QUEUE


@click.command()
def migrate() -> None:
    """Create or update the app database's tables."""
    call_command("migrate", interactive=False, verbosity=1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, help="Web worker processes.")
@click.option(
    "--task-worker/--no-task-worker",
    default=True,
    show_default=True,
    help="Also run the task workers (likvard worker: background and interactive) beside it.",
)
def serve(host: str, port: int, workers: int, task_worker: bool) -> None:
    """Collect static files and serve the app with gunicorn, and two task workers beside it.

    One command for the demo and a small installation: the web server (gunicorn), the worker
    that runs imports, warm-ups and exports, and the interactive worker that runs what a page
    waits for (a completion decision) are separate processes, so a restart of the web server
    does not interrupt an import and a page's task never waits behind a warm-up. Ctrl+C or
    SIGTERM stops all; a worker finishes its running task first. In production each runs as
    its own service (docs/operations.md).
    """
    call_command("collectstatic", interactive=False, verbosity=0)
    message = _("Likvärd answers on %(url)s  (stop with Ctrl+C)")
    click.echo(message % {"url": f"http://{host}:{port}/"})
    web_args = [
        sys.executable,
        "-m",
        "gunicorn",
        "likvard.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",  # a first request of a region's release cube may take a while on a busy machine
        "--access-logfile",
        "-",
    ]
    children: list[subprocess.Popen[bytes]] = []
    if task_worker:
        # Two workers: the background one (imports, warm-ups, exports) and the interactive
        # one, so that what a page waits for never queues behind a warm-up of minutes.
        for queues in (",".join(BACKGROUND_QUEUES), INTERACTIVE_QUEUE):
            worker_args = [sys.executable, "-m", "likvard.cli.main", "worker", "--queue", queues]
            # Own sessions: Ctrl+C reaches this process only, which passes it on once (a
            # second SIGINT would make the worker abandon its running task).
            children.append(subprocess.Popen(worker_args, start_new_session=True))  # noqa: S603
    web = subprocess.Popen(web_args, start_new_session=True)  # noqa: S603
    children.append(web)

    def stop(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = web.wait()
    for child in children:  # the web server is gone (stopped or restarted by hand): stop all
        if child.poll() is None:
            child.terminate()
        child.wait()
    sys.exit(code)
