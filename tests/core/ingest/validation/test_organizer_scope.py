"""An organizer's upload: every row must name one of the organizer's school units."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from likvard_core.ingest import SchoolUnitScope, ingest_file
from tests.core.ingest import synthetic

OWN = frozenset(synthetic.SCHOOL_UNITS[:3])
FOREIGN = synthetic.SCHOOL_UNITS[3]  # in the register, another organizer's
REGISTER = frozenset(synthetic.SCHOOL_UNITS)


def _scope(**years: tuple[int | None, int | None]) -> SchoolUnitScope:
    return SchoolUnitScope(
        "Kungsbacka kommun", {code: years.get(code, (None, None)) for code in OWN}
    )


def _codes(result):
    return [(i.row, i.column, i.code, i.value_hint) for i in result.issues]


@pytest.mark.parametrize("kind", sorted(synthetic.HEADERS))
def test_rows_of_another_organizers_unit_are_named_and_nothing_is_imported(tmp_path, key, kind):
    rows = [synthetic.row(kind, i) for i in range(12)]  # unit i % 4: rows 3, 7, 11 are FOREIGN
    path = synthetic.write_rows(tmp_path / f"{kind}.csv", kind, rows)
    result = ingest_file(
        path, kind, pseudonym_key=key, known_school_units=REGISTER, school_unit_scope=_scope()
    )
    assert result.tables == {}
    assert _codes(result) == [
        (row, "skolenhetskod", "outside_organizer", FOREIGN) for row in (5, 9, 13)
    ]
    message = result.issues[0].format_cli()
    assert message == (
        f"{kind}.csv:5:skolenhetskod: school unit not one of the organizer's; expected one of "
        f"the organizer's school units (Kungsbacka kommun) (got '{FOREIGN}')"
    )
    assert "huvudmannens skolenheter" in result.issues[0].message_sv


def test_without_a_scope_every_unit_in_the_register_is_accepted(tmp_path, key):
    rows = [synthetic.row("enrolments", i) for i in range(12)]
    path = synthetic.write_rows(tmp_path / "e.csv", "enrolments", rows)
    result = ingest_file(path, "enrolments", pseudonym_key=key, known_school_units=REGISTER)
    assert result.ok
    assert result.tables["enrolments"].num_rows == 12


def test_an_own_file_imports_and_an_unknown_unit_is_only_unknown(tmp_path, key):
    rows = [synthetic.row("final_grades", i) for i in range(12) if i % 4 != 3]
    path = synthetic.write_rows(tmp_path / "g.csv", "final_grades", rows)
    scope = _scope()
    assert ingest_file(
        path,
        "final_grades",
        pseudonym_key=key,
        known_school_units=REGISTER,
        school_unit_scope=scope,
    ).ok
    rows[2][2] = "99999999"
    path = synthetic.write_rows(tmp_path / "g.csv", "final_grades", rows)
    result = ingest_file(
        path,
        "final_grades",
        pseudonym_key=key,
        known_school_units=REGISTER,
        school_unit_scope=scope,
    )
    assert _codes(result) == [(4, "skolenhetskod", "unknown_school_unit", None)]


def test_a_unit_counts_only_for_the_school_years_the_register_gives_it(tmp_path, key):
    rows = [synthetic.row("enrolments", i) for i in range(12) if i % 4 != 3]
    rows[1][1] = "2019/20"
    path = synthetic.write_rows(tmp_path / "e.csv", "enrolments", rows)
    unit = rows[1][2]
    scope = _scope(**{unit: (2021, None)})
    result = ingest_file(path, "enrolments", pseudonym_key=key, school_unit_scope=scope)
    assert _codes(result) == [(3, "skolenhetskod", "outside_organizer", unit)]
    later = _scope(**{unit: (2020, 2025)})
    assert ingest_file(path, "enrolments", pseudonym_key=key, school_unit_scope=later).ok


def test_a_parquet_upload_is_scoped_like_a_csv(tmp_path, key):
    header = synthetic.HEADERS["national_tests"]
    rows = [synthetic.row("national_tests", i) for i in range(8)]
    path = tmp_path / "prov.parquet"
    pq.write_table(pa.table({h: [r[i] for r in rows] for i, h in enumerate(header)}), path)
    result = ingest_file(path, "national_tests", pseudonym_key=key, school_unit_scope=_scope())
    assert _codes(result) == [
        (5, "skolenhetskod", "outside_organizer", FOREIGN),
        (9, "skolenhetskod", "outside_organizer", FOREIGN),
    ]


def test_a_region_scope_names_the_region_in_its_own_words(tmp_path, key):
    rows = [synthetic.row("admissions", i) for i in range(8)]  # rows 3 and 7 are FOREIGN
    path = synthetic.write_rows(tmp_path / "antagning.csv", "admissions", rows)
    scope = SchoolUnitScope(
        "Göteborgsregionen", dict.fromkeys(OWN, (None, None)), issue="outside_region"
    )
    result = ingest_file(
        path, "admissions", pseudonym_key=key, known_school_units=REGISTER, school_unit_scope=scope
    )
    assert result.tables == {}
    assert _codes(result) == [(row, "skolenhetskod", "outside_region", FOREIGN) for row in (5, 9)]
    assert "region's municipalities (Göteborgsregionen)" in result.issues[0].format_cli()
    assert "regionens kommuner (Göteborgsregionen)" in result.issues[0].message_sv
