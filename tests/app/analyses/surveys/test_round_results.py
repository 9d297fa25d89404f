"""A round answered in Likvärd reaches the results by the vendor files' import: closing the round
imports its answers once, and closing it again counts nobody twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.analyses.surveys import rounds, services, transfer
from likvard.warehouse.models import ImportBatch
from tests.app.analyses.surveys.test_answering import make_round
from tests.app.conftest import World

PUPILS = 12


def _answer_on_the_page(code: str, count: int) -> None:
    for _ in range(count):
        pupil = Client()
        start = pupil.post(reverse("surveys:answer-start"), {"code": code})
        assert start.status_code == 302
        done = pupil.post(start["Location"], {"F1": "4", "F2": "1", "F3": "3", "F4": "3"})
        assert done.status_code == 200


def _trygghet(world: World) -> dict[str, object]:
    viewer = viewer_for(world.users["organizer_analyst"])
    report = services.survey_region_report(viewer=viewer, region=world.region)
    return next(
        r
        for r in report.tables["school_unit"].rows()
        if r["school_unit_code"] == world.own_unit.code and r["index_key"] == "trygghet"
    )


def test_answers_given_on_the_page_reach_the_results_once(world: World, import_dirs):
    the_round = make_round(world)
    code = the_round.classes.get().code
    _answer_on_the_page(code, PUPILS)
    analyst = world.users["organizer_analyst"]
    outcome = transfer.round_close(round_id=the_round.pk, by=analyst)
    assert (outcome.respondents, outcome.already_transferred) == (PUPILS, False)
    row = _trygghet(world)
    assert row["n"] == PUPILS
    # F1 4 -> 10, F2 1 reversed -> 10, F3 3 -> 6.67 on Skolinspektionen's 0-10
    assert row["index_value"] == pytest.approx((10 + 10 + 20 / 3) / 3)
    again = transfer.round_close(round_id=the_round.pk, by=analyst)
    assert again.already_transferred
    assert ImportBatch.objects.filter(kind="survey_answers").count() == 1
    assert _trygghet(world)["n"] == PUPILS
    with pytest.raises(rounds.AnswerError):  # closed: a late answer is refused, not lost later
        rounds.answer_submit(code=code, answers={"F1": "4"})


def test_the_file_is_the_vendor_format_and_the_same_bytes_twice(world: World):
    the_round = make_round(world)
    _answer_on_the_page(the_round.classes.get().code, 2)
    version = rounds.definition_get("gr-elev/2025")
    assert version is not None
    first, count = transfer.round_file_text(the_round, version)
    assert count == 2
    assert first == transfer.round_file_text(the_round, version)[0]
    head, row, _ = first.split("\n", 2)
    assert head.startswith("enkät;respondent;läsår;skolenhetskod;årskurs;kön;F1;")
    assert row.startswith(f"gr-elev/2025;likvard-{the_round.pk}-")
    assert ";2024/25;65390344;5;;4;1;3;3;" in row


def test_only_the_organizer_closes_its_round(world: World, import_dirs):
    the_round = make_round(world)
    with pytest.raises(PermissionDenied):
        transfer.round_close(round_id=the_round.pk, by=world.users["other_analyst"])
    the_round.refresh_from_db()
    assert the_round.is_open
