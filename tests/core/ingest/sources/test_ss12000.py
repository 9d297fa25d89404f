"""SS 12000 export bundles import as enrolments, through the same validation as a CSV."""

from __future__ import annotations

import functools

import pyarrow.compute as pc

from likvard_core.ingest.pipeline import ingest_file
from likvard_core.ingest.sources.ss12000 import convert_bundle, ingest_ss12000, looks_like_ss12000
from tests.core.ingest.synthetic import broken_personnummer, personnummer
from tests.factories.ss12000 import bundle, enrolment, person


def _persons():
    return [
        person(1, [enrolment("s1", "GY", 1, programme={"id": "prog-na"})]),
        person(2, [enrolment("s2", "GR", 9)], sex="Man"),
        person(3, [enrolment("s2", "GR", 8, cancelled=True)]),
        person(
            4,
            [
                enrolment("s2", "GR", 9, startDate="2023-08-15", endDate="2024-06-10"),
                enrolment("s1", "GY", 1, programme={"id": "prog-na"}),
            ],
        ),
    ]


def _ingest(tmp_path, key, document: bytes):
    path = tmp_path / "export.json"
    path.write_bytes(document)
    assert looks_like_ss12000(path)
    bound = functools.partial(ingest_file, kind="enrolments", pseudonym_key=key)
    return ingest_ss12000(path, bound)


def test_active_enrolments_on_the_census_date_become_rows(tmp_path, key):
    result, conversion = _ingest(tmp_path, key, bundle(_persons()))
    assert result.issues == []
    assert str(conversion.census) == "2024-10-15"  # the latest 15 October before the export
    table = result.tables["enrolments"].sort_by("school_unit_code")
    assert table.num_rows == 3  # person 3 cancelled, person 4's grundskola ended in June
    assert table["school_year"].to_pylist() == [2025, 2025, 2025]
    assert table["school_unit_code"].to_pylist() == ["12345678", "12345678", "87654321"]
    assert table["organizer_code"].to_pylist() == ["2120001256"] * 3
    assert table["programme_code"].to_pylist() == ["NA", "NA", None]
    assert table["school_form"].to_pylist() == ["gymnasieskola", "gymnasieskola", "grundskola"]
    assert table["grade_year"].to_pylist() == [1, 1, 9]
    assert sorted(table["gender"].to_pylist()) == ["F", "F", "M"]
    assert set(table["home_municipality_code"].to_pylist()) == {"1384"}
    keys = table["student_key"].to_pylist()
    assert all(personnummer(i) not in keys for i in range(1, 5))
    assert pc.min(pc.utf8_length(table["student_key"])).as_py() >= 32


def test_the_census_date_can_be_given(tmp_path, key):
    result, conversion = _ingest(tmp_path, key, bundle(_persons(), censusDate="2024-05-01"))
    assert result.issues == []
    assert str(conversion.census) == "2024-05-01"
    table = result.tables["enrolments"]
    assert table.num_rows == 1  # only person 4's grundskola enrolment was active then
    assert table["school_year"].to_pylist() == [2024]


def test_errors_point_into_the_json_and_never_show_the_number(tmp_path, key):
    bad = broken_personnummer(7)
    persons = _persons()
    persons.append(person(7, [enrolment("s2", "GR", 9)], civic=bad))
    persons.append(person(8, [enrolment("nowhere", "GR", 9)]))
    persons.append(person(9, [enrolment("s2", "GR", 12)], sex="Okänt"))
    result, _ = _ingest(tmp_path, key, bundle(persons))
    assert result.tables == {}
    where = {(i.row, i.column, i.code) for i in result.issues}
    assert (6, "persons.data[5].enrolments[0].enroledAt", "inconsistent_values") in where
    assert any(r == 5 and c == "persons.data[4].civicNo.value" for r, c, _ in where)
    assert any(r == 7 and c == "persons.data[6].sex" for r, c, _ in where)
    assert any(r == 7 and c == "persons.data[6].enrolments[0].schoolYear" for r, c, _ in where)
    assert all(i.file == "export.json" for i in result.issues)
    text = "\n".join(i.format_cli() + i.message_sv for i in result.issues)
    assert bad not in text
    assert bad.replace("-", "") not in text


def test_not_an_export_bundle_is_one_clear_issue(tmp_path, key):
    for document, expected in (
        (b"{not json", "a JSON document in UTF-8"),
        (b'{"persons": []}', '"organisations": {"data": [...]} as the SS 12000 API answers'),
        (bundle([{"id": "p", "meta": {}}]), "censusDate (YYYY-MM-DD) or persons' meta.modified"),
    ):
        conversion = convert_bundle(document, file_name="x.json")
        assert [(i.row, i.code, i.expected) for i in conversion.issues] == [
            (0, "invalid_json", expected)
        ]
        result, _ = _ingest(tmp_path, key, document)
        assert result.tables == {}
        assert result.issues
