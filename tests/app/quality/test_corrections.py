"""Issue #5 in the application: group differencing, own regions, a principal's own unit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from likvard.access.models import AuditEvent, Role
from likvard.access.policy import viewer_for
from likvard.organisations.models import Municipality, Organizer, Region, SchoolUnit
from likvard.quality.services import basis as services
from likvard.warehouse.services import batch_import
from tests.app.conftest import World
from tests.app.quality.conftest import SMALL_UNIT
from tests.factories.access import user_with_role
from tests.factories.organisations import (
    MunicipalityFactory,
    OrganizerFactory,
    RegionFactory,
    SchoolUnitFactory,
)
from tests.factories.warehouse import enrolment_file

YEAR = 2025
MERIT = "gr9_merit_value"
FEW_GIRLS_ORGANIZER = "5569990002"
FEW_GIRLS_UNIT = "65390398"


def _block(basis, code: str):
    return next(b for b in basis.all_blocks() if b.indicator.code == code)


def _xlsx_values(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    return [c for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c]


@pytest.fixture
def few_girls(warehouse: World, tmp_path: Path) -> World:
    """``warehouse`` plus a private unit of 3 girls (merit 17.5) and 12 boys (merit 20)."""
    OrganizerFactory(
        organisation_number=FEW_GIRLS_ORGANIZER, name="Pojkskolan AB", organizer_type="enskild"
    )
    organizer = Organizer.objects.get(organisation_number=FEW_GIRLS_ORGANIZER)
    SchoolUnitFactory(
        code=FEW_GIRLS_UNIT,
        name="Pojkskolan",
        organizer=organizer,
        municipality=warehouse.own_unit.municipality,
    )
    path = tmp_path / "elever-pojkskolan.csv"
    numbers = enrolment_file(
        path, organizer=FEW_GIRLS_ORGANIZER, school_unit=FEW_GIRLS_UNIT, students=15, seed=11
    )
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    genders = ["F" if i < 3 else "M" for i in range(len(rows))]
    rows = [r.rsplit(";", 2)[0] + f";{g};nej" for r, g in zip(rows, genders, strict=True)]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    grades = tmp_path / "betyg-pojkskolan.csv"
    lines = ["personnummer;läsår;skolenhetskod;årskurs;ämne;betyg"]
    lines += [
        f"{pnr};2024/25;{FEW_GIRLS_UNIT};9;MA;{'B' if g == 'F' else 'A'}"
        for pnr, g in zip(numbers, genders, strict=True)
    ]
    grades.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch_import(path=path, kind="enrolments", by=None, organizer=organizer)
    batch_import(path=grades, kind="final_grades", by=None, organizer=organizer)
    return warehouse


def test_hidden_girls_cannot_be_worked_out_from_all_and_boys(few_girls: World):
    unit = SchoolUnit.objects.get(code=FEW_GIRLS_UNIT)
    owner = services.school_unit_basis(
        viewer=viewer_for(
            user_with_role("pojk", Role.ORGANIZER_ANALYST, organizer=FEW_GIRLS_ORGANIZER)
        ),
        school_unit=unit,
        year=YEAR,
    )
    full = _block(owner, MERIT)
    assert (full.value.value, full.by_group["girls"].value) == (pytest.approx(19.5), 17.5)
    viewer = viewer_for(few_girls.users["organizer_analyst"])
    merit = _block(services.school_unit_basis(viewer=viewer, school_unit=unit, year=YEAR), MERIT)
    assert not merit.by_group["girls"].shown
    assert not (merit.value.shown and merit.by_group["boys"].shown)
    client = Client()
    client.force_login(few_girls.users["organizer_analyst"])
    page = client.get(reverse("quality:basis-school-unit", args=[FEW_GIRLS_UNIT]), {"year": YEAR})
    assert "Pojkskolan" in page.content.decode()
    assert "17,5" not in page.content.decode()
    url = reverse("quality:basis-school-unit-download", args=[FEW_GIRLS_UNIT, "xlsx"])
    values = _xlsx_values(client.get(url, {"year": YEAR}).content)
    assert ".." in values
    assert 17.5 not in values
    assert not (pytest.approx(19.5) in values and 20.0 in values)


def test_comparisons_use_the_organizers_own_region_only(warehouse: World):
    RegionFactory(code="skaraborg", name="Skaraborg")
    skaraborg = Region.objects.get(code="skaraborg")
    MunicipalityFactory(code="1494", name="Lidköping")
    skaraborg.municipalities.set(Municipality.objects.filter(code="1494"))
    viewer = viewer_for(warehouse.users["organizer_analyst"])
    basis = services.organizer_basis(viewer=viewer, organizer=warehouse.own, year=YEAR)
    labels = {c.label_sv for c in _block(basis, MERIT).comparisons if c.kind == "region"}
    assert labels == {"Göteborgsregionen"}
    region = services.region_basis(viewer=viewer, region=skaraborg, year=YEAR)
    # a region is compared with the nation, not with itself (#16)
    assert {c.kind for c in _block(region, MERIT).comparisons} == {"nation"}


def test_principal_sees_own_unit_in_full_and_another_suppressed(small_unit: World):
    principal = user_with_role("rektorliten", Role.PRINCIPAL, school_unit=SMALL_UNIT)
    viewer = viewer_for(principal)
    own = SchoolUnit.objects.get(code=SMALL_UNIT)
    merit = _block(services.school_unit_basis(viewer=viewer, school_unit=own, year=YEAR), MERIT)
    assert (merit.value.shown, merit.value.value) == (True, pytest.approx(20.0))
    audited = AuditEvent.objects.filter(username="rektorliten", purpose="quality.basis")
    assert audited.exists()
    before = audited.count()
    other = viewer_for(small_unit.users["principal"])  # principal of Björkris, not of SMALL_UNIT
    hidden = _block(services.school_unit_basis(viewer=other, school_unit=own, year=YEAR), MERIT)
    assert (hidden.value.shown, hidden.value.mark) == (False, "..")
    organizer = Organizer.objects.get(organisation_number=own.organizer.organisation_number)
    theirs = services.organizer_basis(viewer=viewer, organizer=organizer, year=YEAR)
    # The organizer has only this unit: in the levels cube (#15) its figure is the sum of the
    # principal's own, known unit, so the gate shows it (it reveals nothing they do not see)
    # and audits the read; it is never another figure than the unit's.
    figure = _block(theirs, MERIT).value
    assert not figure.shown or figure.value == pytest.approx(20.0)
    assert audited.count() >= before
