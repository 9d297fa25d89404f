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

A round also closes by itself after its last day: the task worker runs ``rounds_close_due``
(``surveys.tasks``), which imports its answers the same way, by no one.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from likvard.access.policy import Action, require, viewer_for
from likvard.analyses.surveys.models import RoundAnswer, SurveyRound
from likvard.warehouse.models import BatchStatus, ImportBatch
from likvard.warehouse.services import ImportRejectedError, batch_import
from likvard.warehouse.tasks import worker_id
from likvard.warehouse.warm import warm_after_import
from likvard_core.analytics.surveys.definition import SurveyVersion
from likvard_core.analytics.surveys.registry import definition_get
from likvard_core.warehouse.lifecycle import pid_alive

logger = logging.getLogger(__name__)

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
    return _transfer(the_round, by)


def rounds_close_due(*, today: datetime.date | None = None) -> list[TransferOutcome]:
    """Close every open round whose last day (``closes_on``) is before ``today`` (default: the
    local date) and import its answers as ``round_close`` does, by no one (the task worker).

    Each round is claimed by one conditional update that records when and by which worker
    process, so two workers never import it twice, and a closed round is never picked again
    once its claim is settled (imported, without answers, or refused: a refused round stays
    closed without a batch, logged, and its page offers to carry the answers over again). A
    claim whose worker died before settling it (``closing_claim_stale``) is claimed again.
    Returns what each did.
    """
    day = today or timezone.localdate()
    outcomes = []
    for round_id in list(
        SurveyRound.objects.filter(is_open=True, closes_on__lt=day)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        claimed = SurveyRound.objects.filter(pk=round_id, is_open=True).update(
            is_open=False, closing_claimed_at=timezone.now(), closing_claimed_by=worker_id()
        )
        if claimed:  # else another worker closed it meanwhile
            outcomes.extend(_close_claimed(round_id))
    for stale in rounds_claim_stale():
        reclaimed = SurveyRound.objects.filter(
            pk=stale.pk,
            closing_claimed_at=stale.closing_claimed_at,
            closing_claimed_by=stale.closing_claimed_by,
        ).update(closing_claimed_at=timezone.now(), closing_claimed_by=worker_id())
        if reclaimed:
            logger.warning(
                "round %s: its closing by %s was interrupted; claimed again",
                stale.pk, stale.closing_claimed_by,
            )  # fmt: skip
            outcomes.extend(_close_claimed(stale.pk))
    return outcomes


def rounds_claim_stale() -> list[SurveyRound]:
    """Closed rounds whose claim for closing was never settled (see ``closing_claim_stale``)."""
    claimed = SurveyRound.objects.filter(is_open=False, closing_claimed_at__isnull=False)
    return [r for r in claimed.order_by("pk") if closing_claim_stale(r)]


def closing_claim_stale(the_round: SurveyRound, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``the_round``'s claim for closing is left by a worker that died: its process on
    this host is gone, or (another host, or a process id used again) the claim is older than
    ``LIKVARD_IMPORT_JOB_STALE_SECONDS``."""
    if the_round.closing_claimed_at is None:
        return False
    bound = datetime.timedelta(seconds=settings.LIKVARD_IMPORT_JOB_STALE_SECONDS)
    if the_round.closing_claimed_at < (now or timezone.now()) - bound:
        return True
    host, _sep, pid = the_round.closing_claimed_by.rpartition(":")
    if host == socket.gethostname()[:50] and pid.isdigit():
        return not pid_alive(int(pid))
    return False


def _close_claimed(round_id: int) -> list[TransferOutcome]:
    """Import a claimed round's answers, then settle its claim (also when refused)."""
    the_round = SurveyRound.objects.select_related("organizer", "batch").get(pk=round_id)
    try:
        return [_transfer(the_round, None)]
    except (ImportRejectedError, TransferError) as error:
        logger.warning("round %s closed, its answers not imported: %s", round_id,
                       type(error).__name__)  # fmt: skip
        return []
    finally:
        SurveyRound.objects.filter(pk=round_id).update(
            closing_claimed_at=None, closing_claimed_by=""
        )


def _transfer(the_round: SurveyRound, by: AbstractBaseUser | None) -> TransferOutcome:
    """Import a closed round's answers (once: a round with its batch is not read again) and
    queue the new data version's warm-up, so the results pages move to it."""
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
    if not outcome.already_imported:
        warm_after_import(queued=True)
    return TransferOutcome(outcome.batch, respondents, outcome.already_imported)
