"""Large files: one bad cell among 100,000 rows rejects the file with exactly one issue."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from likvard_core.ingest import content_hash, ingest_file
from likvard_core.warehouse.schema import ENROLMENTS, PUBLIC_STATS
from tests.core.ingest import synthetic

ROWS = 100_000
BAD_FILE_ROW = 73_412  # the header is row 1, so this is data row 73,411


@pytest.fixture(scope="module")
def enrolment_rows():
    return [synthetic.row("enrolments", index) for index in range(ROWS)]


@pytest.mark.slow
def test_one_bad_personnummer_in_100k_rows(tmp_path, key, enrolment_rows):
    rows = [list(cells) for cells in enrolment_rows]
    index = BAD_FILE_ROW - 2
    bad = synthetic.broken_personnummer(index)
    rows[index][0] = bad
    path = synthetic.write_rows(tmp_path / "elever.csv", "enrolments", rows)
    progress: list[int] = []

    result = ingest_file(
        path, "enrolments", pseudonym_key=key, batch_id="b", progress=progress.append
    )

    assert result.tables == {}
    assert result.rows_read == ROWS
    assert progress[-1] == ROWS
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.row, issue.column, issue.code) == (
        BAD_FILE_ROW,
        "personnummer",
        "personnummer_checksum",
    )
    assert issue.value_hint is None
    texts = [issue.format_cli(), issue.message_en, issue.message_sv, repr(issue), str(issue)]
    digits = bad.replace("-", "")
    for text in texts:
        assert bad not in text
        assert digits not in text
        assert digits[2:] not in text
        assert bad[2:] not in text


@pytest.mark.slow
def test_100k_rows_import_and_hash_is_stable(tmp_path, key, enrolment_rows):
    path = synthetic.write_rows(tmp_path / "elever.csv", "enrolments", enrolment_rows)

    first = ingest_file(path, "enrolments", pseudonym_key=key, batch_id="b1")
    second = ingest_file(path, "enrolments", pseudonym_key=key, batch_id="b1")

    assert first.issues == []
    table = first.tables["enrolments"]
    assert table.schema.equals(ENROLMENTS.schema)
    assert table.num_rows == ROWS
    assert first.content_hash == second.content_hash == content_hash(path)
    assert len(first.content_hash) == 64
    assert second.tables["enrolments"].equals(table)
    assert pc.count_distinct(table["student_key"]).as_py() == ROWS
    assert pc.sum(pc.equal(table["gender"], "F")).as_py() == ROWS // 2
    assert table["school_form"].unique().to_pylist() == ["grundskola"]
    assert table.column("grade_year").type == ENROLMENTS.schema.field("grade_year").type


@pytest.mark.slow
def test_statistics_file_with_marks(tmp_path, key):
    count = 20_000
    bad_line = 12_345
    path = synthetic.write_stats(tmp_path / "stat.csv", count, bad_line=bad_line)

    rejected = ingest_file(path, "public_stats", pseudonym_key=key)

    assert rejected.tables == {}
    assert [(i.row, i.column, i.code) for i in rejected.issues] == [
        (bad_line, "Andel (%) godkända", "invalid_number")
    ]
    assert rejected.issues[0].value_hint == "12,3,4"

    fixed = synthetic.write_stats(tmp_path / "stat.csv", count)
    result = ingest_file(fixed, "public_stats", pseudonym_key=key, batch_id="s")
    assert result.issues == []
    table = result.tables["public_stats"]
    assert table.schema.equals(PUBLIC_STATS.schema)
    assert table.num_rows == count * 4
    too_few = table.filter(pc.equal(table["raw"], ".."))
    assert too_few.num_rows == count + count // 4  # the boys' share column, and every 4th girls'
    assert set(too_few["status"].to_pylist()) == {"too_few"}
    assert too_few["value"].null_count == too_few.num_rows
    first = table.filter(
        pc.and_(pc.equal(table["area_code"], "0001"), pc.equal(table["organizer_type"], "all"))
    )
    assert first.filter(pc.equal(first["group"], "girls"))["value"].to_pylist() == [1000.0, None]
    assert table.filter(pc.equal(table["raw"], "~100"))["value"].unique().to_pylist() == [100.0]
