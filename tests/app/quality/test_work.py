"""Self-evaluation and quality dialogues: services, access and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from likvard.access.policy import viewer_for
from likvard.organisations.models import SchoolUnit
from likvard.quality import selectors
from likvard.quality.models import ActionStatus, Indicator, SelfEvaluation, SuccessFactor
from likvard.quality.services.dialogues import (
    ActionEntry,
    DialogueEntry,
    dialogue_save,
    follow_up_action_set_status,
)
from likvard.quality.services.self_evaluation import SelfEvaluationEntry, self_evaluation_save
from tests.app.conftest import World
from tests.factories.organisations import SchoolUnitFactory

YEAR = 2026


def _save(world: World, role: str, unit, rating: int = 3, evidence: str = "Vi ser det i SKA."):
    user = world.users[role]
    organizer = unit.organizer if unit is not None else world.own
    factor = SuccessFactor.objects.order_by("position")[0]
    return self_evaluation_save(
        viewer=viewer_for(user),
        by=user,
        organizer=organizer,
        school_unit=unit,
        school_year=YEAR,
        entries=[SelfEvaluationEntry(factor, rating, evidence, "Fortsätta.")],
    )


def test_principal_writes_own_unit_and_updates_in_place(catalogue: World):
    _save(catalogue, "principal", catalogue.own_unit, rating=2)
    _save(catalogue, "principal", catalogue.own_unit, rating=4)
    rows = SelfEvaluation.objects.filter(school_unit=catalogue.own_unit)
    assert [(r.rating, r.school_year) for r in rows] == [(4, YEAR)]


@pytest.mark.parametrize("role", ["principal", "organizer_analyst", "regional_coordinator"])
def test_nobody_but_its_principal_writes_another_units_answers(catalogue: World, role: str):
    with pytest.raises(PermissionDenied):
        _save(catalogue, role, catalogue.other_unit)
    assert not SelfEvaluation.objects.exists()


def test_principal_cannot_write_the_organizers_summary(catalogue: World):
    with pytest.raises(PermissionDenied):
        _save(catalogue, "principal", None)
    _save(catalogue, "organizer_analyst", None)
    assert SelfEvaluation.objects.get().school_unit is None


def test_overview_lists_units_by_name_with_the_organizers_summary(catalogue: World):
    SchoolUnitFactory(
        code="65390345",
        name="Aranäs skola",
        organizer=catalogue.own,
        municipality=catalogue.own_unit.municipality,
    )
    _save(catalogue, "principal", catalogue.own_unit, rating=1)
    _save(catalogue, "organizer_analyst", None, rating=4)
    overview = selectors.self_evaluation_overview(
        viewer=viewer_for(catalogue.users["organizer_analyst"]),
        organizer=catalogue.own,
        school_year=YEAR,
    )
    # By name, not by rating: the unit rated 1 is not moved last or first.
    assert [u.name for u in overview.units] == ["Aranäs skola", "Björkris skola"]
    first = overview.factors[0]
    assert first.own is not None
    assert first.own.rating == 4
    assert [a.answer.rating if a.answer else None for a in first.units] == [None, 1]
    assert overview.may_write_own
    assert not overview.writable_units


def test_regional_coordinator_reads_only_the_summary(catalogue: World):
    _save(catalogue, "principal", catalogue.own_unit)
    _save(catalogue, "organizer_analyst", None)
    overview = selectors.self_evaluation_overview(
        viewer=viewer_for(catalogue.users["regional_coordinator"]),
        organizer=catalogue.own,
        school_year=YEAR,
    )
    assert overview.may_read_own
    assert not overview.units
    assert not overview.may_write_own
    principal = selectors.self_evaluation_overview(
        viewer=viewer_for(catalogue.users["principal"]), organizer=catalogue.own, school_year=YEAR
    )
    assert not principal.may_read_own
    assert [u.code for u in principal.units] == [catalogue.own_unit.code]
    assert principal.writable_units == {catalogue.own_unit.code}


def test_self_evaluation_pages(catalogue: World):
    client = Client()
    client.force_login(catalogue.users["principal"])
    factor = SuccessFactor.objects.order_by("position")[0]
    url = reverse("quality:self-evaluation-unit-edit", args=[catalogue.own_unit.code, YEAR])
    assert client.get(url).status_code == 200
    bad = client.post(url, {f"{factor.code}-evidence": "Utan bedömning"})
    assert bad.status_code == 400
    response = client.post(
        url, {f"{factor.code}-rating": "3", f"{factor.code}-evidence": "Elevenkäten visar det."}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Elevenkäten visar det." in page
    assert "Etablerat" in page
    other = reverse("quality:self-evaluation-unit-edit", args=[catalogue.other_unit.code, YEAR])
    assert client.post(other, {f"{factor.code}-rating": "3"}).status_code == 403
    assert (
        client.get(
            reverse("quality:self-evaluation", args=[catalogue.other.organisation_number])
        ).status_code
        == 403
    )


def _dialogue(world: World):
    user = world.users["organizer_analyst"]
    return dialogue_save(
        viewer=viewer_for(user),
        by=user,
        organizer=world.own,
        entry=DialogueEntry(
            held_on=dt.date(2026, 3, 12),
            participants="Skolverket: Anna Ek\nSPSM: Per Berg",
            participant_users=[user],
            indicators=list(Indicator.objects.filter(code="gr9_pass_all")),
            success_factors=list(SuccessFactor.objects.all()[:1]),
            development_areas="Studiero i åk 7–9",
        ),
        actions=[
            ActionEntry("Kartlägg studiero", "Rektorsgruppen", dt.date(2026, 6, 1)),
            ActionEntry("Följ upp närvaro", "Skolchef", dt.date(2026, 9, 1)),
        ],
    )


def test_dialogue_actions_stay_on_the_start_page_until_done(catalogue: World):
    dialogue = _dialogue(catalogue)
    analyst = viewer_for(catalogue.users["organizer_analyst"])
    assert [a.description for a in selectors.open_actions(viewer=analyst)] == [
        "Kartlägg studiero",
        "Följ upp närvaro",
    ]
    client = Client()
    client.force_login(catalogue.users["organizer_analyst"])
    home = client.get(reverse("web:home")).content.decode()
    assert "Kartlägg studiero" in home
    first = dialogue.actions.first()
    follow_up_action_set_status(viewer=analyst, action=first, status=ActionStatus.DONE)
    home = client.get(reverse("web:home")).content.decode()
    assert "Kartlägg studiero" not in home
    assert "Följ upp närvaro" in home
    other = viewer_for(catalogue.users["other_analyst"])
    assert selectors.open_actions(viewer=other) == []
    with pytest.raises(PermissionDenied):
        follow_up_action_set_status(viewer=other, action=first, status=ActionStatus.OPEN)


def test_dialogue_pages_and_access(catalogue: World):
    dialogue = _dialogue(catalogue)
    detail = reverse("quality:dialogue-detail", args=[dialogue.pk])
    expected = {
        "organizer_analyst": 200,
        "regional_coordinator": 200,
        "other_analyst": 403,
        "principal": 403,
    }
    for role, status in expected.items():
        client = Client()
        client.force_login(catalogue.users[role])
        assert client.get(detail).status_code == status, role
    client = Client()
    client.force_login(catalogue.users["organizer_analyst"])
    page = client.get(detail).content.decode()
    assert "Studiero i åk 7–9" in page
    assert "Anna Ek" in page
    create = reverse("quality:dialogue-create", args=[catalogue.own.organisation_number])
    response = client.post(
        create,
        {
            "held_on": "2026-10-01",
            "participants": "Skolchef",
            "development_areas": "Läsning",
            "actions-TOTAL_FORMS": "2",
            "actions-INITIAL_FORMS": "0",
            "actions-0-description": "Läslyft",
            "actions-0-owner_name": "Förvaltningen",
            "actions-0-due_on": "2026-12-01",
            "actions-0-status": "open",
            "actions-1-status": "open",
        },
    )
    assert response.status_code == 302
    listing = client.get(
        reverse("quality:dialogue-list", args=[catalogue.own.organisation_number])
    ).content.decode()
    assert "2026-10-01" in listing
    assert "Läsning" in listing
    coordinator = Client()
    coordinator.force_login(catalogue.users["regional_coordinator"])
    assert coordinator.get(create).status_code == 403


def test_schools_are_never_ranked(catalogue: World):
    # Units named so that alphabetical and rating order differ.
    for code, name in (("65390346", "Ödegårdsskolan"), ("65390347", "Almskolan")):
        SchoolUnit.objects.create(
            code=code,
            name=name,
            organizer=catalogue.own,
            municipality=catalogue.own_unit.municipality,
        )
    overview = selectors.self_evaluation_overview(
        viewer=viewer_for(catalogue.users["organizer_analyst"]),
        organizer=catalogue.own,
        school_year=YEAR,
    )
    names = [u.name for u in overview.units]
    assert names == sorted(names)


def test_self_evaluation_marks_candidate_factors_with_a_badge(catalogue: World):
    """A candidate success factor carries the short badge the rest of the product uses, and the
    explanation is written once, not "kandidat – ej verifierad ..." on every factor (#16)."""
    client = Client()
    client.force_login(catalogue.users["principal"])
    candidates = SuccessFactor.objects.filter(status="candidate").count()
    assert candidates >= 1
    for url in (
        reverse("quality:self-evaluation-unit-edit", args=[catalogue.own_unit.code, YEAR]),
        reverse("quality:self-evaluation", args=[catalogue.own.organisation_number]),
    ):
        page = client.get(f"{url}?year={YEAR}").content.decode()
        assert "kandidat – ej verifierad" not in page
        assert page.count('class="badge-candidate"') >= candidates
        assert page.count('id="candidate-note"') == 1
