"""``likvard audit disclosure``: can any hidden figure be worked out from what a viewer sees?"""

from __future__ import annotations

import csv
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

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
    "--viewer", "usernames", multiple=True,
    help="Audit as this user (repeatable); every user if left out.",
)  # fmt: skip
@click.option(
    "--analysis", "analyses", multiple=True, type=click.Choice(analyses()),
    help="Audit only this analysis (repeatable); every analysis if left out.",
)  # fmt: skip
@click.option(
    "--protection", type=float, default=1.0, show_default=True,
    help="A hidden cell is exposed when its feasible interval is narrower than this.",
)  # fmt: skip
@click.option(
    "--each", is_flag=True,
    help="Audit each analysis on its own (quality with open data: they share cells).",
)  # fmt: skip
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Append a line per region, viewer and analysis to this CSV file.",
)  # fmt: skip
@click.option(
    "--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Save what each run gathered in this folder (to re-solve without the services).",
)  # fmt: skip
def disclosure(
    region_code: str | None,
    year: int | None,
    usernames: tuple[str, ...],
    analyses: tuple[str, ...],
    protection: float,
    each: bool,
    csv_path: Path | None,
    keep: Path | None,
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
    if usernames:
        users = users.filter(username__in=usernames)
        unknown = sorted(set(usernames) - set(users.values_list("username", flat=True)))
        if unknown:
            raise click.UsageError(f"unknown user {', '.join(unknown)}")
    console = Console(width=120)
    exposed = 0
    for user in users:
        for region in regions:
            for only in _runs(analyses, each=each):
                saved = None
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    names = "+".join(sorted(only or ["all"]))
                    saved = keep / f"{region.code}-{user.username}-{names}.pickle"
                run = disclosure_audit(
                    viewer=viewer_for(user), region=region, year=year, protection=protection,
                    only=only, keep=saved,
                )  # fmt: skip
                _print(console, run)
                if csv_path is not None:
                    _append(csv_path, run, year)
                exposed += run.result.exposed
    sys.exit(1 if exposed else 0)


_TOGETHER = {"opendata": "quality"}
"""Analyses audited with another in ``--each`` because their tables share cells."""
_COLUMNS = (
    "date", "region", "viewer", "year", "analysis", "tables", "released", "hidden", "exposed",
    "gather_seconds", "lp_seconds", "load", "lp_solved_for", "fingerprint",
)  # fmt: skip


def _runs(chosen: tuple[str, ...], *, each: bool) -> list[set[str] | None]:
    """The analyses of each run: all in one, or one run per analysis (with its partners)."""
    if not each:
        return [set(chosen) or None]
    names = list(chosen) or analyses()
    runs: dict[str, set[str]] = {}
    for name in names:
        runs.setdefault(_TOGETHER.get(name, name), set()).add(name)
    for lead, partners in runs.items():
        partners.add(lead)
        partners.update(n for n, with_ in _TOGETHER.items() if with_ == lead)
    return list(runs.values())


def _append(path: Path, run: AuditRun, year: int | None) -> None:
    """One CSV line per analysis of ``run``: its cells, the seconds and the load average."""
    new = not path.exists()
    load = f"{os.getloadavg()[0]:.1f}"
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(_COLUMNS)
        for s in run.result.summaries:
            writer.writerow([
                datetime.now(UTC).strftime("%Y-%m-%d %H:%M"), run.region, run.viewer,
                year or "", s.analysis, s.tables, s.released, s.hidden, s.exposed,
                f"{run.gather_by_analysis.get(s.analysis, 0.0):.1f}",
                f"{0.0 if run.solved_for else s.seconds:.1f}", load, run.solved_for or "",
                run.fingerprint,
            ])  # fmt: skip


def _print(console: Console, run: AuditRun) -> None:
    table = Table(title=f"Röjandekontroll: {run.region}, som {run.viewer}")
    headers = ("Analys", "Tabeller", "Visade celler", "Dolda celler", "Röjda celler", "Sekunder")
    for header in headers:
        table.add_column(header, justify="left" if header == "Analys" else "right")
    for summary in run.result.summaries:
        lp = 0.0 if run.solved_for else summary.seconds
        seconds = run.gather_by_analysis.get(summary.analysis, 0.0) + lp
        table.add_row(
            summary.analysis, str(summary.tables), str(summary.released), str(summary.hidden),
            f"[bold red]{summary.exposed}[/]" if summary.exposed else "0", f"{seconds:.1f}",
        )  # fmt: skip
    console.print(table)
    ties = ", ".join(f"{kind} {n}" for kind, n in sorted(run.result.ties.items()))
    console.print(
        f"Samband: {ties or 'inga'}. Insamling {run.gather_seconds:.1f} s, "
        f"LP {run.solve_seconds:.1f} s."
    )
    if run.solved_for:
        console.print(
            f"Samma siffror (fingeravtryck {run.fingerprint[:12]}) som för {run.solved_for}: "
            "dess LP-lösning används, inget löstes om."
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
