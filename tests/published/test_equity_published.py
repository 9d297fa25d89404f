"""The published comparison on Skolverket's real municipal files, checked by hand.

Every expectation below was computed by hand from the CSV lines quoted next to it
(``../shared/data/skolverket-kommun-mmo85/``): the test file's "Andel (%) med provbetyg A-E",
"Genomsnittlig betygspoäng" and "Antal elever med provbetyg A-F" (Totalt), and the subject-grade
file's column for the same school year.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from likvard_core.analytics.equity.published import (
    published_gap_spread,
    published_gap_trends,
    published_grade_vs_test,
)
from likvard_core.ingest.pipeline import ingest_file
from likvard_core.warehouse.snapshot import Snapshot

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

TEST_YEARS = {2018, 2022, 2023, 2024}  # 2017/18, 2021/22, 2022/23, 2023/24 in the folder
MUNICIPALITIES = 290


@pytest.fixture(scope="module")
def snapshot(shared_data: Path) -> Iterator[Snapshot]:
    folder = shared_data / "skolverket-kommun-mmo85"
    files = [
        f
        for f in sorted(folder.glob("*.csv"))
        if "Resultat nationella prov årskurs 9" in f.name or "Jämförelse av ämnesbetyg" in f.name
    ]
    assert len(files) == 5, [f.name for f in files]
    tables = []
    for path in files:
        result = ingest_file(path, "public_stats", pseudonym_key=b"x" * 16, batch_id="real")
        assert result.ok, result.issues[:3]
        tables.append(result.tables["public_stats"])
    with Snapshot.from_tables({"public_stats": pa.concat_tables(tables)}, "real") as db:
        yield db


@pytest.fixture(scope="module")
def rows(snapshot: Snapshot) -> dict[tuple[str, str, str, int], dict[str, object]]:
    table = published_grade_vs_test(snapshot, organizer_types=["all", "kommunal", "enskild"]).table
    return {
        (r["area_code"], r["organizer_type"], r["subject"], r["school_year"]): r
        for r in table.to_pylist()
    }


def test_every_municipality_and_test_year_is_compared(snapshot: Snapshot) -> None:
    table = published_grade_vs_test(snapshot).table
    assert set(table.column("school_year").to_pylist()) == TEST_YEARS
    for year in TEST_YEARS:
        in_year = table.filter(pc.equal(table.column("school_year"), year))
        assert len(set(in_year.column("area_code").to_pylist())) == MUNICIPALITIES, year
    with_gap = table.filter(pc.is_valid(table.column("gap_pass")))
    assert len(set(with_gap.column("area_code").to_pylist())) == MUNICIPALITIES
    trends = published_gap_trends(snapshot).table
    assert len(set(trends.column("area_code").to_pylist())) == MUNICIPALITIES


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # Göteborg;1480;…;Samtliga;Matematik;5 456;…;85,4;…;11,9 and ämnesbetyg 2023/24: 85,2
        (("1480", "all", "Matematik", 2024), (85.4, 85.2, 11.9, 5456)),
        # Göteborg;1480;…;Kommunal;Svenska som andraspråk;745;…;66,3;…;7,9 and 2023/24: 61,3
        (("1480", "kommunal", "Svenska som andraspråk", 2024), (66.3, 61.3, 7.9, 745)),
        # Göteborg 2017/18 Samtliga;Engelska;74,9;…;3 686;…;95,9;…;15,5 and 2017/18: 89,6
        (("1480", "all", "Engelska", 2018), (95.9, 89.6, 15.5, 3686)),
        # Ale;1440;…;Samtliga;Engelska;371;…;98,1;…;15,7 and 2023/24: 91,8
        (("1440", "all", "Engelska", 2024), (98.1, 91.8, 15.7, 371)),
        # Kiruna;2584;…;Samtliga;Matematik;192;…;76,6;…;10,1 and 2023/24: 81,4
        (("2584", "all", "Matematik", 2024), (76.6, 81.4, 10.1, 192)),
        # Kiruna 2021/22: …;214;…;73,4;…;9,1 and 2021/22: 90,0
        (("2584", "all", "Matematik", 2022), (73.4, 90.0, 9.1, 214)),
        # Stockholm;0180;…;Samtliga;Matematik;9 593;…;90,1;…;13,1 and 2023/24: 91,5
        (("0180", "all", "Matematik", 2024), (90.1, 91.5, 13.1, 9593)),
    ],
)
def test_figures_match_the_files(
    rows: dict[tuple[str, str, str, int], dict[str, object]],
    key: tuple[str, str, str, int],
    expected: tuple[float, float, float, int],
) -> None:
    test_share, grade_share, points, tested = expected
    row = rows[key]
    assert row["test_pass_share"] == pytest.approx(test_share)
    assert row["grade_pass_share"] == pytest.approx(grade_share)
    assert row["gap_pass"] == pytest.approx(grade_share - test_share, abs=1e-9)
    assert row["test_points_mean"] == pytest.approx(points)
    assert row["n_tested"] == tested


def test_marks_are_kept(rows: dict[tuple[str, str, str, int], dict[str, object]]) -> None:
    # Ale 2021/22 Samtliga;Engelska;…;364;…;~100 : shown as 100, marked rounded; grade 93,9.
    ale = rows[("1440", "all", "Engelska", 2022)]
    assert (ale["test_pass_share"], ale["test_pass_status"]) == (100.0, "rounded")
    assert ale["gap_pass"] == pytest.approx(93.9 - 100.0)
    # Mathematics 2017/18 was not published (leaked tests): no comparison for any municipality.
    assert not [k for k in rows if k[2] == "Matematik" and k[3] == 2018]


def test_gothenburg_mathematics_trend(snapshot: Snapshot) -> None:
    (row,) = published_gap_trends(
        snapshot, municipalities=["1480"], subjects=["Matematik"]
    ).table.to_pylist()
    # gaps 86,9-84,0 = 2,9 (2022), 85,9-89,3 = -3,4 (2023), 85,2-85,4 = -0,2 (2024)
    assert row["years"] == 3
    assert row["gap_slope"] == pytest.approx((-2.9 - 0.2) / 2)
    assert row["gap_mean"] == pytest.approx((2.9 - 3.4 - 0.2) / 3)
    assert (row["years_grade_above"], row["years_grade_below"]) == (1, 2)


def test_national_spread_covers_every_municipality(snapshot: Snapshot) -> None:
    rows = published_gap_spread(snapshot, subjects=["Matematik"]).table.to_pylist()
    assert {r["school_year"] for r in rows} == TEST_YEARS - {2018}
    for row in rows:
        assert 280 <= row["municipalities"] <= MUNICIPALITIES
        assert row["gap_p10"] <= row["gap_median"] <= row["gap_p90"]
