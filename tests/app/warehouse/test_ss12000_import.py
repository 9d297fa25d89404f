"""An SS 12000 JSON export imports as enrolments through the app's import service."""

from __future__ import annotations

import pytest

from likvard.warehouse.selectors import data_version_get
from likvard.warehouse.services import ImportRejectedError, batch_import
from tests.app.conftest import World
from tests.factories.ss12000 import bundle, enrolment, person


@pytest.mark.django_db
def test_ss12000_bundle_imports_once_and_checks_the_register(world: World, import_dirs):
    units = (world.own_unit.code, world.own_unit.code)
    persons = [
        person(i, [enrolment("s2", "GR", 9)], sex="Kvinna" if i % 2 else "Man")
        for i in range(1, 13)
    ]
    path = import_dirs / "ss12000-export.json"
    path.write_bytes(bundle(persons, units=units, organizer=world.own.organisation_number))

    outcome = batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    assert outcome.rows == {"enrolments": 12}
    with data_version_get().open() as snapshot:
        rows = snapshot.query(
            "SELECT school_unit_code, count(*) AS n FROM enrolments GROUP BY ALL"
        ).to_pylist()
    assert rows == [{"school_unit_code": world.own_unit.code, "n": 12}]
    again = batch_import(path=path, kind="enrolments", by=None, organizer=world.own)
    assert again.already_imported

    unknown = import_dirs / "unknown-unit.json"
    unknown.write_bytes(bundle(persons, units=("99999999", "99999998")))
    with pytest.raises(ImportRejectedError) as rejected:
        batch_import(path=unknown, kind="enrolments", by=None, organizer=world.own)
    first = rejected.value.issues[0]
    assert (first.file, first.row, first.code) == ("unknown-unit.json", 1, "unknown_school_unit")
    assert first.column == "persons.data[0].enrolments[0].enroledAt"
