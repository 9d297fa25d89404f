"""Readers: files in, rows of text cells with their file row numbers out.

``open_tables`` picks the reader from the file's first bytes, not its name: a ZIP or OLE
container is read as a workbook, anything else as delimited text. Parquet files are read as
columns by ``columnar`` (row-per-record kinds only); ``open_tables`` refuses them.
"""

from __future__ import annotations

from pathlib import Path

from likvard_core.ingest.readers.base import HeaderTest, ReadError, Row, TableBlock, is_blank
from likvard_core.ingest.readers.delimited import read_delimited
from likvard_core.ingest.readers.spreadsheet import read_workbook

__all__ = [
    "HeaderTest",
    "ReadError",
    "Row",
    "TableBlock",
    "is_blank",
    "is_workbook",
    "open_tables",
]

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_workbook(path: Path) -> bool:
    """True when the file starts like an XLSX/ODS (ZIP) or XLS (OLE) container."""
    with path.open("rb") as handle:
        head = handle.read(8)
    return head.startswith(_WORKBOOK_MAGIC)


def open_tables(
    path: Path, *, is_header: HeaderTest, stop_at_blank: bool = False
) -> list[TableBlock]:
    """The tables in ``path`` whose header satisfies ``is_header`` (empty list: none found).

    Raises ``ReadError`` for an empty, binary, corrupt or undecodable file.
    """
    if path.stat().st_size == 0:
        raise ReadError("file_empty")
    with path.open("rb") as handle:
        if handle.read(4) == b"PAR1":
            raise ReadError("unsupported_format", 0, "CSV, XLSX or XLS for this kind")
    if is_workbook(path):
        return read_workbook(path, is_header=is_header, stop_at_blank=stop_at_blank)
    block = read_delimited(path, is_header=is_header, stop_at_blank=stop_at_blank)
    return [] if block is None else [block]
