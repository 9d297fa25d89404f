"""``likvard warm``: compute the newest data version's kept tables before anyone asks."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _
from rich.console import Console

from likvard.warehouse.selectors import data_version_newest
from likvard.warehouse.warm import registered_warmers, warm_version


@click.command()
def warm() -> None:
    """Compute the tables the pages keep per data version (movement cells and the like).

    Imports do this by themselves after a commit; run it after restoring a backup or when a
    page was slow the first time. Running it again reads what is kept and is quick.
    """
    console = Console()
    version = data_version_newest()
    with console.status(f"Förbereder sidorna för dataversion {version.label} …"):
        seconds = warm_version(version)
    for name in registered_warmers():
        if name in seconds:
            console.print(
                _("%(name)s: ready in %(seconds).1f s") % {"name": name, "seconds": seconds[name]}
            )
        else:
            console.print(
                _("%(name)s: failed (see the log); the page computes on its first visit")
                % {"name": name}
            )
