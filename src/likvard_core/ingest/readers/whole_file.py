"""Whole files as columns: Parquet, delimited text through Arrow, and the row readers.

A ``ColumnBlock`` is one table of a file as one Arrow column per file column (text, or a
Parquet file's own scalar types), which the kinds validate a column at a time. Delimited text
is parsed by Arrow's multi-threaded CSV reader after the row reader has found the encoding,
the delimiter and the header; a file Arrow cannot parse the simple way (quoted line breaks,
ragged or over-long rows, UTF-16) gives None, and the caller falls back to the row reader,
which names each bad row.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from likvard_core.ingest.readers.base import HeaderTest, ReadError, TableBlock
from likvard_core.ingest.readers.delimited import (
    MAX_FIELD_CHARS,
    SAMPLE_BYTES,
    detect_delimiter,
    detect_encoding,
    read_delimited,
)

PARQUET_MAGIC = b"PAR1"
BLOCK_BYTES = 16 << 20
"""Bytes per block of Arrow's CSV reader (about 200,000 rows of a student file)."""

_ARROW_ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8", "cp1252": "cp1252"}
_TEXT_TYPES = (pa.types.is_string, pa.types.is_large_string)


@dataclass(frozen=True, slots=True)
class ShapeFinding:
    """A row with the wrong number of cells: its position among the data rows, row and issue."""

    position: int
    row: int
    code: str
    expected: str


@dataclass(slots=True)
class ColumnBlock:
    """One table of a file as columns, with the way to find each data row's file row.

    ``columns`` holds one column per ``header`` cell: text, or a Parquet column's scalar type
    (the kinds read each distinct value as text, a null as an empty cell). ``row_numbers``
    returns the 1-based file row of every data row, or None when they cannot be known without
    the row reader (the caller then re-reads the file row by row, which only happens when there
    are issues to name). ``positions`` is each kept row's position among all data rows (rows
    with a bad shape included), ``shape`` the rows left out for their shape, in order.
    """

    source: str
    header: tuple[str, ...]
    header_row: int
    columns: list[pa.ChunkedArray]
    row_numbers: Callable[[], np.ndarray | None]
    positions: np.ndarray | None = None
    shape: tuple[ShapeFinding, ...] = field(default=())

    @property
    def num_rows(self) -> int:
        """Data rows kept."""
        return len(self.columns[0]) if self.columns else 0


def is_parquet(path: Path) -> bool:
    """True when the file starts with Parquet's magic bytes."""
    with path.open("rb") as handle:
        return handle.read(4) == PARQUET_MAGIC


