"""The national generator writes Parquet in the warehouse contract's schemas, deterministically."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from likvard_core.synth.national import (
    BASE_TABLES,
    EXTRA_TABLES,
    TABLES,
    main,
    national_dataset,
)
from likvard_core.warehouse.schema import fact_table
from likvard_core.warehouse.snapshot import Snapshot


def test_tiny_national_dataset_matches_the_contract(tmp_path, reference_dir):
    summary = national_dataset(tmp_path, years=2, scale=0.001, reference_dir=reference_dir)
    assert set(summary.rows) == set(TABLES)
    assert all(count > 0 for count in summary.rows.values())
    assert {path.parent.name for path in summary.files} == set(TABLES)
    for path in summary.files:
        table = pq.read_table(path)
        contract = fact_table(path.parent.name)
        assert table.schema.equals(contract.schema), path
        keys = table.group_by(list(contract.key)).aggregate([([], "count_all")])
        assert keys.num_rows == table.num_rows, f"duplicate keys in {path}"
        if "student_key" in table.column_names:
            assert pc.all(pc.equal(pc.utf8_length(table["student_key"]), 32)).as_py()
    grades = pq.read_table(tmp_path / "final_grades" / "2016.parquet")
    assert set(grades["grade"].to_pylist()) <= set("ABCDEF")
    assert summary.total_rows == sum(pq.read_metadata(p).num_rows for p in summary.files)


def test_national_dataset_is_deterministic(tmp_path):
    first = national_dataset(tmp_path / "a", years=1, scale=0.001)
    second = national_dataset(tmp_path / "b", years=1, scale=0.001)
    for a, b in zip(first.files, second.files, strict=True):
        assert pq.read_table(a).equals(pq.read_table(b))


def test_command_line_prints_rows_and_peak_memory(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--scale", "0.001", "--years", "1"]) == 0
    printed = capsys.readouterr().out
    assert "enrolments:" in printed
    assert "peak RSS" in printed


def test_no_national_tests_in_2020_and_2021(tmp_path):
    summary = national_dataset(tmp_path, years=6, scale=0.0005)
    tested = {int(p.stem) for p in summary.files if p.parent.name == "national_tests"}
    assert tested == {2016, 2017, 2018, 2019}


def _query(root, sql):
    files = {
        table.name: [p.relative_to(root).as_posix() for p in sorted(table.glob("*.parquet"))]
        for table in (root / "batches" / "national").iterdir()
    }
    with Snapshot(root, files, "test") as snapshot:
        return snapshot.relation(sql).fetchall()


@pytest.fixture(scope="module")
def five_years(tmp_path_factory, reference_dir):
    root = tmp_path_factory.mktemp("national")
    national_dataset(
        root / "batches" / "national", years=5, scale=0.004, reference_dir=reference_dir
    )
    return root


def test_new_tables_can_be_added_to_an_earlier_set_byte_for_byte(tmp_path):
    national_dataset(tmp_path / "all", years=2, scale=0.001)
    national_dataset(tmp_path / "later", years=2, scale=0.001, tables=BASE_TABLES)
    before = sorted((tmp_path / "later").rglob("*.parquet"))
    national_dataset(tmp_path / "later", years=2, scale=0.001, tables=EXTRA_TABLES)
    after = sorted((tmp_path / "later").rglob("*.parquet"))
    assert len(after) > len(before)
    for path in after:
        twin = tmp_path / "all" / path.relative_to(tmp_path / "later")
        assert path.read_bytes() == twin.read_bytes(), path


def test_unknown_table_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown tables"):
        national_dataset(tmp_path, years=1, scale=0.001, tables=("grades",))


def test_absence_has_two_terms_per_enrolment_and_the_demo_rates(five_years):
    [(enrolled, rows, terms, rate, over_10, over_20)] = _query(five_years, """
        SELECT (SELECT count(*) FROM enrolments), count(*),
               count(DISTINCT term), sum(absent_minutes) / sum(scheduled_minutes),
               avg((absent_minutes >= 0.10 * scheduled_minutes)::INT),
               avg((absent_minutes >= 0.20 * scheduled_minutes)::INT)
        FROM absence""")  # fmt: skip
    assert rows == 2 * enrolled
    assert terms == 2
    assert 0.04 < rate < 0.10
    assert 0.10 < over_10 < 0.30  # about one in six (synth.absence)
    assert 0.01 < over_20 < over_10
    [(orphans,)] = _query(five_years, """
        SELECT count(*) FROM absence AS a
        ANTI JOIN enrolments AS e
        USING (school_year, student_key, school_unit_code)""")  # fmt: skip
    assert orphans == 0


def test_diplomas_follow_the_demo_rule(five_years):
    rows = _query(five_years, """
        WITH starters AS (
            SELECT student_key, school_year AS start, programme_code
            FROM enrolments
            WHERE school_form = 'gymnasieskola' AND grade_year = 1
        ), diplomas AS (
            SELECT student_key, min(school_year) AS issued
            FROM diplomas WHERE certificate <> 'study_certificate'
            GROUP BY ALL
        )
        SELECT starts_with(programme_code, 'IM') AS introduction, count(*),
               count(*) FILTER (WHERE issued <= start + 2)
        FROM starters LEFT JOIN diplomas USING (student_key)
        WHERE start + 2 <= 2020
        GROUP BY ALL ORDER BY ALL""")  # fmt: skip
    (_, national, on_time), (_, introduction, im_diplomas) = rows
    assert 0.78 < on_time / national < 0.90  # 84 % of those enrolled three years
    assert introduction > 0
    assert im_diplomas == 0
    [(kinds, strangers)] = _query(five_years, """
        SELECT list(DISTINCT certificate ORDER BY certificate),
               count(*) FILTER (WHERE e.student_key IS NULL)
        FROM diplomas AS d
        LEFT JOIN (SELECT DISTINCT student_key FROM enrolments
                   WHERE school_form = 'gymnasieskola') AS e USING (student_key)
        WHERE d.school_year >= 2018""")  # fmt: skip
    assert kinds == ["preparatory_diploma", "study_certificate", "vocational_diploma"]
    assert strangers == 0


def test_incidents_about_three_per_hundred_students(five_years):
    [(reports, students, investigated, ordered)] = _query(five_years, """
        SELECT (SELECT count(*) FROM incidents),
               (SELECT count(*) FROM enrolments),
               (SELECT avg((investigated_on IS NOT NULL)::INT)
                FROM incidents),
               (SELECT bool_and(investigated_on >= reported_on AND
                                coalesce(measures_on >= investigated_on, true))
                FROM incidents)""")  # fmt: skip
    assert 2.0 < 100 * reports / students < 6.0
    assert 0.8 < investigated < 0.95
    assert ordered


def test_komvux_for_every_municipality_with_the_demo_measures(five_years):
    [(municipalities, pressure, fill, outcome)] = _query(five_years, """
        SELECT count(DISTINCT municipality_code), sum(applicants) / sum(places),
               sum(enrolled) / sum(places),
               (SELECT sum(in_work + in_studies) / sum(followed_up)
                FROM komvux_followup)
        FROM komvux_starts""")  # fmt: skip
    [(homes,)] = _query(
        five_years,
        "SELECT count(DISTINCT home_municipality_code) FROM enrolments",
    )
    assert municipalities >= homes  # every municipality, also one without a compulsory school
    assert 1.0 < pressure < 2.5
    assert 0.5 < fill < 1.0
    assert 0.7 < outcome < 0.95


def test_upper_secondary_paths_move_and_interrupt_as_in_the_demo(five_years):
    [(starters, early, im_starters, im_on, moved_organizer)] = _query(five_years, """
        WITH gy AS (
            SELECT student_key, school_year, grade_year, programme_code, organizer_code
            FROM enrolments WHERE school_form = 'gymnasieskola'
        ), firsts AS (
            SELECT student_key, min(school_year) AS start FROM gy GROUP BY ALL
        ), s AS (
            SELECT g.* FROM gy AS g JOIN firsts AS f
                ON f.student_key = g.student_key AND f.start = g.school_year
            WHERE g.grade_year = 1 AND g.school_year = 2016
        ), later AS (
            SELECT s.student_key, starts_with(s.programme_code, 'IM') AS im,
                   count(g.school_year) AS years,
                   bool_or(starts_with(s.programme_code, 'IM')
                           AND NOT starts_with(g.programme_code, 'IM')) AS im_on,
                   bool_or(g.organizer_code <> s.organizer_code) AS moved
            FROM s JOIN gy AS g USING (student_key) GROUP BY ALL
        )
        SELECT count(*) FILTER (WHERE NOT im), count(*) FILTER (WHERE NOT im AND years < 3),
               count(*) FILTER (WHERE im), count(*) FILTER (WHERE im_on),
               count(*) FILTER (WHERE moved)
        FROM later""")  # fmt: skip
    assert 0.02 < early / starters < 0.12  # about 6 % leave after one or two years
    assert 0.15 < im_on / im_starters < 0.6  # 10-45 % by introduction programme
    assert 0 < moved_organizer <= im_on
