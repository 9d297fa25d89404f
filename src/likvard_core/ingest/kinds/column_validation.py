"""Validation a column at a time: each distinct cell parsed once, personnummer vectorised.

A column of text is dictionary-encoded by Arrow; the kind's cell parser (the one definition of
what is valid) runs once per distinct value, and the typed result is taken back to every row.
Codes, years, grades and flags have few distinct values, so this costs a pass in C plus a few
thousand Python calls. Personnummer are checked in NumPy (shape, date, samordningsnummer,
Luhn digit); only the cells that check rejects are parsed one by one, for their exact issue.

Issues are reported in the order the row-by-row engine used (blocks of ``CHUNK_ROWS`` rows,
within a block row-shape issues first, then column by column, row by row), capped by the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.kinds.base import Context
from likvard_core.ingest.pseudonymisation.pseudonymise import Pseudonymiser
from likvard_core.ingest.readers.whole_file import ShapeFinding
from likvard_core.ingest.validation.cells import CellError, Parser, looks_like_formula
from likvard_core.ingest.validation.personnummer import (
    PersonnummerError,
    normalise_personnummer_array,
)

CHUNK_ROWS = 20_000
"""Rows per block when ordering issues (the row-by-row engine's chunk size)."""

_CACHE_LIMIT = 1_000_000

ErrorDetail = tuple[str, str, str | None]
"""(issue code, expected, value hint or None)."""


@dataclass(frozen=True, slots=True)
class CellFindings:
    """The invalid cells of one column: data-row indices, ascending, and each one's error."""

    position: int
    label: str
    rows: np.ndarray
    errors: tuple[ErrorDetail, ...]
    error_ids: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


def _detail(cell: str, error: CellError | PersonnummerError, *, sensitive: bool) -> ErrorDetail:
    code = "formula" if looks_like_formula(cell) else error.code
    expected = error.expected if isinstance(error, CellError) else ""
    hint = None if sensitive or code == "formula" else cell
    return code, expected, hint


class _Distinct:
    """Parses distinct cells once, remembering values and errors across chunks."""

    def __init__(self, parse: Parser, *, sensitive: bool) -> None:
        self.parse = parse
        self.sensitive = sensitive
        self.cache: dict[str, tuple[bool, object]] = {}
        self.errors: list[ErrorDetail] = []

    def one(self, cell: str) -> tuple[bool, object]:
        hit = self.cache.get(cell)
        if hit is not None:
            return hit
        try:
            hit = (True, self.parse(cell))
        except (CellError, PersonnummerError) as error:
            self.errors.append(_detail(cell, error, sensitive=self.sensitive))
            hit = (False, len(self.errors) - 1)
        if len(self.cache) >= _CACHE_LIMIT:
            self.cache.clear()
        self.cache[cell] = hit
        return hit


@dataclass(frozen=True, slots=True)
class ParsedColumn:
    """One column validated: typed values (null where invalid) and its invalid cells.

    ``rows`` are the data-row indices of invalid cells, ascending, ``error_ids`` index
    ``errors``. With codes requested, ``codes`` gives each row a small integer naming its parsed
    value (0 for null, equal values equal codes) and ``distinct`` the value of code ``i + 1``
    (for personnummer the student key, never the number): the table-level checks (duplicate
    keys, school units) work on these instead of re-hashing.
    """

    values: pa.ChunkedArray
    rows: np.ndarray
    error_ids: np.ndarray
    errors: tuple[ErrorDetail, ...]
    codes: np.ndarray | None = None
    distinct: tuple[object, ...] | pa.Array = ()


class _Codes:
    """Small integer codes of parsed values, shared by every chunk of a column."""

    def __init__(self) -> None:
        self.of: dict[object, int] = {}

    def per_distinct(self, values: list[object]) -> np.ndarray:
        codes = self.of
        return np.asarray(
            [0 if v is None else codes.setdefault(v, len(codes) + 1) for v in values],
            dtype=np.int64,
        )

    def distinct(self) -> tuple[object, ...]:
        return tuple(self.of)


def _findings_in(
    indices: np.ndarray, error_of: np.ndarray, start: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows (offset by ``start``) whose distinct-value index has an error, and the error ids."""
    per_row = error_of[indices]
    rows = np.flatnonzero(per_row >= 0)
    return rows + start, per_row[rows]


def cell_texts(values: pa.Array) -> pa.Array:
    """Values of any scalar type as the text a reader would give (null stays null)."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    return values.cast(pa.string())


def _distinct_cells(chunk: pa.Array) -> tuple[np.ndarray, list[str], bool]:
    """Each row's index into the chunk's distinct cells, those cells as text, and identity.

    A null cell reads as an empty one. Identity is True when the chunk is plain text without
    nulls, so that an unchanged parse can reuse the chunk itself.
    """
    if pa.types.is_dictionary(chunk.type):
        dictionary, indices = chunk.dictionary, chunk.indices
    else:
        encoded = pc.dictionary_encode(chunk)
        dictionary, indices = encoded.dictionary, encoded.indices
    texts = [cell or "" for cell in cell_texts(dictionary).to_pylist()]
    identity = pa.types.is_string(chunk.type) and chunk.null_count == 0
    if indices.null_count:
        indices = indices.fill_null(len(texts))
        texts.append("")
    return indices.to_numpy(zero_copy_only=False), texts, identity


def parse_column(
    cells: pa.ChunkedArray,
    parse: Parser,
    arrow_type: pa.DataType,
    *,
    sensitive: bool = False,
    codes: bool = False,
) -> ParsedColumn:
    """The typed column (null where invalid) and its invalid cells; see ``ParsedColumn``.

    ``cells`` may be text or any scalar type (a typed Parquet column): each distinct value is
    turned into text as ``cell_texts`` does and parsed once.
    """
    distinct = _Distinct(parse, sensitive=sensitive)
    coder = _Codes() if codes else None
    out: list[pa.Array] = []
    code_parts: list[np.ndarray] = []
    bad_rows: list[np.ndarray] = []
    bad_ids: list[np.ndarray] = []
    start = 0
    for chunk in cells.chunks:
        indices, texts, identity = _distinct_cells(chunk)
        results = [distinct.one(cell) for cell in texts]
        values = [value if ok else None for ok, value in results]
        error_of = np.asarray([-1 if ok else value for ok, value in results], dtype=np.int64)
        if identity and pa.types.is_string(arrow_type) and values == texts:
            out.append(chunk)
        else:
            out.append(pa.array(values, arrow_type).take(pa.array(indices)))
        if coder is not None:
            code_parts.append(coder.per_distinct(values)[indices])
        if (error_of >= 0).any():
            rows, ids = _findings_in(indices, error_of, start)
            bad_rows.append(rows)
            bad_ids.append(ids)
        start += len(chunk)
    empty = np.zeros(0, dtype=np.int64)
    return ParsedColumn(
        pa.chunked_array(out, arrow_type),
        np.concatenate(bad_rows) if bad_rows else empty,
        np.concatenate(bad_ids) if bad_ids else empty,
        tuple(distinct.errors),
        (np.concatenate(code_parts) if code_parts else empty) if coder else None,
        coder.distinct() if coder else (),
    )


def _whole_column_distinct(cells: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Every row's index into the column's distinct texts, and those texts (null as '').

    A dictionary column (text read from Parquet) only has its dictionaries unified; anything
    else is read as text and dictionary-encoded.
    """
    if len(cells) == 0:
        return np.zeros(0, np.int64), pa.array([], pa.string())
    if pa.types.is_dictionary(cells.type):
        unified = cells.unify_dictionaries()
        dictionary = cell_texts(unified.chunk(0).dictionary)
        indices = pa.chunked_array([chunk.indices for chunk in unified.chunks])
    else:
        if not pa.types.is_string(cells.type):
            cells = pa.chunked_array([cell_texts(chunk) for chunk in cells.chunks], pa.string())
        encoded = pc.dictionary_encode(cells)
        dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
        indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks])
    if dictionary.null_count:
        dictionary = pc.fill_null(dictionary, "")
    if indices.null_count:
        indices = indices.fill_null(len(dictionary))
        dictionary = pa.concat_arrays([dictionary, pa.array([""], pa.string())])
    return indices.to_numpy().astype(np.int64, copy=False), dictionary


def pseudonymise_column(cells: pa.ChunkedArray, pseudonymise: Callable[[str], str]) -> ParsedColumn:
    """``student_key`` per row (null where invalid), like ``parse_column`` for personnummer.

    With a ``Pseudonymiser`` the column is reduced to its distinct texts first; those are
    validated vectorised (only the ones that check rejects are parsed one by one, for their
    exact issue) and hashed in DuckDB, and the keys are taken back to every row. Any other
    callable is applied per distinct cell. Codes are always given (the key is a table key).
    """
    if not isinstance(pseudonymise, Pseudonymiser):
        return parse_column(cells, pseudonymise, pa.string(), sensitive=True, codes=True)
    indices, texts = _whole_column_distinct(cells)
    distinct = _Distinct(pseudonymise.normalise, sensitive=True)
    normalised, accepted = normalise_personnummer_array(
        texts, reference_year=pseudonymise.reference_year
    )
    error_of = np.full(len(texts), -1, dtype=np.int64)
    rest = np.flatnonzero(~accepted)
    if len(rest):
        results = [distinct.one(cell) for cell in texts.take(pa.array(rest)).to_pylist()]
        good = np.asarray([ok for ok, _ in results], dtype=bool)
        if good.any():
            mask = np.zeros(len(texts), dtype=bool)
            mask[rest[good]] = True
            rescued = pa.array([value for ok, value in results if ok], pa.string())
            normalised = pc.replace_with_mask(normalised, pa.array(mask), rescued)
        error_of[rest[~good]] = np.asarray(
            [value for ok, value in results if not ok], dtype=np.int64
        )
    keys = pseudonymise.macs(normalised)
    code_of, first = _number_codes(normalised)
    rows, ids = _findings_in(indices, error_of, 0)
    return ParsedColumn(
        pa.chunked_array([keys.take(pa.array(indices))], pa.string()),
        rows,
        ids,
        tuple(distinct.errors),
        code_of[indices],
        keys.take(pa.array(first)),
    )


def _number_codes(normalised: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A code per distinct text naming its number (0 where invalid; texts of one number, such
    as ``YYMMDD-NNNN`` and ``YYYYMMDDNNNN``, share it), and the first text of each code.

    The normalised numbers are twelve digits, so they are compared as integers: a sort of
    int64 instead of hashing the strings again.
    """
    numbers = pc.fill_null(pc.cast(normalised, pa.int64()), -1).to_numpy(zero_copy_only=False)
    unique, first, inverse = np.unique(numbers, return_index=True, return_inverse=True)
    invalid = int(len(unique) > 0 and unique[0] < 0)
    codes = inverse.astype(np.int64) + 1 - invalid
    codes[numbers < 0] = 0
    return codes, first[invalid:]


def report(
    ctx: Context,
    *,
    source: str,
    numbers: np.ndarray,
    positions: np.ndarray | None,
    shape: tuple[ShapeFinding, ...],
    cells: list[CellFindings],
) -> None:
    """Log shape and cell findings in the row engine's order, materialising only what is kept."""
    room = max(ctx.log.limit - ctx.log.kept, 0)
    total = len(shape) + sum(len(found) for found in cells)
    candidates: list[tuple[tuple[int, int, int, int], tuple[int, str, ErrorDetail]]] = []
    for item in shape[:room]:
        order = (item.position // CHUNK_ROWS, 0, 0, item.position)
        candidates.append((order, (item.row, "", (item.code, item.expected, None))))
    for found in cells:
        for row, error_id in zip(found.rows[:room], found.error_ids[:room], strict=True):
            position = int(row if positions is None else positions[row])
            order = (position // CHUNK_ROWS, 1, found.position, position)
            detail = found.errors[int(error_id)]
            candidates.append((order, (int(numbers[row]), found.label, detail)))
    candidates.sort(key=lambda candidate: candidate[0])
    for _, (row, label, (code, expected, hint)) in candidates:
        ctx.log.add(row, label, code, expected, hint, file=source)
    ctx.log.add_dropped(total - len(candidates))
