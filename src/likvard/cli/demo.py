"""``likvard demo``: set up the demo region (reference data, demo users) idempotently."""

from __future__ import annotations

import click
from django.core.management import call_command
from rich.console import Console
from rich.table import Table

from likvard.access.demo import DEMO_PASSWORD, demo_users_ensure
from likvard.organisations.services import reference_load


@click.command()
def demo() -> None:
    """Create the demo region: migrate, load reference data and the demo users.

    Running it again reuses what is there.
    """
    console = Console()
    with console.status("Förbereder databasen …"):
        call_command("migrate", interactive=False, verbosity=0)
    with console.status("Läser in referensdata (kommuner, regioner, skolenheter) …"):
        summary = reference_load()
    console.print(
        f"Referensdata: {summary.counts['municipalities']} kommuner, "
        f"{summary.counts['regions']} regioner, {summary.counts['school_units']} skolenheter."
    )
    users = demo_users_ensure()
    table = Table(title=f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD})")
    table.add_column("Användarnamn")
    table.add_column("Roll")
    for username, description in users:
        table.add_row(username, description)
    console.print(table)
