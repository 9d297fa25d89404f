"""``likvard backup DIR`` and ``likvard restore DIR``."""

from __future__ import annotations

from pathlib import Path

import click

from likvard.warehouse.backup import BackupError, BackupSummary, backup_create, backup_restore


def _echo(summary: BackupSummary, verb: str) -> None:
    click.echo(
        f"{verb} {summary.folder}: databas ({summary.database}), {summary.warehouse_files} "
        f"lagerfiler, {summary.uploads} uppladdningar under arbete, {summary.versions} "
        f"dataversioner (senast {summary.newest_version or 'ingen'})."
    )


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup(folder: Path) -> None:
    """Back up the installation into FOLDER (new or empty), while it runs.

    The app database (SQLite's online backup, or pg_dump), every warehouse file its manifest
    names, and uploads still being imported, with MANIFEST.json. The pseudonym key is NOT in
    it: keep that apart (docs/operations.md). FOLDER holds personal data: protect it so.
    """
    try:
        _echo(backup_create(folder=folder), "Säkerhetskopierade till")
    except BackupError as error:
        raise click.ClickException(str(error)) from error


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Restore over existing data or another key.")
def restore(folder: Path, force: bool) -> None:
    """Restore the backup in FOLDER into this installation, which must hold no data.

    Put the pseudonym key in place first (LIKVARD_PSEUDONYM_KEY or the key file): a backup
    made with another key is refused. Then start the worker (or run `likvard warm`) to
    compute the kept tables again.
    """
    try:
        _echo(backup_restore(folder=folder, force=force), "Återställde från")
    except BackupError as error:
        raise click.ClickException(str(error)) from error