def _as_text(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not any(test(column.type) for test in _TEXT_TYPES):
        try:
            column = column.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            raise ReadError("unsupported_format", 0, f"text or numbers in column {name}") from None
    return pc.fill_null(column.cast(pa.string()), "")


def _check_scalar(field: pa.Field) -> None:
    """``ReadError`` unless the column's values can be read as text (no lists or structs)."""
    value_type = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
    try:
        pa.array([], value_type).cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        expected = f"text or numbers in column {field.name}"
        raise ReadError("unsupported_format", 0, expected) from None


def _dictionary_columns(parquet: pq.ParquetFile) -> list[str]:
    """Text columns stored dictionary-encoded in every row group: cheap to read as such.

    A column whose writer fell back to plain pages (personnummer: almost every value distinct)
    is cheaper to read as plain text than to rebuild a dictionary for.
    """
    meta = parquet.metadata
    arrow = parquet.schema_arrow
    columns = []
    for leaf in range(meta.num_columns):
        name = meta.schema.column(leaf).path
        if name not in arrow.names or not any(test(arrow.field(name).type) for test in _TEXT_TYPES):
            continue
        groups = (meta.row_group(g).column(leaf) for g in range(meta.num_row_groups))
        if all(group.has_dictionary_page for group in groups):
            columns.append(name)
    return columns


def read_parquet_block(path: Path) -> ColumnBlock:
    """A Parquet file as columns; column names are the header, data row ``i`` is row i+2.

    (Rows are numbered as in the same data exported to CSV with a header line.) Columns keep
    their Parquet types, text stored with a dictionary is read as one: the kinds read each
    distinct value as text (nulls as empty cells), which spares a text copy of every typed
    cell. Raises ``ReadError`` for a corrupt file or a column that is neither text nor scalar.
    """
    try:
        table = pq.read_table(path, read_dictionary=_dictionary_columns(pq.ParquetFile(path)))
    except (pa.ArrowException, OSError) as error:
        raise ReadError("file_unreadable", 0, f"Parquet: {type(error).__name__}") from None
    header = tuple(str(name).strip() for name in table.column_names)
    for index, column_field in enumerate(table.schema):
        _check_scalar(column_field.with_name(header[index]))
    rows = table.num_rows
    return ColumnBlock(
        source=path.name,
        header=header,
        header_row=1,
        columns=list(table.columns),
        row_numbers=lambda: np.arange(2, rows + 2, dtype=np.int64),
    )


def parquet_head(path: Path, rows: int) -> TableBlock:
    """The first ``rows`` rows of a Parquet file as a row reader's table (for previews)."""
    block = read_parquet_block(path)
    head = [
        _as_text(column.slice(0, rows), name).to_pylist()
        for column, name in zip(block.columns, block.header, strict=True)
    ]
    count = min(rows, block.num_rows)
    return TableBlock(
        source=block.source,
        sheet="",
        preamble=(),
        group_header=None,
        header=block.header,
        header_row=1,
        rows=iter([(i + 2, [str(column[i]) for column in head]) for i in range(count)]),
    )


def collect_rows(block: TableBlock, count: Callable[[int], None]) -> ColumnBlock:
    """The rows of a row reader's table as text columns, rows of the wrong shape set aside.

    A row with fewer cells than the header is ``row_too_short``; one with non-empty cells
    beyond the header is ``extra_cells``. ``count`` is called with each row read.
    """
    width = len(block.header)
    kept: list[list[str]] = []
    numbers: list[int] = []
    positions: list[int] = []
    shape: list[ShapeFinding] = []
    for position, (number, cells) in enumerate(block.rows):
        count(1)
        if len(cells) < width:
            expected = f"{width} cells, found {len(cells)}"
            shape.append(ShapeFinding(position, number, "row_too_short", expected))
        elif len(cells) > width and any(cell.strip() for cell in cells[width:]):
            shape.append(ShapeFinding(position, number, "extra_cells", f"{width} cells"))
        else:
            kept.append(cells[:width] if len(cells) > width else cells)
            numbers.append(number)
            positions.append(position)
    transposed: Iterable[tuple[str, ...]] = zip(*kept, strict=True) if kept else [()] * width
    row_numbers = np.asarray(numbers, dtype=np.int64)
    return ColumnBlock(
        source=block.source,
        header=block.header,
        header_row=block.header_row,
        columns=[pa.chunked_array([pa.array(list(c), pa.string())]) for c in transposed],
        row_numbers=lambda: row_numbers,
        positions=np.asarray(positions, dtype=np.int64),
        shape=tuple(shape),
    )


@dataclass(frozen=True, slots=True)
class _Layout:
    header: TableBlock
    encoding: str
    delimiter: str
    first_row: int
    offset: int
    fields: int


def _layout(path: Path, is_header: HeaderTest) -> _Layout | None:
    """Where the data start and how wide they are, judged by the row reader; None if unsure."""
    block = read_delimited(path, is_header=is_header)
    if block is None:
        return None
    first = next(block.rows, None)
    block.rows.close()  # type: ignore[attr-defined]  # a generator: closes the file now
    with path.open("rb") as raw:
        head = raw.read(SAMPLE_BYTES)
    detected = detect_encoding(head)
    encoding = _ARROW_ENCODINGS.get(detected)
    if first is None or encoding is None or head.count(b"\r") != head.count(b"\r\n"):
        return None
    offset = -1
    for _ in range(first[0] - 1):
        offset = head.find(b"\n", offset + 1)
        if offset < 0:
            return None
    delimiter = detect_delimiter(head.decode(detected, errors="replace"), is_header)
    if len(first[1]) < len(block.header):
        return None
    return _Layout(block, encoding, delimiter, first[0], offset + 1, len(first[1]))


def _parse(path: Path, layout: _Layout) -> pa.Table | None:
    names = [f"c{index}" for index in range(layout.fields)]
    try:
        with pa.memory_map(str(path)) as source:
            source.seek(layout.offset)
            return pacsv.read_csv(
                source,
                read_options=pacsv.ReadOptions(
                    column_names=names, encoding=layout.encoding, block_size=BLOCK_BYTES
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=layout.delimiter, newlines_in_values=False, ignore_empty_lines=True
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
    except (pa.ArrowException, UnicodeError, ValueError):
        return None


def _blank(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.equal(pc.utf8_trim_whitespace(column), "")


def _blank_rows(columns: list[pa.ChunkedArray]) -> pa.ChunkedArray | None:
    """Rows whose every cell is blank (the row reader skips them), or None when there are none."""
    blank: pa.ChunkedArray | None = None
    for column in columns:
        empty = _blank(column)
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            return None
    return blank


def _lines_after(path: Path, offset: int) -> int:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        size = len(m)
        lines = m[offset:].count(b"\n") if size > offset else 0
        return lines + (1 if size > offset and m[size - 1 : size] != b"\n" else 0)


def read_csv_block(path: Path, *, is_header: HeaderTest) -> ColumnBlock | None:
    """A delimited text file as text columns, parsed by Arrow; None when the row reader must.

    None means: no header found, UTF-16, quoted line breaks or rows of different widths,
    cells beyond the header that are not empty, or a cell over ``MAX_FIELD_CHARS``.
    """
    layout = _layout(path, is_header)
    if layout is None:
        return None
    table = _parse(path, layout)
    if table is None:
        return None
    width = len(layout.header.header)
    columns = table.columns
    for extra in columns[width:]:
        if not pc.all(_blank(extra)).as_py():
            return None
    columns = columns[:width]
    if any((pc.max(pc.binary_length(c)).as_py() or 0) > MAX_FIELD_CHARS for c in columns):
        return None
    blank = _blank_rows(columns)
    if blank is not None:
        columns = [column.filter(pc.invert(blank)) for column in columns]
    rows = table.num_rows

    def row_numbers() -> np.ndarray | None:
        if blank is not None or _lines_after(path, layout.offset) != rows:
            return None
        return np.arange(layout.first_row, layout.first_row + rows, dtype=np.int64)

    return ColumnBlock(
        source=path.name,
        header=layout.header.header,
        header_row=layout.header.header_row,
        columns=columns,
        row_numbers=row_numbers,
    )
