"""Arguments that name a region, an organizer or a school unit: the thing, or a usage error.

One rule for every command, like ``--user`` in ``likvard.cli.people``: an unknown code is a
usage error (exit 2) in the user's language, never an English string or a traceback.
"""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from likvard.organisations import selectors as organisations
from likvard.organisations.models import Organizer, Region, SchoolUnit
from likvard.organisations.selectors import NotFoundError


def cli_region(code: str) -> Region:
    """The region ``code``; an unknown code is a usage error."""
    try:
        return organisations.region_get(code=code)
    except NotFoundError:
        raise click.UsageError(_("unknown region %(code)s") % {"code": code}) from None


def cli_organizer(organisation_number: str) -> Organizer:
    """The organizer with ``organisation_number``; an unknown number is a usage error."""
    try:
        return organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError:
        raise click.UsageError(
            _("unknown organizer %(code)s") % {"code": organisation_number}
        ) from None


def cli_school_unit(code: str) -> SchoolUnit:
    """The school unit ``code``; an unknown code is a usage error."""
    try:
        return organisations.school_unit_get(code=code)
    except NotFoundError:
        raise click.UsageError(_("unknown school unit %(code)s") % {"code": code}) from None
