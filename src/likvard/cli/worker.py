"""``likvard worker``: run background tasks (import steps, warm-ups) as they are queued."""

from __future__ import annotations

import click
from django.core.management import call_command
from django.utils.translation import gettext as _

from likvard.analyses.surveys.tasks import round_closing_schedule
from likvard.warehouse.retention import retention_sweep
from likvard.warehouse.tasks import INTERACTIVE_QUEUE, task_results_reap, worker_id
from likvard.warehouse.warm import warm_pending_enqueue


@click.command()
@click.option(
    "--queue",
    "queues",
    default="*",
    show_default=True,
    help="Queues to serve, comma-separated (imports, warm, exports, interactive), or * for all.",
)
@click.option("--batch", is_flag=True, help="Run what is queued, then stop.")
@click.option(
    "--interval", default=1.0, show_default=True, help="Seconds between looks at an empty queue."
)
def worker(queues: str, batch: bool, interval: float) -> None:
    """Run the tasks queued in the app database: uploads' validation and import, warm-ups,
    large exports.

    ``likvard serve`` starts two, one for ``imports,warm,exports`` and one for ``interactive``
    (what a page waits for); in production each runs as its own service (docs/operations.md),
    so restarting the web server never interrupts an import. Before it starts, tasks left
    running by a worker that died are marked failed, and the newest data version is queued for
    warming if its kept tables are not complete, and export files past their retention and old
    versions' kept tables and cached pages are removed (not by a worker of the interactive
    queue alone). SIGTERM lets the running task finish first.
    """
    reaped = task_results_reap()
    if reaped:
        message = _("%(count)d task(s) from an interrupted worker are marked failed.")
        click.echo(message % {"count": reaped})
    if queues.strip() != INTERACTIVE_QUEUE:  # the background worker's chores, once
        if warm_pending_enqueue():
            click.echo(_("The newest data version was queued for preparation."))
        retention_sweep()
        round_closing_schedule()  # survey rounds past their last day close by themselves
    call_command(
        "db_worker",
        queue_name=queues,
        batch=batch,
        reload=False,
        interval=interval,
        startup_delay=False,
        worker_id=worker_id(),
        verbosity=1,
    )
