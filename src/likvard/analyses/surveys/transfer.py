"""A closed round's answers into the warehouse, by the same import as a vendor's file.

Closing a round writes its answers as a vendor result file (``enkät;respondent;läsår;
skolenhetskod;årskurs;kön`` and a column per question of the version, in the definition's
order) and imports it with ``warehouse.services.batch_import`` as kind ``survey_answers``, for
the round's organizer: the same validation against the definition, the same scope check of the
school units, the same hashed respondent keys, and one data version. There is one path from an
answer to the results, whoever collected it.

Nothing is lost: the round is closed (no code accepts answers) before its answers are read, and
every stored answer becomes a respondent. Nothing is counted twice: the file is the same bytes
for the same answers (ordered by answer, no time stamp), so a second close finds the committed
batch by its content hash and imports nothing; a round that has its batch is never transferred
again.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from likvard.access.policy import Action, require, viewer_for
from likvard.analyses.surveys.models import RoundAnswer, SurveyRound
from likvard.warehouse.models import BatchStatus, ImportBatch
from likvard.warehouse.services import batch_import
from likvard_core.analytics.surveys.definition import SurveyVersion
from likvard_core.analytics.surveys.registry import definition_get

KIND = "survey_answers"
FIXED = ("enkät", "respondent", "läsår", "skolenhetskod", "årskurs", "kön")


class TransferError(ValueError):
    """The round's version is unknown (the definition was removed)."""


@dataclass(frozen=True, slots=True)
class TransferOutcome:
    """What closing did: the batch (None without answers), respondents carried, a repeat."""

    batch: ImportBatch | None
    respondents: int
    already_transferred: bool


def school_year_text(version: SurveyVersion) -> str:
    """The school year a version is answered in, as a vendor writes it (2025: ``2024/25``)."""
    spring = int(version.version)
    return f"{spring - 1}/{spring % 100:02d}"


def round_file_text(the_round: SurveyRound, version: SurveyVersion) -> tuple[str, int]:
    """The round's answers as a vendor result file, and its number of respondents."""
    codes = [q.code for q in version.questions]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow([*FIXED, *codes])
    year = school_year_text(version)
    answers = (
        RoundAnswer.objects.filter(round_class__round=the_round)
        .select_related("round_class__school_unit")
        .order_by("pk")
    )
    count = 0
    for answer in answers:
        entry = answer.round_class
        given_group = entry.year_group if answer.year_group is None else answer.year_group
        group = "" if given_group is None else str(given_group)
        given = answer.answers
        cells = ["" if given.get(c) is None else str(given[c]) for c in codes]
        respondent = f"likvard-{the_round.pk}-{answer.pk}"
        writer.writerow([version.key, respondent, year, entry.school_unit.code, group, "", *cells])
        count += 1
    return buffer.getvalue(), count


def round_close(*, round_id: int, by: AbstractBaseUser) -> TransferOutcome:
    """Close the round (its organizer's analyst only) and import its answers as a vendor file
    would be; closing again changes nothing. ``ImportRejectedError`` when the file does not
    validate (the round stays closed, and closing again retries)."""
    the_round = SurveyRound.objects.select_related("organizer", "batch").get(pk=round_id)
    organizer = the_round.organizer.organisation_number
    require(viewer_for(by), Action.IMPORT_STUDENT_DATA, organizer=organizer)
    with transaction.atomic():
        SurveyRound.objects.filter(pk=the_round.pk).update(is_open=False)
    the_round.is_open = False
    if the_round.batch is not None and the_round.batch.status == BatchStatus.COMMITTED:
        answered = RoundAnswer.objects.filter(round_class__round=the_round).count()
        return TransferOutcome(the_round.batch, answered, True)
    version = definition_get(the_round.version_key)
    if version is None:
        raise TransferError(the_round.version_key)
    text, respondents = round_file_text(the_round, version)
    if respondents == 0:
        return TransferOutcome(None, 0, False)
    with tempfile.TemporaryDirectory(prefix="likvard-round-") as folder:
        path = Path(folder) / f"likvard-omgang-{the_round.pk}.csv"
        path.write_text(text, encoding="utf-8")
        outcome = batch_import(path=path, kind=KIND, by=by, organizer=the_round.organizer)
    the_round.batch = outcome.batch
    the_round.save(update_fields=["batch"])
    return TransferOutcome(outcome.batch, respondents, outcome.already_imported)
