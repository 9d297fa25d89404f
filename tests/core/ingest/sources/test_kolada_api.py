"""The kolada kind: Kolada API answers into public_stats rows, located errors, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.public import public_indicator_values
from likvard_core.ingest import content_hash, detect_columns, ingest_file
from likvard_core.ingest.sources.kolada_api import school_year_of
from likvard_core.warehouse.snapshot import Snapshot
from tests.hostile import xlsx_bytes

KEY = b"k" * 32

# A v2 answer as Kolada returns it for
# /v2/data/kpi/N15033,N17448/municipality/1384,0014,0000/year/2023 (values made up).
SAMPLE: dict[str, Any] = {
    "count": 4,
    "values": [
        {
            "kpi": "N17448",
            "municipality": "1384",
            "period": 2023,
            "values": [
                {"gender": "T", "count": 1, "status": "", "value": 78.1},
                {"gender": "K", "count": 1, "status": "", "value": 81.4},
                {"gender": "M", "count": 1, "status": "", "value": 75.0},
            ],
        },
        {
            "kpi": "N17448",
            "municipality": "0014",
            "period": 2023,
            "values": [{"gender": "T", "count": 1, "status": "", "value": 70}],
        },
        {
            "kpi": "N15033",
            "municipality": "1384",
            "period": 2023,
            "values": [{"gender": "T", "count": 1, "status": "Saknas", "value": None}],
        },
        {
            "kpi": "N15033",
            "municipality": "0000",
            "period": "2023",
            "values": [{"gender": "T", "count": 1, "status": "", "value": 11.9}],
        },
    ],
}


def _write(tmp_path: Path, document: object, name: str = "kolada.json") -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document, indent=1)
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(path: Path):
    return ingest_file(path, "kolada", pseudonym_key=KEY, batch_id="b1")


def test_realistic_answer_imports_every_value(tmp_path):
    result = _ingest(_write(tmp_path, SAMPLE))
    assert result.issues == []
    assert result.rows_read == 4  # records
    table = result.tables["public_stats"]
    assert table.num_rows == 6  # 3 + 1 + 1 + 1 gender values
    rows = table.to_pylist()
    assert {r["source"] for r in rows} == {"kolada"}
    assert {r["batch_id"] for r in rows} == {"b1"}
    picked = [
        (r["measure"], r["level"], r["area_code"], r["school_year"], r["group"], r["value"])
        for r in rows
    ]
    assert picked == [
        ("N17448", "municipality", "1384", 2023, "all", 78.1),
        ("N17448", "municipality", "1384", 2023, "girls", 81.4),
        ("N17448", "municipality", "1384", 2023, "boys", 75.0),
        ("N17448", "county", "14", 2023, "all", 70.0),
        # N15033 is counted on 15 October: period 2023 is läsår 2023/24, spring year 2024
        ("N15033", "municipality", "1384", 2024, "all", None),
        ("N15033", "nation", "0000", 2024, "all", 11.9),
    ]
    missing = rows[4]
    assert (missing["status"], missing["raw"]) == ("missing", "null (Saknas)")
    assert (rows[0]["status"], rows[0]["raw"]) == ("exists", "78.1")
    assert {(r["organizer_type"], r["subject"], r["table_name"]) for r in rows} == {
        ("all", "", "kolada")
    }


def test_period_rule():
    assert school_year_of("N15033", 2023) == 2024  # elever per lärare, 15 October
    assert school_year_of("N15813", 2023) == 2024  # behöriga lärare
    assert school_year_of("N17448", 2023) == 2023  # examen inom 3 år, spring
    assert school_year_of("N15643", 2023) == 2023  # Skolenkäten, spring


def test_v3_period_on_the_values_and_pages_as_a_list(tmp_path):
    page = {
        "values": [
            {
                "kpi": "N15643",
                "municipality": "1480",
                "values": [
                    {"period": 2022, "gender": "T", "value": 83.0, "status": None},
                    {"period": 2024, "gender": "T", "value": 85.5},
                ],
            }
        ],
        "next_url": None,
    }
    result = _ingest(_write(tmp_path, [page, {"values": SAMPLE["values"][:1]}]))
    assert result.issues == []
    rows = result.tables["public_stats"].to_pylist()
    assert [(r["measure"], r["school_year"], r["value"]) for r in rows[:2]] == [
        ("N15643", 2022, 83.0),
        ("N15643", 2024, 85.5),
    ]
    assert len(rows) == 5


@pytest.mark.parametrize(
    ("change", "row", "column", "code"),
    [
        (("kpi", "X12345"), 2, "values[1].kpi", "invalid_code"),
        (("kpi", "N1503"), 2, "values[1].kpi", "invalid_code"),
        (("municipality", "9999"), 2, "values[1].municipality", "invalid_code"),
        (("municipality", "G35869"), 2, "values[1].municipality", "invalid_code"),
        (("municipality", "0099"), 2, "values[1].municipality", "invalid_code"),
        (("period", "sjuttio"), 2, "values[1].period", "invalid_school_year"),
        (("period", 1850), 2, "values[1].period", "out_of_range"),
    ],
)
def test_bad_record_fields_are_located_and_nothing_is_written(tmp_path, change, row, column, code):
    document = json.loads(json.dumps(SAMPLE))
    document["values"][1][change[0]] = change[1]
    result = _ingest(_write(tmp_path, document))
    assert result.tables == {}
    assert [(i.file, i.row, i.column, i.code) for i in result.issues] == [
        ("kolada.json", row, column, code)
    ]


def test_string_value_and_unknown_gender(tmp_path):
    document = json.loads(json.dumps(SAMPLE))
    document["values"][0]["values"][1]["value"] = "81,4"
    document["values"][0]["values"][2]["gender"] = "F"
    result = _ingest(_write(tmp_path, document))
    assert result.tables == {}
    issues = [(i.row, i.column, i.code, i.value_hint) for i in result.issues]
    assert issues == [
        (1, "values[0].values[1].value", "invalid_number", "81,4"),
        (1, "values[0].values[2].gender", "invalid_choice", "F"),
    ]
    assert result.issues[0].format_cli() == (
        "kolada.json:1:values[0].values[1].value: not a number, expected a number or null "
        "(got '81,4')"
    )


def test_truncated_json_names_the_line(tmp_path):
    text = json.dumps(SAMPLE, indent=1)
    cut = text[: len(text) // 2]
    result = _ingest(_write(tmp_path, cut))
    assert result.tables == {}
    [issue] = result.issues
    assert issue.code == "invalid_json"
    assert issue.row == cut.count("\n") + 1  # the last line, where the document stops
    assert "line" in issue.expected


@pytest.mark.parametrize(
    ("document", "column", "code"),
    [
        ({"rows": []}, "", "invalid_json"),  # not Kolada's shape
        ([{"values": []}, "x"], "[1]", "invalid_json"),
        ({"values": []}, "values", "no_data_rows"),
        ({"values": ["N15033"]}, "values[0]", "invalid_json"),
        (
            {"values": [{"kpi": "N15033", "municipality": "1384"}]},
            "values[0].values",
            "invalid_json",
        ),
        (
            {"values": [{"kpi": "N15033", "municipality": "1384", "values": [{"gender": "T"}]}]},
            "values[0].period",
            "required_value",
        ),
        (
            {"values": [{"kpi": "N15033", "ou": "V15E144001301", "period": 2023, "values": []}]},
            "values[0].ou",
            "invalid_code",
        ),
        (
            {"values": SAMPLE["values"], "next_page": "https://api.kolada.se/v2/data?page=2"},
            "next_page",
            "inconsistent_values",
        ),
        (
            [
                {"values": []},
                {"values": SAMPLE["values"], "next_url": "https://api.kolada.se/v3/x"},
            ],
            "[1].next_url",
            "inconsistent_values",
        ),
        (
            {"values": [*SAMPLE["values"], SAMPLE["values"][0]]},
            "values[4].values[0]",
            "duplicate_key",
        ),
    ],
)
def test_structural_problems(tmp_path, document, column, code):
    result = _ingest(_write(tmp_path, document))
    assert result.tables == {}
    assert (result.issues[0].column, result.issues[0].code) == (column, code)


def test_workbooks_and_empty_files_are_refused(tmp_path):
    book = tmp_path / "kolada.xlsx"
    book.write_bytes(b"PK\x03\x04rest of a workbook")
    assert [i.code for i in _ingest(book).issues] == ["file_truncated"]  # not even a ZIP
    real = tmp_path / "real.xlsx"
    real.write_bytes(xlsx_bytes())
    assert [i.code for i in _ingest(real).issues] == ["unsupported_format"]
    empty = _write(tmp_path, "  \n")
    assert [i.code for i in _ingest(empty).issues] == ["file_empty"]
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"values": [{"kpi": "Ö"}]}'.encode("latin-1"))
    assert [i.code for i in _ingest(latin).issues] == ["invalid_json"]


def test_the_same_file_gives_the_same_batch(tmp_path):
    path = _write(tmp_path, SAMPLE)
    first, again = _ingest(path), _ingest(path)
    assert first.content_hash == again.content_hash == content_hash(path)
    assert first.tables["public_stats"].equals(again.tables["public_stats"])


def test_preview_lists_the_first_values(tmp_path):
    preview = detect_columns(_write(tmp_path, SAMPLE), "kolada", rows=2)
    assert not isinstance(preview, list)
    assert [c.header for c in preview.columns] == [
        "kpi",
        "municipality",
        "period",
        "gender",
        "value",
        "status",
    ]
    assert preview.rows == (
        (1, ("N17448", "1384", "2023", "T", "78.1", "")),
        (1, ("N17448", "1384", "2023", "K", "81.4", "")),
    )
    assert isinstance(detect_columns(_write(tmp_path, "{", "bad.json"), "kolada"), list)


def test_imported_values_reach_the_quality_indicator(tmp_path):
    result = _ingest(_write(tmp_path, SAMPLE))
    catalogue = load_catalogue()
    with Snapshot.from_tables(result.tables, version="kolada") as db:
        released = public_indicator_values(
            db, catalogue, years=[2023, 2024], area_codes=["1384", "0000"]
        )
    rows = {
        (r["indicator"], r["area_code"], r["school_year"], r["group"]): (
            r["value"],
            r["published_status"],
        )
        for r in released.table.to_pylist()
    }
    assert rows[("gy_diploma_3y", "1384", 2023, None)] == (78.1, "exists")
    assert rows[("gy_diploma_3y", "1384", 2023, "girls")] == (81.4, "exists")
    assert rows[("students_per_teacher", "0000", 2024, None)] == (11.9, "exists")
    assert rows[("students_per_teacher", "1384", 2024, None)] == (None, "missing")
