"""``likvard generate``: the synthetic national data set the benchmarks run on."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from likvard.organisations.reference import SHIPPED_DIR
from likvard_core.synth.national import national_dataset


@click.command("generate")
@click.option(
    "--scale",
    type=click.FloatRange(min=0.0001, max=10.0),
    default=1.0,
    show_default=True,
    help="Andel av landets elever (1 = hela landet, omkring 55 miljoner rader).",
)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
              help="Slumpfrö: samma frö och skala ger samma filer.")  # fmt: skip
@click.option("--years", type=click.IntRange(min=1, max=30), default=10, show_default=True,
              help="Antal läsår.")  # fmt: skip
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Mapp att skriva Parquet-filerna i (<tabell>/<läsår>.parquet); skapas vid behov.",
)
def generate(scale: float, seed: int, years: int, out_dir: Path) -> None:
    """Skapa det syntetiska nationella datasetet (alla kommuner) som benchmarks körs på.

    Samma filer som `make bench` använder, så att BENCHMARKS.md kan återskapas av vem som
    helst. Inga personnummer: elevnycklarna är redan pseudonymer.
    """
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.UsageError(f"Mappen {out_dir} är inte tom; välj en tom eller ny mapp.")
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = national_dataset(
        out_dir, seed=seed, years=years, scale=scale, reference_dir=SHIPPED_DIR
    )
    table = Table(title=f"Syntetiskt nationellt dataset i {out_dir}")
    table.add_column("Tabell")
    table.add_column("Rader", justify="right")
    for name, count in summary.rows.items():
        table.add_row(name, f"{count:,}".replace(",", " "))
    table.add_row("totalt", f"{summary.total_rows:,}".replace(",", " "))
    console = Console()
    console.print(table)
    console.print(
        f"{summary.municipalities} kommuner, {summary.school_units} skolenheter, "
        f"{len(summary.files)} filer på {summary.seconds:.1f} s."
    )
