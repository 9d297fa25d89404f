"""The engine for row-per-record kinds: columns by Swedish header, parse, check, build Arrow.

Rows are parsed in chunks, one column at a time (``map`` over the chunk), and only a column
chunk that raised is re-parsed cell by cell to name each bad cell. Table-level checks
(duplicate keys, unknown school units, cross-column rules) run once every cell is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Preview
from likvard_core.ingest.kinds.cells import CellError, Parser, looks_like_formula, normalise_header
from likvard_core.ingest.personnummer import PersonnummerError
from likvard_core.ingest.readers import ReadError, Row, TableBlock, open_tables
from likvard_core.warehouse.schema import FactTable

CHUNK_ROWS = 20_000
MASK = "••••••••-••••"

Finding = tuple[int, str, str, str]
"""A table-level problem: (row index in the table, field, issue code, expected)."""

Check = Callable[[pa.Table], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Column:
    """One input column: its target field, accepted headers, parser and meaning.

    ``names`` are compared after ``normalise_header`` (case, spaces, hyphens ignored); the
    first is the documented Swedish header. ``parse`` is None for the personnummer column,
    which is pseudonymised into ``student_key``.
    """

    field: str
    names: tuple[str, ...]
    parse: Parser | None
    meaning: str
    required: bool = True
    default: object = None

    @property
    def sensitive(self) -> bool:
        """True for the personnummer column: its values never appear in issues or previews."""
        return self.parse is None


@dataclass(frozen=True, slots=True)
class _Plan:
    field: str
    index: int
    label: str
    parse: Parser
    sensitive: bool


def _chunks(rows: Iterable[Row], size: int) -> Iterable[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class RowKind:
    """A kind whose file rows map one-to-one onto rows of one fact table."""

    name: str
    table: FactTable
    columns: tuple[Column, ...]
    description: str
    checks: tuple[Check, ...] = ()

    @property
    def tables(self) -> tuple[FactTable, ...]:
        """The fact tables this kind writes."""
        return (self.table,)

    def _lookup(self) -> dict[str, Column]:
        return {normalise_header(name): column for column in self.columns for name in column.names}

    def is_header(self, cells: Sequence[str]) -> bool:
        """True when at least three of this kind's columns (or all required ones) are named."""
        lookup = self._lookup()
        found = {lookup[key].field for key in map(normalise_header, cells) if key in lookup}
        required = sum(1 for column in self.columns if column.required)
        return len(found) >= min(3, required)

    def expected_headers(self) -> str:
        """The documented headers of the required columns, for messages."""
        return ", ".join(column.names[0] for column in self.columns if column.required)

    def _plan(self, block: TableBlock, ctx: Context) -> list[_Plan] | None:
        lookup = self._lookup()
        positions: dict[str, int] = {}
        for index, header in enumerate(block.header):
            column = lookup.get(normalise_header(header))
            if column is None:
                continue
            if column.field in positions:
                ctx.log.add(block.header_row, header, "duplicate_column", file=block.source)
            positions[column.field] = index
        plan: list[_Plan] = []
        for column in self.columns:
            if column.field in positions:
                index = positions[column.field]
                parse = column.parse or ctx.pseudonymise
                plan.append(
                    _Plan(column.field, index, block.header[index], parse, column.sensitive)
                )
            elif column.required:
                ctx.log.add(
                    block.header_row, "", "missing_column", column.names[0], file=block.source
                )
        return None if ctx.log else plan

    def _parse_column(
        self, cells: list[str], numbers: list[int], step: _Plan, block: TableBlock, ctx: Context
    ) -> list[object]:
        try:
            if step.sensitive:
                return list(map(step.parse, cells))
            distinct = set(cells)
            if len(distinct) * 4 < len(cells):  # codes and years: parse each distinct cell once
                parsed = {cell: step.parse(cell) for cell in distinct}
                return [parsed[cell] for cell in cells]
            return list(map(step.parse, cells))
        except (CellError, PersonnummerError):
            pass
        values: list[object] = []
        for number, cell in zip(numbers, cells, strict=True):
            try:
                values.append(step.parse(cell))
            except (CellError, PersonnummerError) as error:
                code = "formula" if looks_like_formula(cell) else error.code
                expected = error.expected if isinstance(error, CellError) else ""
                hint = None if step.sensitive or code == "formula" else cell
                ctx.log.add(number, step.label, code, expected, hint, file=block.source)
                values.append(None)
        return values

    def _shape_ok(self, row: Row, width: int, block: TableBlock, ctx: Context) -> bool:
        number, cells = row
        if len(cells) < width:
            expected = f"{width} cells, found {len(cells)}"
            ctx.log.add(number, "", "row_too_short", expected, file=block.source)
            return False
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            ctx.log.add(number, "", "extra_cells", f"{width} cells", file=block.source)
            return False
        return True

    def _collect(
        self, block: TableBlock, plan: list[_Plan], ctx: Context
    ) -> tuple[list[list[object]], list[int]]:
        width = len(block.header)
        outs: list[list[object]] = [[] for _ in plan]
        all_numbers: list[int] = []
        for chunk in _chunks(block.rows, CHUNK_ROWS):
            ctx.count_rows(len(chunk))
            rows = chunk
            if any(len(cells) != width for _, cells in chunk):
                rows = [row for row in chunk if self._shape_ok(row, width, block, ctx)]
            numbers = [number for number, _ in rows]
            for out, step in zip(outs, plan, strict=True):
                cells = [cells[step.index] for _, cells in rows]
                out.extend(self._parse_column(cells, numbers, step, block, ctx))
            all_numbers.extend(numbers)
        return outs, all_numbers

    def _build(self, plan: list[_Plan], outs: list[list[object]], ctx: Context) -> pa.Table:
        by_field = {step.field: out for step, out in zip(plan, outs, strict=True)}
        size = len(outs[0]) if outs else 0
        arrays = []
        for field in self.table.schema:
            if field.name == "batch_id":
                arrays.append(pa.array([ctx.batch_id] * size, pa.string()))
                continue
            values = by_field.get(field.name)
            if values is None:
                default = next(c.default for c in self.columns if c.field == field.name)
                values = [default] * size
            arrays.append(pa.array(values, type=field.type))
        return pa.Table.from_arrays(arrays, schema=self.table.schema)

    def _check(self, table: pa.Table, numbers: list[int], source: str, ctx: Context) -> None:
        findings: list[Finding] = []
        findings.extend(duplicate_keys(table, self.table.key))
        if ctx.known_school_units is not None and "school_unit_code" in table.column_names:
            findings.extend(unknown_school_units(table, ctx.known_school_units))
        for check in self.checks:
            findings.extend(check(table))
        labels = {column.field: column.names[0] for column in self.columns}
        for index, field, code, expected in sorted(findings):
            ctx.log.add(numbers[index], labels.get(field, field), code, expected, file=source)

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """The fact table read from ``path``, or ``{}`` when any issue was logged."""
        blocks = open_tables(path, is_header=self.is_header)
        if not blocks:
            raise ReadError("header_not_found", 0, self.expected_headers())
        tables: list[pa.Table] = []
        for block in blocks:
            plan = self._plan(block, ctx)
            if plan is None:
                return {}
            outs, numbers = self._collect(block, plan, ctx)
            if not numbers and not ctx.log:
                ctx.log.add(block.header_row, "", "no_data_rows", file=block.source)
            if ctx.log:
                continue
            table = self._build(plan, outs, ctx)
            self._check(table, numbers, block.source, ctx)
            tables.append(table)
        if ctx.log:
            return {}
        return {self.table.name: pa.concat_tables(tables)}

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` data rows and what each column was recognised as."""
        blocks = open_tables(path, is_header=self.is_header)
        if not blocks:
            raise ReadError("header_not_found", 0, self.expected_headers())
        block = blocks[0]
        lookup = self._lookup()
        meanings = []
        sensitive: set[int] = set()
        for index, header in enumerate(block.header):
            column = lookup.get(normalise_header(header))
            if column is not None and column.sensitive:
                sensitive.add(index)
            meanings.append(
                ColumnMeaning(
                    header,
                    None if column is None else column.field,
                    "ignored" if column is None else column.meaning,
                )
            )
        shown: list[tuple[int, tuple[str, ...]]] = []
        for number, cells in block.rows:
            if len(shown) >= rows:
                break
            masked = tuple(MASK if i in sensitive else c for i, c in enumerate(cells))
            shown.append((number, masked))
        return Preview(self.name, block.source, block.header_row, tuple(meanings), tuple(shown))


def duplicate_keys(table: pa.Table, key: tuple[str, ...]) -> list[Finding]:
    """Rows whose natural key repeats an earlier row's."""
    if table.num_rows == 0:
        return []
    counts = table.select(list(key)).group_by(list(key)).aggregate([([], "count_all")])
    if pc.max(counts["count_all"]).as_py() <= 1:
        return []
    seen: set[tuple[object, ...]] = set()
    findings: list[Finding] = []
    columns = [table[name].to_pylist() for name in key]
    for index, row_key in enumerate(zip(*columns, strict=True)):
        if row_key in seen:
            findings.append((index, "", "duplicate_key", " + ".join(key)))
        seen.add(row_key)
    return findings


def unknown_school_units(table: pa.Table, known: frozenset[str]) -> list[Finding]:
    """Rows whose school unit code is not in ``known``."""
    value_set = pa.array(sorted(known), pa.string())
    mask = pc.invert(pc.is_in(table["school_unit_code"], value_set=value_set))
    indices = pc.indices_nonzero(mask).to_pylist()
    return [(i, "school_unit_code", "unknown_school_unit", "skolenhetsregistret") for i in indices]
