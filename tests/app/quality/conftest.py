"""The catalogue loaded into the database, on top of the ``world`` of tests/app/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from likvard.access.models import Role
from likvard.organisations.models import Organizer
from likvard.quality.models import Indicator, SuccessFactor
from likvard.quality.services import basis as basis_services
from likvard.quality.services.catalogue import catalogue_load_shipped
from likvard.warehouse.services import batch_import
from tests.app.analyses.conftest import warehouse  # noqa: F401  (fixture)
from tests.app.conftest import World
from tests.factories.access import user_with_role
from tests.factories.organisations import OrganizerFactory, SchoolUnitFactory
from tests.factories.warehouse import enrolment_file


@pytest.fixture
def catalogue(world: World) -> World:
    """``world`` with the shipped catalogue loaded."""
    catalogue_load_shipped()
    assert SuccessFactor.objects.exists()
    return world


DIALOGUE_PK = 9101
ACTION_PK = 9201
LOCAL_CODE = "lokal-kungsbacka-studiero"


def route_matrix_quality(world: World) -> None:
    """The catalogue and one quality dialogue of ``world.own`` at fixed keys (route matrix)."""
    import datetime as dt

    from likvard.quality.models import FollowUpAction, QualityDialogue

    catalogue_load_shipped()
    local_indicator(world, code=LOCAL_CODE)
    dialogue = QualityDialogue.objects.create(
        pk=DIALOGUE_PK, organizer=world.own, held_on=dt.date(2026, 3, 1)
    )
    FollowUpAction.objects.create(
        pk=ACTION_PK,
        dialogue=dialogue,
        description="Följ upp studiero",
        owner_name="Skolchef",
        due_on=dt.date(2026, 6, 1),
    )


def local_indicator(world: World, *, code: str = LOCAL_CODE) -> Indicator:
    """A local indicator of ``world.own`` (Kungsbacka), in percent, in force from 2020."""
    from likvard.quality.models import IndicatorRevision

    indicator = Indicator.objects.create(code=code, organizer=world.own, position=10_000)
    IndicatorRevision.objects.create(
        indicator=indicator,
        valid_from=2020,
        name="Elever som upplever studiero",
        definition="Andel elever i årskurs 9 som svarar att de har studiero på lektionerna.",
        unit="percent",
        direction="higher_better",
        data_source="none",
        school_forms=["grundskola"],
        kind="perception",
        status="verified",
    )
    return indicator


SMALL_UNIT = "65390399"
SMALL_ORGANIZER = "5569990001"


@pytest.fixture
def small_unit(warehouse: World, tmp_path: Path) -> World:  # noqa: F811  (fixture)
    """``warehouse`` plus a small private organizer whose one school unit has three year-9
    students, all graded A in mathematics: its figures are under every minimum group. Its
    analyst is ``world.users["small_analyst"]``."""
    OrganizerFactory(
        organisation_number=SMALL_ORGANIZER, name="Lilla friskolan AB", organizer_type="enskild"
    )
    organizer = Organizer.objects.get(organisation_number=SMALL_ORGANIZER)
    SchoolUnitFactory(
        code=SMALL_UNIT,
        name="Lilla skolan",
        organizer=organizer,
        municipality=warehouse.own_unit.municipality,
    )
    warehouse.users["small_analyst"] = user_with_role(
        "liten", Role.ORGANIZER_ANALYST, organizer=SMALL_ORGANIZER
    )
    enrolments = tmp_path / "elever-liten.csv"
    numbers = enrolment_file(
        enrolments, organizer=SMALL_ORGANIZER, school_unit=SMALL_UNIT, students=3, seed=7
    )
    grades = tmp_path / "betyg-liten.csv"
    lines = ["personnummer;läsår;skolenhetskod;årskurs;ämne;betyg"]
    lines += [f"{pnr};2024/25;{SMALL_UNIT};9;MA;A" for pnr in numbers]
    grades.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch_import(path=enrolments, kind="enrolments", by=None, organizer=organizer)
    batch_import(path=grades, kind="final_grades", by=None, organizer=organizer)
    return warehouse


def downloaded(client: Client, url: str, params: dict[str, object] | None = None) -> bytes:
    """The file behind a download link, following a region export job (issue #18) to its file.

    Region PDFs, slides and Word files are made by the worker: the link answers with the job's
    page, and the suite's task backend has already run the job when it does.
    """
    response = client.get(url, params or {})
    if response.status_code == 302 and "/export/" in response["Location"]:
        response = client.get(response["Location"] + "fil/")
    assert response.status_code == 200, response.status_code
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the username of every viewer whose analysis basis is computed (not read
    from the cache): the list fills as ``_build`` runs."""
    built: list[str] = []
    real = basis_services._build

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        built.append(kwargs["viewer"].username)
        return real(**kwargs)

    monkeypatch.setattr(basis_services, "_build", counting)
    return built
