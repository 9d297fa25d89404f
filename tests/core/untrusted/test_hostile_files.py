"""The hostile-file corpus: each file refused before a parser sees it, or stopped by the limits.

Every refusal has an issue code with a Swedish message (``likvard_core.ingest.issues``), and
the notes reader (``extract``) refuses the documents the same way, in a few seconds at most.
"""

from __future__ import annotations

import dataclasses
import io
import time
import zipfile
from pathlib import Path

import pytest

from likvard_core.ingest.issues import TEMPLATES, Issue
from likvard_core.ingest.pipeline import detect_columns, ingest_file
from likvard_core.notes.extract import extract
from likvard_core.untrusted import FileRefused, inspect_file
from likvard_core.untrusted.inspect import DATA_FILE_LIMITS, DOCUMENT_LIMITS
from tests.hostile import corpus, docx_bytes, pdf

EXPECTED = {
    "bomb.docx": "archive_ratio",
    "bomb.pptx": "archive_ratio",
    "bomb.xlsx": "archive_ratio",
    "bomb.ods": "archive_ratio",
    "laughs.docx": "xml_dtd",
    "laughs.pptx": "xml_dtd",
    "laughs.xlsx": "xml_dtd",
    "laughs.ods": "xml_dtd",
    "javascript.pdf": "pdf_active_content",
    "escaped-javascript.pdf": "pdf_active_content",
    "truncated.pdf": "file_truncated",
    "truncated.docx": "file_truncated",
    "truncated.xlsx": "file_truncated",
    "truncated.parquet": "file_truncated",
    "spoofed-pdf.docx": "file_type_mismatch",
    "spoofed-html.pdf": "file_type_mismatch",
    "spoofed-docx.pdf": "file_type_mismatch",
    "spoofed-xlsx.csv": "file_type_mismatch",
    "spoofed-png.csv": "file_type_mismatch",
    "spoofed-pdf.xlsx": "file_type_mismatch",
    "spoofed-csv.parquet": "file_type_mismatch",
    "spoofed-exe.txt": "file_type_mismatch",
    "empty.docx": "file_empty",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return corpus(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_hostile_file_is_refused_with_a_swedish_reason(files, name):
    started = time.monotonic()
    with pytest.raises(FileRefused) as refused:
        inspect_file(files[name], limits=DATA_FILE_LIMITS)
    assert refused.value.code == EXPECTED[name]
    assert time.monotonic() - started < 2
    issue = Issue(name, 0, "", refused.value.code, refused.value.detail)
    assert refused.value.code in TEMPLATES
    assert issue.message_sv != issue.message_en  # a Swedish sentence, not the English one


@pytest.mark.parametrize("name", ["bomb.xlsx", "laughs.xlsx", "spoofed-png.csv", "truncated.xlsx"])
def test_import_and_preview_refuse_without_reading(files, name):
    result = ingest_file(files[name], "enrolments", pseudonym_key=b"k" * 32)
    assert [issue.code for issue in result.issues] == [EXPECTED[name]]
    assert result.tables == {}
    preview = detect_columns(files[name], "enrolments")
    assert isinstance(preview, list)
    assert [issue.code for issue in preview] == [EXPECTED[name]]


def test_deeply_nested_json_is_an_issue_not_a_crash(files):
    result = ingest_file(files["deep.json"], "kolada", pseudonym_key=b"k" * 32)
    assert [issue.code for issue in result.issues] == ["invalid_json"]


@pytest.mark.parametrize(
    "name", [n for n in sorted(EXPECTED) if Path(n).suffix in {".docx", ".pdf", ".txt"}]
)
def test_notes_reader_refuses_the_documents(files, name):
    with pytest.raises(FileRefused) as refused:
        extract(files[name])
    expected = {EXPECTED[name], "archive_too_large"} if "bomb" in name else {EXPECTED[name]}
    assert refused.value.code in expected


def _varied_docx(megabytes: int) -> bytes:
    """A DOCX whose document.xml holds ``megabytes`` of numbered paragraphs (the finding's
    shape: compresses about 250 to 1, under the ratio limit)."""
    paragraphs = b"".join(
        b"<w:p><w:r><w:t>Punkt %d i protokollet</w:t></w:r></w:p>" % i
        for i in range(megabytes * 1024 * 1024 // 50)
    )
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + paragraphs
        + b"</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as real,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for member in real.infolist():
            data = document if member.filename == "word/document.xml" else real.read(member)
            archive.writestr(member.filename, data)
    return buffer.getvalue()


def test_the_findings_docx_is_refused_by_its_xml_size(tmp_path):
    """Finding 1: a DOCX of 60 MB of document.xml ran 30 s until gunicorn killed the worker."""
    path = tmp_path / "protokoll.docx"
    path.write_bytes(_varied_docx(20))
    with pytest.raises(FileRefused) as refused:
        extract(path)
    assert refused.value.code == "archive_too_large"


def test_a_slow_file_is_stopped_by_the_time_limit(tmp_path):
    path = tmp_path / "protokoll.docx"
    path.write_bytes(_varied_docx(8))
    limits = dataclasses.replace(DOCUMENT_LIMITS, seconds=0.5)
    started = time.monotonic()
    with pytest.raises(FileRefused) as refused:
        extract(path, limits=limits)
    assert refused.value.code == "time_limit"
    assert time.monotonic() - started < 5


def test_a_file_needing_too_much_memory_is_stopped(tmp_path):
    """The child's address space is capped: the parser fails (lxml reports its failed
    allocation as a syntax error) and the file is refused; the caller's memory is untouched."""
    path = tmp_path / "protokoll.docx"
    path.write_bytes(_varied_docx(4))
    limits = dataclasses.replace(DOCUMENT_LIMITS, memory_bytes=64 << 20)
    with pytest.raises(FileRefused) as refused:
        extract(path, limits=limits)
    assert refused.value.code in {"memory_limit", "file_unreadable"}


def test_a_plain_pdf_and_docx_are_read(tmp_path):
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(pdf("Protokoll fran natverksmotet i mars"))
    assert "Protokoll fran natverksmotet" in extract(path).text
    docx = tmp_path / "protokoll.docx"
    docx.write_bytes(_varied_docx(1))
    assert "Punkt 7 i protokollet" in extract(docx).text


def test_the_child_gets_no_secrets(monkeypatch):
    from likvard_core.untrusted.sandbox import _child_environment

    monkeypatch.setenv("LIKVARD_PSEUDONYM_KEY", "hemlig-nyckel-0123456789")
    monkeypatch.setenv("LIKVARD_DATABASE_URL", "postgres://likvard:hemligt@db/likvard")
    environment = _child_environment()
    assert not any("hemlig" in value for value in environment.values())
    assert environment["OMP_THREAD_LIMIT"] == "1"
