"""``likvard backup DIR`` and ``likvard restore DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _

from likvard.warehouse.backup import BackupError, BackupSummary, backup_create, backup_restore


def _echo(summary: BackupSummary, verb: str) -> None:
    message = _(
        "%(verb)s %(folder)s: database (%(database)s), %(files)d warehouse files, "
        "%(uploads)d uploads in progress, %(versions)d data versions (newest %(newest)s)."
    )
    newest = summary.newest_version or _("none")
    click.echo(
        message
        % {
            "verb": verb,
            "folder": summary.folder,
            "database": summary.database,
            "files": summary.warehouse_files,
            "uploads": summary.uploads,
            "versions": summary.versions,
            "newest": newest,
        }
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
        _echo(backup_create(folder=folder), _("Backed up to"))
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
        _echo(backup_restore(folder=folder, force=force), _("Restored from"))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
