"""What an equity page shows of its released rows: defaults, filters, pages, missing years."""

from __future__ import annotations

import pyarrow as pa

from likvard.analyses.equity.selection import (
    PAGE_SIZE,
    Selection,
    detail_page,
    missing_test_years,
    resolve,
    subject_label,
)


def _table(units: int, years: list[int]) -> pa.Table:
    rows = [
        {
            "school_unit_code": f"1000{u:04d}",
            "subject_code": subject,
            "school_year": year,
            "group": "all",
            "n": 20,
            "share_higher": 0.2,
        }
        for u in range(units)
        for subject in ("MA", "EN")
        for year in years
    ]
    return pa.Table.from_pylist(rows)


def test_names_not_codes():
    assert subject_label("MA") == "Matematik"
    assert subject_label("SVA") == "Svenska som andraspråk"
    assert subject_label("BI") == "Biologi"
    assert subject_label("MATMAT01c") == "Matematik 1c"


def test_an_organizer_page_shows_one_year_of_every_unit_a_page_at_a_time():
    table = _table(60, [2024, 2025])
    names = {f"1000{u:04d}": f"Skola {u:02d}" for u in range(60)}
    chosen = resolve(table, Selection(), names=names, groups=("all",))
    assert (chosen.subject, chosen.year, chosen.group) == ("MA", 2025, "all")
    first = detail_page(table, chosen, 1, names=names, by_unit=True)
    assert first.total == 60
    assert len(first.rows) == PAGE_SIZE
    assert first.pages == 3
    assert first.rows[0]["unit_name"] == "Skola 00"
    assert first.rows[0]["subject_name"] == "Matematik"
    last = detail_page(table, chosen, 9, names=names, by_unit=True)
    assert last.number == 3
    assert len(last.rows) == 60 - 2 * PAGE_SIZE
    one = resolve(table, Selection(school_unit="10000003"), names=names, groups=("all",))
    unit = detail_page(table, one, 1, names=names, by_unit=True)
    assert [r["year_label"] for r in unit.rows] == ["2024/25", "2023/24"]


def test_an_unknown_choice_falls_back_to_the_default():
    table = _table(2, [2025])
    chosen = resolve(table, Selection(subject="LATIN", year=1999), names={}, groups=("all",))
    assert (chosen.subject, chosen.year) == ("MA", 2025)


def test_the_years_without_national_tests_are_named():
    assert missing_test_years(_table(1, [2018, 2019, 2022, 2023])) == ["2019/20", "2020/21"]
    assert missing_test_years(_table(1, [2022, 2023])) == []
