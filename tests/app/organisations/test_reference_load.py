"""Loading the shipped reference tables, idempotently and all or nothing."""

from __future__ import annotations

import shutil

import pytest

from likvard.organisations.models import Municipality, Organizer, Region, SchoolUnit
from likvard.organisations.reference import SHIPPED_DIR
from likvard.organisations.register_names import readable_name
from likvard.organisations.services import ReferenceDataError, reference_load


@pytest.mark.django_db
def test_load_shipped_reference_data_twice_changes_nothing():
    first = reference_load()
    assert first.counts["municipalities"] == 290
    assert first.counts["counties"] == 21
    gr = Region.objects.get(code="gr")
    assert gr.municipalities.count() == 13
    assert Region.objects.get(code="skaraborg").municipalities.count() == 15
    assert Municipality.objects.get(code="1384").county_id == "13"
    assert SchoolUnit.objects.filter(municipality__regions=gr).count() > 500
    second = reference_load()
    assert second.counts == first.counts


@pytest.mark.django_db
def test_organizer_names_in_capitals_are_written_as_a_person_writes_them():
    reference_load()
    names = dict(Organizer.objects.values_list("organisation_number", "name"))
    assert names["2120001256"] == "Kungsbacka kommun"  # the register: KUNGSBACKA KOMMUN
    assert names["5561203679"] == "NTI Gymnasiet Macro AB"  # its own capitals are kept
    assert readable_name("SKF SVERIGE AKTIEBOLAG") == "SKF Sverige Aktiebolag"
    assert readable_name("BÖSKOLANS FRISKOLA EK.FÖR.") == "Böskolans Friskola ek.för."


@pytest.mark.django_db
def test_bad_newer_file_names_row_and_column_and_loads_nothing(tmp_path):
    for path in SHIPPED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    municipalities = tmp_path / "municipalities.csv"
    lines = municipalities.read_text(encoding="utf-8").splitlines()
    lines[5] = "14X0,Felkommun,14"
    municipalities.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        reference_load(directory=tmp_path)
    assert [str(p) for p in error.value.problems] == [
        "municipalities.csv:6:code: expected a value matching ^\\d{4}$"
    ]
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_newer_file_updates_names(tmp_path):
    reference_load()
    for path in SHIPPED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    path = tmp_path / "municipalities.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",Öckerö,", ",Öckerö kommun,"), encoding="utf-8"
    )
    reference_load(directory=tmp_path)
    assert Municipality.objects.get(code="1407").name == "Öckerö kommun"
    assert Municipality.objects.count() == 290


@pytest.mark.django_db
def test_school_unit_of_unknown_organizer_is_reported(tmp_path):
    for path in SHIPPED_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    units = tmp_path / "school_units.csv"
    lines = units.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(",")
    fields[3] = "5599999999"
    lines[3] = ",".join(fields)
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        reference_load(directory=tmp_path)
    assert [str(p) for p in error.value.problems] == [
        "school_units.csv:4:organisation_number: expected a value listed in organizers.csv"
    ]
