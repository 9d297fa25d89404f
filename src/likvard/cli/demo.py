"""``likvard demo``: set up the demo region (reference data, demo users) idempotently."""

from __future__ import annotations

import click
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from likvard.access.demo import DEMO_PASSWORD, demo_users_ensure
from likvard.analyses.planning.demo import capacity_survey_demo_ensure
from likvard.analyses.surveys.demo import survey_round_demo_ensure
from likvard.knowledge.demo import knowledge_demo_ensure
from likvard.networks.demo import networks_demo_ensure
from likvard.organisations.services import reference_load
from likvard.quality.services import catalogue_load_shipped
from likvard.warehouse.demo import demo_data_import, demo_files_ensure
from likvard.warehouse.warm import warm_kept_tables, warm_pending_enqueue
from likvard_core.synth.demo import DemoFile


@click.command()
@click.option(
    "--scale",
    type=click.FloatRange(min=0.01, max=4.0),
    default=1.0,
    show_default=True,
    help="Size of the synthetic data: 1.0 is about 50 000 students a year.",
)
@click.option("--no-data", is_flag=True, help="Skip generating and importing the demo data.")
def demo(scale: float, no_data: bool) -> None:
    """Create the demo region: migrate, load reference data, demo users and ten years of data.

    The data is synthetic, for GR's and Skaraborg's municipalities, and goes in through the
    same import pipeline as a user's files. Running it again reuses what is there.
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
    with console.status("Läser in Skolverkets kvalitetssystem (mål, indikatorer) …"):
        catalogue = catalogue_load_shipped()
    console.print(
        f"Kvalitetssystemet: {catalogue.goals} mål, {catalogue.indicators} indikatorer, "
        f"{catalogue.success_factors} framgångsfaktorer"
        + ("" if catalogue.created else " (redan inläst)")
        + "."
    )
    users = demo_users_ensure()
    table = Table(title=f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD})")
    table.add_column("Användarnamn")
    table.add_column("Roll")
    for username, description in users:
        table.add_row(username, description)
    console.print(table)
    _demo_networks(console)
    created = knowledge_demo_ensure()
    console.print(f"Kunskapsbanken: {created} nya material.")
    if not no_data:
        _demo_data(console, scale)


def _demo_networks(console: Console) -> None:
    """The networks, their members and meetings; the real notes imported the first time."""
    notes_dir = settings.SHARED_DIR / "notes"
    with console.status(
        "Skapar nätverken och importerar mötesanteckningarna (OCR första gången) …"
    ):
        outcome = networks_demo_ensure(notes_dir=notes_dir)
    console.print(
        f"Nätverk: {outcome.networks} nätverk, {outcome.members} medlemskap, "
        f"{outcome.meetings} möten; anteckningar: {outcome.notes_imported} importerade, "
        f"{outcome.notes_already} redan importerade."
    )
    if outcome.notes_missing:
        console.print(
            f"Hittade inte {', '.join(outcome.notes_missing)} i {notes_dir} "
            "(sätt LIKVARD_SHARED_DIR): de mötena saknas."
        )


def _demo_data(console: Console, scale: float) -> None:
    """Generate (first time) and import the demo files, with a progress bar."""
    admin = get_user_model().objects.filter(username="admin").first()
    with console.status("Skapar syntetiska demodata (första gången tar det en stund) …"):
        demo_files_ensure(scale)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("Importerar demodata", total=None)

        def on_file(demo_file: DemoFile, index: int, total: int) -> None:
            progress.update(
                task,
                total=total,
                completed=index,
                description=f"Importerar {demo_file.kind} {demo_file.path.parent.name}",
            )

        outcome = demo_data_import(scale=scale, by=admin, on_file=on_file)
        progress.update(task, completed=outcome.imported + outcome.already)
    console.print(
        f"Demodata: {outcome.imported} filer importerade ({outcome.rows} rader), "
        f"{outcome.already} redan importerade."
    )
    with console.status("Skapar en pågående enkätomgång med svar (Kungsbacka) …"):
        answers = survey_round_demo_ensure()
    if answers:
        console.print(f"Enkätomgång: Kungsbackas elevenkät pågår, {answers} svar hittills.")
    with console.status("Öppnar GR:s kapacitetsundersökning med svar (Kungsbacka, Mölndal) …"):
        places = capacity_survey_demo_ensure()
    if places:
        console.print(
            f"Kapacitetsundersökning: GR:s är öppen, {places} rader platser inlagda "
            "(Kungsbacka inskickad, Mölndal påbörjad)."
        )
    _demo_warm(console)


def _demo_warm(console: Console) -> None:
    """The kept tables now; the regions' releases by the worker ``likvard serve`` starts.

    Deciding every region's releases takes many minutes on a busy machine (issue #18): the
    demo does not wait for it. Pages answer meanwhile from the kept tables, and a region page
    whose release the worker has not reached yet decides it on its first visit.
    """
    with console.status("Förbereder sidorna för demodata (elevströmmar med mera) …"):
        warm_kept_tables()
    if warm_pending_enqueue():
        console.print(
            "Regionsidornas sekretessgranskning görs i bakgrunden av den arbetsprocess som "
            "likvard serve startar; sidorna svarar under tiden."
        )
