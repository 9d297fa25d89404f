"""``likvard migrate`` and ``likvard serve``."""

from __future__ import annotations

import os
import sys

import click
from django.core.management import call_command


@click.command()
def migrate() -> None:
    """Create or update the app database's tables."""
    call_command("migrate", interactive=False, verbosity=1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Collect static files and serve the app with gunicorn."""
    call_command("collectstatic", interactive=False, verbosity=0)
    click.echo(f"Likvärd svarar på http://{host}:{port}/  (avsluta med Ctrl+C)")
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "likvard.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
    os.execv(sys.executable, args)  # noqa: S606 (replaces this process with the server)
