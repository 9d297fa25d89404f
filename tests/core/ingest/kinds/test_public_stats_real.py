"""Every real Skolverket file in ../shared/data imports through the public_stats kind."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard_core.ingest import ingest_file
from likvard_core.warehouse.schema import PUBLIC_STATS

KUNGSBACKA = "kungsbacka-moggleif-politik"
KOMMUN = "skolverket-kommun-mmo85"
SKOLENHET = "skolverket-skolenhet-ak9-2025"
NAT = "Grundskola - Resultat nationella prov årskurs 9, provbetyg per kön - Engelska, Matematik och Svenska_svenska som andraspråk {} Kommun.csv"  # noqa: E501
AK6 = "Grundskola - Betyg årskurs 6, andel som fått godkänt betyg (A-E), {} Kommun.{}"
STAFF = "Grundskola - Personalstatistik med lärarlegitimation och behörighet {} Kommun.csv"

# (folder, file, data rows read, long rows = data rows x value columns)
FILES = [
    (KUNGSBACKA, "slutbetyg-gymnasiet-2024-25.csv", 64, 1088),
    *[
        (KOMMUN, f"Grundskola - Antal elever per årskurs {y} Kommun.csv", n, n * 13)
        for y, n in ((2020, 779), (2021, 780), (2022, 777), (2023, 778), (2024, 778))
    ],
    (KOMMUN, AK6.format("per kön 2025", "csv"), 761, 7610),
    (KOMMUN, AK6.format("per kön 2025", "xlsx"), 761, 7610),
    *[
        (KOMMUN, AK6.format(f"samtliga elever {y}", "csv"), n, n * 5)
        for y, n in ((2020, 762), (2021, 759), (2022, 763), (2024, 761), (2025, 761))
    ],
    (KOMMUN, AK6.format("samtliga elever 2025", "xlsx"), 761, 3805),
    (
        KOMMUN,
        "Grundskola - Jämförelse av betygsresultat över tid 2025 Kommun_Åk9.xlsx",
        6471,
        64710,
    ),
    (KOMMUN, "Grundskola - Jämförelse av ämnesbetyg över tid 2025 Kommun_Åk9.csv", 14105, 141050),
    (KOMMUN, "Grundskola - Kostnader per kommun 2024 Kommun.csv", 290, 2900),
    *[
        (KOMMUN, STAFF.format(y), n, n * 8)
        for y, n in ((2020, 767), (2021, 767), (2023, 770), (2024, 769))
    ],
    *[
        (KOMMUN, NAT.format(y), n, n * 12)
        for y, n in ((2018, 2036), (2022, 2798), (2023, 2785), (2024, 2792))
    ],
    *[
        (KOMMUN, f"Gymnasieskola - Kostnader per kommun {y} Kommun.csv", n, n * 10)
        for y, n in ((2020, 300), (2021, 299), (2022, 299), (2023, 299))
    ],
    (KOMMUN, "behorighet_grundskola_2024_25.csv", 2139, 10695),
    (SKOLENHET, "Grundskola - Slutbetyg årskurs 9, samtliga elever 2025 Skolenhet.csv", 1714, 6856),
]


def _import(shared_dir: Path, folder: str, name: str, key: bytes) -> pa.Table:
    result = ingest_file(
        shared_dir / "data" / folder / name, "public_stats", pseudonym_key=key, batch_id="b1"
    )
    assert result.issues == []
    return result.tables["public_stats"]


def _cell(table: pa.Table, **where: object) -> tuple[float | None, str, str]:
    mask = None
    for column, value in where.items():
        if column == "measure_contains":
            condition = pc.match_substring(table["measure"], str(value))
        else:
            condition = pc.equal(table[column], value)
        mask = condition if mask is None else pc.and_(mask, condition)
    found = table.filter(mask)
    assert found.num_rows == 1, where
    return found["value"][0].as_py(), found["status"][0].as_py(), found["raw"][0].as_py()


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("folder", "name", "rows_read", "long_rows"), FILES, ids=[name[:60] for _, name, _, _ in FILES]
)
def test_real_file_imports(shared_dir, key, folder, name, rows_read, long_rows):  # noqa: PLR0917
    path = shared_dir / "data" / folder / name
    result = ingest_file(path, "public_stats", pseudonym_key=key, batch_id="b1")
    assert result.issues == []
    assert result.rows_read == rows_read
    table = result.tables["public_stats"]
    assert table.schema.equals(PUBLIC_STATS.schema)
    assert table.num_rows == long_rows
    assert set(table["batch_id"].to_pylist()) == {"b1"}
    # marks are never numbers: '..' is too_few, '.' missing, and neither is read as zero
    raw = table["raw"]
    assert pc.all(pc.equal(pc.equal(raw, ".."), pc.equal(table["status"], "too_few"))).as_py()
    assert pc.all(pc.equal(pc.equal(raw, "."), pc.equal(table["status"], "missing"))).as_py()
    assert pc.all(
        pc.equal(
            pc.is_null(table["value"]),
            pc.is_in(table["status"], pa.array(["too_few", "missing", "not_applicable"])),
        )
    ).as_py()


@pytest.mark.realdata
def test_pupils_per_year_group_goteborg(shared_dir, key):
    table = _import(
        shared_dir, KOMMUN, "Grundskola - Antal elever per årskurs 2024 Kommun.csv", key
    )
    where = {"area_code": "1480", "organizer_type": "all", "school_year": 2025}
    # 'Göteborg;1480;...;Samtliga;49,1;39,0;70,0;5 975;...;56 096;'
    assert _cell(table, measure="Elever, årskurs 1-9", **where) == (56096.0, "exists", "56 096")
    assert _cell(table, measure="Andel (%) flickor, årskurs 1-9", **where)[0] == 49.1
    assert _cell(table, measure="Elever, årskurs 1", **where)[0] == 5975.0
    enskild = {**where, "organizer_type": "enskild"}
    assert _cell(table, measure="Elever, årskurs 1-9", **enskild)[0] == 13204.0
    assert table.filter(pc.equal(table["area_code"], "0604")).num_rows > 0  # leading zero kept


@pytest.mark.realdata
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_year6_by_gender_two_row_header(shared_dir, key, suffix):
    table = _import(shared_dir, KOMMUN, AK6.format("per kön 2025", suffix), key)
    measure = "Andel (%) elever som fått godkänt betyg i alla ämnen"
    gbg = {"area_code": "1480", "organizer_type": "all", "school_year": 2025}
    assert _cell(table, measure="Antal elever", group="girls", **gbg)[:2] == (3069.0, "exists")
    assert _cell(table, measure="Antal elever", group="boys", **gbg)[0] == 3137.0
    assert _cell(table, measure=measure, group="girls", **gbg)[0] == 70.8
    # 'Ale;1440;...;Enskild;14;17,0;~100;..;.;'
    ale = {"area_code": "1440", "organizer_type": "enskild", "group": "girls"}
    assert _cell(table, measure=measure, **ale)[:2] == (100.0, "rounded")
    one = "Andel (%) elever som ej fått godkänt betyg i ett ämne"
    assert _cell(table, measure=one, **ale) == (None, "too_few", "..")
    more = "Andel (%) elever som ej fått godkänt betyg i fler, alternativt alla ämnen"
    assert _cell(table, measure=more, **ale) == (None, "missing", ".")


@pytest.mark.realdata
def test_national_tests_grouped_thousands(shared_dir, key):
    table = _import(shared_dir, KOMMUN, NAT.format(2024), key)
    where = {
        "area_code": "1480",
        "organizer_type": "all",
        "subject": "Svenska",
        "measure": "Antal elever med provbetyg A-F",
        "school_year": 2024,
    }
    assert _cell(table, group="all", **where) == (4491.0, "exists", "4 491")
    assert _cell(table, group="girls", **where)[0] == 2190.0
    assert _cell(table, group="boys", **where)[0] == 2301.0


@pytest.mark.realdata
def test_national_tests_2018_long_preamble(shared_dir, key):
    table = _import(shared_dir, KOMMUN, NAT.format(2018), key)
    where = {
        "area_code": "1480",
        "organizer_type": "all",
        "subject": "Engelska",
        "school_year": 2018,
    }
    assert _cell(table, measure="Antal elever med provbetyg A-F", group="all", **where)[0] == 3686
    assert _cell(table, measure="Genomsnittlig betygspoäng", group="boys", **where)[0] == 15.4


@pytest.mark.realdata
def test_school_units_marks(shared_dir, key):
    name = "Grundskola - Slutbetyg årskurs 9, samtliga elever 2025 Skolenhet.csv"
    table = _import(shared_dir, SKOLENHET, name, key)
    assert set(table["level"].to_pylist()) == {"school_unit"}
    assert pc.count_distinct(table["area_code"]).as_py() == 1714
    status = table["status"]
    assert pc.sum(pc.equal(status, "too_few")).as_py() == 478
    assert pc.sum(pc.equal(status, "missing")).as_py() == 116
    assert pc.sum(pc.equal(status, "rounded")).as_py() == 354
    jensen = {"area_code": "62764006", "organizer_type": "enskild"}
    # 'JENSEN grundskola Göteborg;62764006;Göteborg;1480;Enskild;...;60;95;~100;292,2'
    assert _cell(table, measure="Antal elever", **jensen)[0] == 60.0
    assert _cell(table, measure_contains="yrkesprog", **jensen) == (100.0, "rounded", "~100")
    assert _cell(table, measure="Genomsnittligt meritvärde (17 ämnen)", **jensen)[0] == 292.2
    kannebacks = {"area_code": "55529681", "measure": "Antal elever"}
    assert _cell(table, **kannebacks) == (None, "too_few", "..")


@pytest.mark.realdata
def test_known_school_units(shared_dir, key):
    name = "Grundskola - Slutbetyg årskurs 9, samtliga elever 2025 Skolenhet.csv"
    path = shared_dir / "data" / SKOLENHET / name
    known = frozenset(_import(shared_dir, SKOLENHET, name, key)["area_code"].to_pylist())
    assert ingest_file(path, "public_stats", pseudonym_key=key, known_school_units=known).ok
    result = ingest_file(
        path, "public_stats", pseudonym_key=key, known_school_units=known - {"62764006"}
    )
    assert result.tables == {}
    assert [(i.code, i.row) for i in result.issues] == [("unknown_school_unit", 153)]


@pytest.mark.realdata
def test_ten_years_side_by_side(shared_dir, key):
    table = _import(
        shared_dir,
        KOMMUN,
        "Grundskola - Jämförelse av betygsresultat över tid 2025 Kommun_Åk9.xlsx",
        key,
    )
    assert set(table["organizer_type"].to_pylist()) == {"all", "kommunal", "enskild"}
    gbg = {"area_code": "1480", "organizer_type": "all", "measure": "Totalt antal elever årskurs 9"}
    assert _cell(table, school_year=2025, **gbg)[0] == 6474.0
    assert _cell(table, school_year=2016, **gbg)[0] == 4981.0
    assert set(table["school_year"].to_pylist()) == set(range(2016, 2026))


@pytest.mark.realdata
def test_subject_pass_rates_wide_by_year(shared_dir, key):
    table = _import(
        shared_dir,
        KOMMUN,
        "Grundskola - Jämförelse av ämnesbetyg över tid 2025 Kommun_Åk9.csv",
        key,
    )
    fysik = {"area_code": "1480", "organizer_type": "all", "subject": "Fysik"}
    assert _cell(table, school_year=2025, **fysik)[0] == 88.3
    assert _cell(table, school_year=2016, **fysik)[0] == 89.6
    assert table["measure"][0].as_py().startswith("Andel (%) elever som fått godkänt betyg")


@pytest.mark.realdata
def test_costs_with_municipal_associations(shared_dir, key):
    table = _import(shared_dir, KOMMUN, "Gymnasieskola - Kostnader per kommun 2022 Kommun.csv", key)
    assoc = table.filter(pc.equal(table["level"], "municipal_association"))
    assert "Hälsinglands Utbildningsförbund" in assoc["area_code"].to_pylist()
    where = {"area_code": "Södra Lapplands Gymnasieförbund", "measure": "Måltider per elev"}
    assert _cell(table, **where)[0] == -600.0
    assert _cell(table, area_code="0604", measure="Undervisning")[:2] == (None, "missing")
    assert set(table["school_year"].to_pylist()) == {2022}


@pytest.mark.realdata
def test_kungsbacka_upper_secondary_programmes(shared_dir, key):
    table = _import(shared_dir, KUNGSBACKA, "slutbetyg-gymnasiet-2024-25.csv", key)
    where = {"area_code": "58191646", "subject": "Samhällsvetenskapsprogrammet"}
    assert _cell(table, measure="Andel (%) med examen", **where)[0] == 94.1
    assert _cell(table, measure="Andel (%) med studiebevis", **where) == (None, "too_few", "..")
    assert _cell(table, measure_contains="Eng 5", **where)[0] == 100.0
