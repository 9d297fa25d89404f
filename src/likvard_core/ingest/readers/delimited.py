"""Delimited text files: encoding and delimiter detection, streaming rows.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, and Windows-1252 (the fallback when
the start of the file is not valid UTF-8). Delimiters: ``;``, tab and ``,``; the one under
which the kind's header row is found wins, otherwise the most frequent one.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from likvard_core.ingest.readers.base import HeaderTest, ReadError, Row, TableBlock
from likvard_core.ingest.readers.header import MAX_PREAMBLE_ROWS, locate_header

SAMPLE_BYTES = 256 * 1024
MAX_FIELD_CHARS = 100_000
"""Longest cell accepted; a longer one is reported as ``field_too_large``."""

DELIMITERS = (";", "\t", ",")
_CONTROL = frozenset(range(9)) | frozenset(range(14, 32)) | {11, 12}
_CONTROL_SHARE = 0.01


def detect_encoding(head: bytes) -> str:
    """The encoding to read a text file with, judged from its first bytes.

    Raises ``ReadError('binary_file')`` when the bytes look like a binary file.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    controls = sum(1 for byte in head if byte in _CONTROL)
    if b"\x00" in head or (head and controls / len(head) > _CONTROL_SHARE):
        raise ReadError("binary_file", 0, "control characters")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        truncated_tail = error.reason == "unexpected end of data" and len(head) >= SAMPLE_BYTES
        if not truncated_tail:
            return "cp1252"
    return "utf-8"


def _sample_rows(text: str, delimiter: str) -> Iterator[Row]:
    lines = text.splitlines(keepends=True)[:MAX_PREAMBLE_ROWS]
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        return


def detect_delimiter(sample: str, is_header: HeaderTest) -> str:
    """The delimiter under which ``is_header`` accepts a row of ``sample``, else the commonest."""
    for delimiter in DELIMITERS:
        if any(
            is_header([c.strip() for c in cells]) for _, cells in _sample_rows(sample, delimiter)
        ):
            return delimiter
    counts = {delimiter: sample.count(delimiter) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def _stream(path: Path, encoding: str, delimiter: str) -> Iterator[Row]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except UnicodeDecodeError as error:
            raise ReadError("encoding", start, encoding) from error
        except csv.Error as error:
            code = "field_too_large" if "field larger" in str(error) else "malformed_csv"
            expected = str(MAX_FIELD_CHARS) if code == "field_too_large" else "quoting"
            raise ReadError(code, start, expected) from error


def read_delimited(
    path: Path, *, is_header: HeaderTest, stop_at_blank: bool = False
) -> TableBlock | None:
    """The table in a delimited text file, or None when no header row is found.

    Raises ``ReadError`` for binary content or undecodable text.
    """
    csv.field_size_limit(MAX_FIELD_CHARS)
    with path.open("rb") as raw:
        head = raw.read(SAMPLE_BYTES)
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="replace")
    delimiter = detect_delimiter(sample, is_header)
    return locate_header(
        _stream(path, encoding, delimiter),
        is_header=is_header,
        source=path.name,
        stop_at_blank=stop_at_blank,
    )
