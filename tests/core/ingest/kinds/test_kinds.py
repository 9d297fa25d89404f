"""Student-level kinds, population, readers and issues on small synthetic files."""

from __future__ import annotations

import openpyxl
import pyarrow.compute as pc
import pytest

from likvard_core.ingest import KINDS, Issue, Preview, detect_columns, ingest_file
from likvard_core.ingest.issues import MAX_ISSUES_PER_FILE, TEMPLATES
from likvard_core.warehouse.schema import FACT_TABLES
from tests.core.ingest import synthetic

STUDENT_KINDS = sorted(synthetic.HEADERS)


def _codes(result):
    return [(issue.row, issue.column, issue.code) for issue in result.issues]


@pytest.mark.parametrize("kind", STUDENT_KINDS)
def test_every_student_kind_imports(tmp_path, key, kind):
    path = synthetic.write_kind(tmp_path / f"{kind}.csv", kind, 50)
    result = ingest_file(path, kind, pseudonym_key=key, batch_id="b")
    assert result.issues == []
    table = result.tables[kind]
    assert table.schema.equals(FACT_TABLES[kind].schema)
    assert table.num_rows == 50
    assert "personnummer" not in table.column_names
    assert all(len(k) == 32 for k in table["student_key"].to_pylist())


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", "\t"), ("utf-8", ","), ("utf-8", "\t")],
)
def test_encodings_and_delimiters(tmp_path, key, encoding, delimiter):
    path = synthetic.write_kind(
        tmp_path / "e.csv", "enrolments", 20, encoding=encoding, delimiter=delimiter
    )
    result = ingest_file(path, "enrolments", pseudonym_key=key)
    assert result.issues == []
    assert result.tables["enrolments"].num_rows == 20


def test_preamble_and_header_aliases(tmp_path, key):
    rows = [synthetic.row("final_grades", i) for i in range(5)]
    header = "Personnummer;LÄSÅR;Skol-enhetskod;Årskurs;Ämne;Betyg;Språkval"
    text = "Betygsexport från elevregistret\nUttag 2025-06-20\n\n" + header + "\n"
    text += "\n".join(";".join(r) for r in rows) + "\n"
    path = tmp_path / "betyg.csv"
    path.write_text(text, encoding="cp1252")
    result = ingest_file(path, "final_grades", pseudonym_key=key)
    assert result.issues == []
    assert result.tables["final_grades"]["grade"].to_pylist() == list("ABCDE")


def test_workbook_reads_numbers_as_text(tmp_path, key):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(synthetic.HEADERS["enrolments"])
    for index in range(10):
        cells: list[object] = synthetic.row("enrolments", index)
        cells[5] = int(str(cells[5]))  # årskurs as a number
        cells[7] = 180  # kommunkod 0180 typed into Excel loses its leading zero
        sheet.append(cells)
    path = tmp_path / "elever.xlsx"
    book.save(path)
    result = ingest_file(path, "enrolments", pseudonym_key=key)
    assert result.issues == []
    table = result.tables["enrolments"]
    assert table["home_municipality_code"].unique().to_pylist() == ["0180"]
    assert table["grade_year"].to_pylist()[:3] == [1, 2, 3]


def test_grade_scales(tmp_path, key):
    rows = [synthetic.row("final_grades", i) for i in range(4)]
    rows[1][5] = "VG"
    rows[2][5] = "X"
    rows[3][5] = "c"
    result = ingest_file(
        synthetic.write_rows(tmp_path / "g.csv", "final_grades", rows),
        "final_grades",
        pseudonym_key=key,
    )
    assert _codes(result) == [(3, "betyg", "old_grade_scale"), (4, "betyg", "invalid_grade")]
    assert result.issues[0].value_hint == "VG"


def test_table_level_checks(tmp_path, key):
    rows = [synthetic.row("absence", i) for i in range(5)]
    rows[2][5] = "30 000"  # more absence than scheduled time
    rows[4] = list(rows[3])  # duplicate key
    result = ingest_file(
        synthetic.write_rows(tmp_path / "a.csv", "absence", rows), "absence", pseudonym_key=key
    )
    assert _codes(result) == [(4, "frånvaro", "inconsistent_values"), (6, "", "duplicate_key")]


def test_known_school_units_and_grade_year_per_school_form(tmp_path, key):
    rows = [synthetic.row("enrolments", i) for i in range(4)]
    rows[1][2] = "12345678"
    rows[3][4] = "GY"  # årskurs 4 exists in gymnasieskola, so change it to 7
    rows[3][5] = "7"
    path = synthetic.write_rows(tmp_path / "e.csv", "enrolments", rows)
    known = frozenset(synthetic.SCHOOL_UNITS)
    result = ingest_file(path, "enrolments", pseudonym_key=key, known_school_units=known)
    assert _codes(result) == [
        (3, "skolenhetskod", "unknown_school_unit"),
        (5, "årskurs", "out_of_range"),
    ]


def test_missing_column_short_row_and_formula(tmp_path, key):
    path = tmp_path / "e.csv"
    header = synthetic.HEADERS["national_tests"]
    rows = [synthetic.row("national_tests", i) for i in range(3)]
    rows[1][4] = '=HYPERLINK("http://x","MA")'
    lines = [";".join(header), *(";".join(r) for r in rows), "20091212;2024/25"]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = ingest_file(path, "national_tests", pseudonym_key=key)
    assert _codes(result) == [(5, "", "row_too_short"), (3, "ämne", "formula")]
    assert result.issues[1].value_hint is None
    missing = tmp_path / "m.csv"
    missing.write_text(";".join(h for h in header if h != "provbetyg") + "\n", encoding="utf-8")
    assert _codes(ingest_file(missing, "national_tests", pseudonym_key=key)) == [
        (1, "", "missing_column")
    ]


