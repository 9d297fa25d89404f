"""``likvard generate``: the synthetic national data set the benchmarks run on."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _
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
    help="Share of the nation's students (1 = the whole country, about 76 million rows).",
)
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True,
              help="Random seed: the same seed and scale give the same files.")  # fmt: skip
@click.option("--years", type=click.IntRange(min=1, max=30), default=10, show_default=True,
              help="Number of school years.")  # fmt: skip
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the Parquet files in (<table>/<year>.parquet); created if needed.",
)
def generate(scale: float, seed: int, years: int, out_dir: Path) -> None:
    """Create the synthetic national data set (every municipality) the benchmarks run on.

    The same files `make bench` uses, so that anyone can reproduce BENCHMARKS.md. No
    personnummer: the student keys are pseudonyms already.
    """
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.UsageError(
            _("The folder %(folder)s is not empty; choose an empty or new one.")
            % {"folder": out_dir}
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = national_dataset(
        out_dir, seed=seed, years=years, scale=scale, reference_dir=SHIPPED_DIR
    )
    table = Table(title=_("Synthetic national data set in %(folder)s") % {"folder": out_dir})
    table.add_column(_("Table"))
    table.add_column(_("Rows"), justify="right")
    for name, count in summary.rows.items():
        table.add_row(name, f"{count:,}".replace(",", " "))
    table.add_row(_("total"), f"{summary.total_rows:,}".replace(",", " "))
    console = Console()
    console.print(table)
    console.print(
        _(
            "%(municipalities)d municipalities, %(units)d school units, "
            "%(files)d files in %(seconds).1f s."
        )
        % {
            "municipalities": summary.municipalities,
            "units": summary.school_units,
            "files": len(summary.files),
            "seconds": summary.seconds,
        }
    )
