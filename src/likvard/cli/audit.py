"""``likvard audit disclosure``: can any hidden figure be worked out from what a viewer sees?"""

from __future__ import annotations

import sys

import click
from django.contrib.auth import get_user_model
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from likvard.access.policy import viewer_for
from likvard.audit.gather import analyses
from likvard.audit.services import AuditRun, disclosure_audit
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError

_SHOWN_FINDINGS = 20
_HALF = 0.5


@click.group("audit")
def audit() -> None:
    """Audits of what the platform releases."""


@audit.command("disclosure")
@click.option(
    "--region", "region_code", default=None, help="Region code; every region if left out."
)
@click.option("--year", type=int, default=None, help="Only this school year's rows (spring year).")
@click.option(
    "--viewer", "username", default=None, help="Audit as this user; every user if left out."
)
@click.option(
    "--analysis", "analyses", multiple=True, type=click.Choice(analyses()),
    help="Audit only this analysis (repeatable); every analysis if left out.",
)  # fmt: skip
@click.option(
    "--protection", type=float, default=1.0, show_default=True,
    help="A hidden cell is exposed when its feasible interval is narrower than this.",
)  # fmt: skip
def disclosure(
    region_code: str | None,
    year: int | None,
    username: str | None,
    analyses: tuple[str, ...],
    protection: float,
) -> None:
    """Gather every figure a viewer can obtain for a region through the pages' services,
    derive the ties between them, and bound each hidden cell with a linear programme (HiGHS).

    Prints per analysis the cells released, hidden and exposed, and the exposed cells
    (analysis, table, key, interval). Exits with status 1 if any cell is exposed.
    """
    try:
        regions = (
            [organisations.region_get(code=region_code)]
            if region_code
            else organisations.region_list()
        )
    except NotFoundError as error:
        raise click.UsageError(f"unknown region {region_code}") from error
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    if username:
        users = users.filter(username=username)
        if not users.exists():
            raise click.UsageError(f"unknown user {username}")
    console = Console(width=120)
    exposed = 0
    for user in users:
        for region in regions:
            run = disclosure_audit(
                viewer=viewer_for(user), region=region, year=year, protection=protection,
                only=set(analyses) or None,
            )  # fmt: skip
            _print(console, run)
            exposed += run.result.exposed
    sys.exit(1 if exposed else 0)


def _print(console: Console, run: AuditRun) -> None:
    table = Table(title=f"Röjandekontroll: {run.region}, som {run.viewer}")
    for header in ("Analys", "Tabeller", "Visade celler", "Dolda celler", "Röjda celler"):
        table.add_column(header, justify="left" if header == "Analys" else "right")
    for summary in run.result.summaries:
        table.add_row(
            summary.analysis, str(summary.tables), str(summary.released), str(summary.hidden),
            f"[bold red]{summary.exposed}[/]" if summary.exposed else "0",
        )  # fmt: skip
    console.print(table)
    ties = ", ".join(f"{kind} {n}" for kind, n in sorted(run.result.ties.items()))
    console.print(
        f"Samband: {ties or 'inga'}. Insamling {run.gather_seconds:.1f} s, "
        f"LP {run.solve_seconds:.1f} s."
    )
    zeros = sum(1 for f in run.result.findings if f.interval.high < _HALF)
    if run.result.findings:
        console.print(
            f"Röjda: {len(run.result.findings)} celler, varav {zeros} som bara kan vara 0 "
            "(en visad summa är 0 eller lika med de visade delarna)."
        )
    if run.result.zeros_of_totals:
        console.print(
            f"Ej röjda: {run.result.zeros_of_totals} dolda celler som bara kan vara 0 för att en "
            "visad summa som innehåller dem är 0 (summan säger detsamma om alla i den)."
        )
    if run.result.conflicts:
        console.print(f"[yellow]{run.result.conflicts} celler visas med olika värden.[/]")
    for finding in run.result.findings[:_SHOWN_FINDINGS]:
        text = f"  röjd: {finding.analysis} / {finding.table} / {finding.describe()}"
        console.print(escape(text))
    if len(run.result.findings) > _SHOWN_FINDINGS:
        console.print(f"  … och {len(run.result.findings) - _SHOWN_FINDINGS} till")
    for skipped in run.skipped:
        console.print(f"[yellow]hoppade över {skipped}[/]")
