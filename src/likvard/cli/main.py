"""Entry point of the ``likvard`` console script."""

from __future__ import annotations

import os

import click
import django

from likvard.cli.language import cli_language, speak


def _setup_django() -> str:
    """Set Django up and activate the command line's language, which is returned."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "likvard.settings.dev")
    django.setup()
    from django.conf import settings  # noqa: PLC0415 (after setup)
    from django.utils import translation  # noqa: PLC0415

    language = cli_language(os.environ, default=settings.LANGUAGE_CODE)
    translation.activate(language)
    return language


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="likvard")
def cli() -> None:
    """Likvärd: quality follow-up for school organizers and their regions.

    Every command uses the same access rules and services as the web pages.
    """


def command_tree() -> click.Group:
    """The root command with every subcommand added (Django must be set up first)."""
    from likvard.cli import (  # noqa: PLC0415
        analyses,
        audit,
        backup,
        completion,
        demo,
        export,
        generate,
        imports,
        knowledge,
        komvux,
        movement,
        networks,
        planning,
        quality,
        reference,
        server,
        surveys,
        users,
        warm,
        worker,
    )

    for group in (
        analyses.equity,
        audit.audit,
        backup.backup,
        backup.restore,
        completion.completion,
        demo.demo,
        export.export,
        generate.generate,
        imports.import_files,
        knowledge.knowledge,
        komvux.komvux,
        movement.movement,
        networks.notes,
        planning.planning,
        quality.quality,
        reference.reference,
        server.serve,
        server.migrate,
        surveys.surveys,
        users.users,
        warm.warm,
        worker.worker,
    ):
        cli.add_command(group)
    return cli


def main() -> None:
    """Run the CLI (console script ``likvard``)."""
    language = _setup_django()
    root = command_tree()
    speak(root, language)
    root(prog_name="likvard")


if __name__ == "__main__":
    main()
