"""``likvard users``: create people and give them roles, and API tokens."""

from __future__ import annotations

import sys

import click
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from likvard.access.models import Role
from likvard.access.services import RoleSpec, user_create
from likvard.access.tokens import api_token_create


@click.group()
def users() -> None:
    """People and their roles."""


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--region", help="Region code for a regional coordinator or network role.")
@click.option("--organizer", help="Organisation number for an organizer analyst.")
@click.option("--school-unit", help="School unit code for a principal.")
@click.password_option()
def create(
    username: str,
    role: str,
    region: str | None,
    organizer: str | None,
    school_unit: str | None,
    password: str,
) -> None:
    """Create USERNAME with one role; the password must pass the password rules."""
    spec = RoleSpec(Role(role), region=region, organizer=organizer, school_unit=school_unit)
    try:
        user_create(username=username, password=password, roles=[spec])
    except ValidationError as error:
        for message in error.messages:
            click.echo(_("error: %(message)s") % {"message": message}, err=True)
        sys.exit(1)
    click.echo(_("Created %(user)s (%(role)s).") % {"user": username, "role": role})


@users.command("token")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="A name for the token.")
def token(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it (it is shown only once)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        click.echo(_("error: no user called %(user)s") % {"user": username}, err=True)
        sys.exit(1)
    click.echo(api_token_create(user=user, name=name).secret)
