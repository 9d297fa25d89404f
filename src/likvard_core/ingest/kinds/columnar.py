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
from likvard_core.ingest.kinds.cells import CellError, Parser, looks_like_formula
from likvard_core.ingest.personnummer import PersonnummerError, normalise_personnummer_array
from likvard_core.ingest.pseudonymise import Pseudonymiser
from likvard_core.ingest.readers.columnar import ShapeFinding

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


def _findings_in(
    indices: pa.Array, error_of: np.ndarray, start: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows (offset by ``start``) whose dictionary index has an error, and the error ids."""
    codes = indices.to_numpy(zero_copy_only=False)
    per_row = error_of[codes]
    rows = np.flatnonzero(per_row >= 0)
    return rows + start, per_row[rows]


def parse_column(
    cells: pa.ChunkedArray, parse: Parser, arrow_type: pa.DataType, *, sensitive: bool = False
) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray, tuple[ErrorDetail, ...]]:
    """The typed column (null where invalid), invalid rows, their error ids and the errors."""
    distinct = _Distinct(parse, sensitive=sensitive)
    out: list[pa.Array] = []
    bad_rows: list[np.ndarray] = []
    bad_ids: list[np.ndarray] = []
    start = 0
    for chunk in cells.chunks:
        encoded = pc.dictionary_encode(chunk)
        results = [distinct.one(cell) for cell in encoded.dictionary.to_pylist()]
        values = [value if ok else None for ok, value in results]
        error_of = np.asarray([-1 if ok else value for ok, value in results], dtype=np.int64)
        out.append(pa.array(values, arrow_type).take(encoded.indices))
        if (error_of >= 0).any():
            rows, ids = _findings_in(encoded.indices, error_of, start)
            bad_rows.append(rows)
            bad_ids.append(ids)
        start += len(chunk)
    empty = np.zeros(0, dtype=np.int64)
    return (
        pa.chunked_array(out, arrow_type),
        np.concatenate(bad_rows) if bad_rows else empty,
        np.concatenate(bad_ids) if bad_ids else empty,
        tuple(distinct.errors),
    )


def _personnummer_chunk(
    chunk: pa.Array, pseudonymiser: Pseudonymiser, distinct: _Distinct, start: int
) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    normalised, accepted = normalise_personnummer_array(
        chunk, reference_year=pseudonymiser.reference_year
    )
    rest = np.flatnonzero(~accepted)
    if not len(rest):
        return normalised, np.zeros(0, np.int64), np.zeros(0, np.int64)
    results = [distinct.one(cell) for cell in chunk.take(pa.array(rest)).to_pylist()]
    good = np.asarray([ok for ok, _ in results], dtype=bool)
    if good.any():
        mask = np.zeros(len(chunk), dtype=bool)
        mask[rest[good]] = True
        rescued = pa.array([value for ok, value in results if ok], pa.string())
        normalised = pc.replace_with_mask(normalised, pa.array(mask), rescued)
    ids = np.asarray([value for ok, value in results if not ok], dtype=np.int64)
    return normalised, rest[~good] + start, ids


def pseudonymise_column(
    cells: pa.ChunkedArray, pseudonymise: Callable[[str], str]
) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray, tuple[ErrorDetail, ...]]:
    """``student_key`` per row (null where invalid), like ``parse_column`` for personnummer.

    With a ``Pseudonymiser`` the numbers are validated vectorised and hashed once per
    distinct student; any other callable is applied per distinct cell.
    """
    if not isinstance(pseudonymise, Pseudonymiser):
        return parse_column(cells, pseudonymise, pa.string(), sensitive=True)
    distinct = _Distinct(pseudonymise.normalise, sensitive=True)
    normalised: list[pa.Array] = []
    bad_rows: list[np.ndarray] = []
    bad_ids: list[np.ndarray] = []
    start = 0
    for chunk in cells.chunks:
        values, rows, ids = _personnummer_chunk(chunk, pseudonymise, distinct, start)
        normalised.append(values)
        bad_rows.append(rows)
        bad_ids.append(ids)
        start += len(chunk)
    column = pa.chunked_array(normalised, pa.string())
    keys = pseudonymise.keys(column) if len(column) else pa.array([], pa.string())
    empty = np.zeros(0, dtype=np.int64)
    return (
        pa.chunked_array([keys], pa.string()),
        np.concatenate(bad_rows) if bad_rows else empty,
        np.concatenate(bad_ids) if bad_ids else empty,
        tuple(distinct.errors),
    )


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