def test_issue_cap_and_messages(tmp_path, key):
    rows = [synthetic.row("course_grades", i) for i in range(MAX_ISSUES_PER_FILE + 50)]
    for cells in rows:
        cells[5] = "many"
    result = ingest_file(
        synthetic.write_rows(tmp_path / "c.csv", "course_grades", rows),
        "course_grades",
        pseudonym_key=key,
    )
    assert len(result.issues) == MAX_ISSUES_PER_FILE + 1
    last = result.issues[-1]
    assert (last.code, last.expected) == ("too_many_issues", "50")
    first = result.issues[0]
    assert first.format_cli() == "c.csv:2:poäng: not a whole number, expected 1-2500 (got 'many')"
    assert first.message_sv == "inte ett heltal, förväntade 1-2500 (fick 'many')"
    assert all(code in TEMPLATES for code in {i.code for i in result.issues})


def test_issue_redacts_anything_like_a_personnummer():
    issue = Issue("f.csv", 3, "skolenhetskod", "invalid_code", "8 digits", "19121212-1212")
    assert "1212" not in issue.format_cli()
    with pytest.raises(ValueError, match="unknown issue code"):
        Issue("f.csv", 1, "", "no_such_code")


def test_population_scb_wide_and_long(tmp_path, key):
    wide = tmp_path / "be0101.csv"
    wide.write_text(
        '"Folkmängden efter region, ålder, kön och år"\n\n"region","ålder","kön","2023","2024"\n'
        '"00 Riket","15 år","män",60000,61000\n"1480 Göteborg","15 år","män",3000,3100\n'
        '"1480 Göteborg","15 år","kvinnor",2900,3000\n"1480 Göteborg","100+ år","kvinnor",40,41\n',
        encoding="utf-8",
    )
    result = ingest_file(wide, "population", pseudonym_key=key)
    assert result.issues == []
    table = result.tables["population"]
    assert table.num_rows == 6
    assert pc.sum(table["persons"]).as_py() == 3000 + 3100 + 2900 + 3000 + 40 + 41
    long = tmp_path / "pop.csv"
    long.write_text("kommun;ålder;kön;år;antal\n0180;6;K;2024;9 500\n", encoding="utf-8")
    table = ingest_file(long, "population", pseudonym_key=key).tables["population"]
    assert table.to_pylist()[0] | {"batch_id": ""} == {
        "year": 2024,
        "municipality_code": "0180",
        "age": 6,
        "gender": "F",
        "persons": 9500,
        "batch_id": "",
    }


def test_detect_columns_masks_personnummer(tmp_path):
    path = synthetic.write_kind(tmp_path / "e.csv", "enrolments", 30)
    preview = detect_columns(path, "enrolments", rows=5)
    assert isinstance(preview, Preview)
    assert preview.header_row == 1
    assert len(preview.rows) == 5
    meanings = {c.header: c.field for c in preview.columns}
    assert meanings["personnummer"] == "student_key"
    assert meanings["hemkommun"] == "home_municipality_code"
    assert all(row[1][0] == "••••••••-••••" for row in preview.rows)
    assert synthetic.personnummer(0) not in repr(preview)


def test_detect_columns_statistics_and_errors(tmp_path, key):
    path = synthetic.write_stats(tmp_path / "s.csv", 10)
    preview = detect_columns(path, "public_stats")
    assert isinstance(preview, Preview)
    assert preview.header_row == 7
    assert {c.meaning for c in preview.columns} >= {"area code (municipality)", "organizer type"}
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [i.code for i in detect_columns(empty, "public_stats")] == ["file_empty"]
    assert [i.code for i in detect_columns(path, "nonsense")] == ["unsupported_format"]


def test_nation_and_county_rows(tmp_path, key):
    path = tmp_path / "riket.csv"
    path.write_text(
        "Statistik från Skolverket\n\nGrundskola - Test\nValt läsår: 2023/24\n\n"
        "Kommun;Kommun-kod;Län;Läns-kod;Typ av huvudman;Antal elever;\n"
        "Riket;;;;Samtliga;110 583;\n;;Västra Götalands län;14;Samtliga;20 000;\n",
        encoding="utf-8",
    )
    table = ingest_file(path, "public_stats", pseudonym_key=key).tables["public_stats"]
    assert table.select(["level", "area_code", "value"]).to_pylist() == [
        {"level": "nation", "area_code": "0000", "value": 110583.0},
        {"level": "county", "area_code": "14", "value": 20000.0},
    ]


def test_every_kind_is_registered():
    assert set(FACT_TABLES) <= set(KINDS)  # kolada writes public_stats too
    assert {table.name for kind in KINDS.values() for table in kind.tables} == set(FACT_TABLES)


def test_one_student_in_two_forms_of_the_number_is_one_key(tmp_path, key):
    rows = [synthetic.row("absence", i) for i in range(4)]
    rows[3] = list(rows[2])  # the same student, term and unit ...
    rows[3][0] = synthetic.personnummer(2, twelve=False)  # ... written YYMMDD-NNNN
    assert rows[3][0] != rows[2][0]
    result = ingest_file(
        synthetic.write_rows(tmp_path / "a.csv", "absence", rows), "absence", pseudonym_key=key
    )
    assert _codes(result) == [(5, "", "duplicate_key")]
    rows[3][0] = synthetic.personnummer(99)  # another student: imports
    other = ingest_file(
        synthetic.write_rows(tmp_path / "b.csv", "absence", rows), "absence", pseudonym_key=key
    )
    assert other.ok
    keys = other.tables["absence"]["student_key"].to_pylist()
    assert len(set(keys)) == 4
