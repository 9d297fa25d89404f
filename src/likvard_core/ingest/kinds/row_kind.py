"""The engine for row-per-record kinds: columns by Swedish header, parse, check, build Arrow.

The file is read as text columns (Arrow for Parquet and delimited text, the row readers for
workbooks) and validated a column at a time (see ``columnar``). Table-level checks (duplicate
keys, unknown school units, cross-column rules) run once every cell is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Preview
from likvard_core.ingest.kinds.column_validation import (
    CellFindings,
    ParsedColumn,
    parse_column,
    pseudonymise_column,
    report,
)
from likvard_core.ingest.readers import ReadError, is_workbook, open_tables
from likvard_core.ingest.readers.whole_file import (
    ColumnBlock,
    collect_rows,
    is_parquet,
    parquet_head,
    read_csv_block,
    read_parquet_block,
)
from likvard_core.ingest.validation.cells import Parser, normalise_header
from likvard_core.ingest.validation.table_checks import (
    Finding,
    duplicate_keys,
    duplicate_keys_coded,
    outside_scope,
    unknown_school_units,
    unknown_school_units_coded,
)
from likvard_core.warehouse.schema import FactTable, batch_column

MASK = "••••••••-••••"
SCHOOL_UNIT_FIELD = "school_unit_code"
COLUMN_THREADS = 2
"""Columns validated at the same time (the machines Likvärd runs on have two cores or more)."""
_HINTED = frozenset({"outside_organizer", "outside_region"})
"""Table-level issue codes shown with the cell's value (never a sensitive column)."""

__all__ = [
    "MASK",
    "Check",
    "Column",
    "Finding",
    "RowKind",
    "duplicate_keys",
    "unknown_school_units",
]

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


class _RowsUnknownError(Exception):
    """Issues were found but Arrow's reader cannot say on which file rows: re-read by rows."""


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

    def _plan(self, block: ColumnBlock, ctx: Context) -> list[_Plan] | None:
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

    def _columns(
        self, block: ColumnBlock, plan: list[_Plan], ctx: Context
    ) -> tuple[dict[str, ParsedColumn], list[CellFindings]]:
        """Every planned column validated, two at a time, the personnummer column first.

        The work is mostly Arrow kernels, NumPy and DuckDB (the keyed hashing), which release
        the GIL, so the columns overlap; each keeps its own cache and issue list.
        """
        types = self.table.schema
        coded = {*self.table.key, SCHOOL_UNIT_FIELD}
        order = sorted(range(len(plan)), key=lambda position: not plan[position].sensitive)
        with ThreadPoolExecutor(max_workers=COLUMN_THREADS) as pool:
            futures: dict[int, Future[ParsedColumn]] = {}
            for position in order:
                step = plan[position]
                cells = block.columns[step.index]
                if step.sensitive:
                    futures[position] = pool.submit(pseudonymise_column, cells, ctx.pseudonymise)
                else:
                    arrow_type = types.field(step.field).type
                    futures[position] = pool.submit(
                        parse_column, cells, step.parse, arrow_type, codes=step.field in coded
                    )
            done = {position: future.result() for position, future in futures.items()}
        parsed: dict[str, ParsedColumn] = {}
        findings: list[CellFindings] = []
        for position, step in enumerate(plan):
            column = done[position]
            parsed[step.field] = column
            if len(column.rows):
                findings.append(
                    CellFindings(position, step.label, column.rows, column.errors, column.error_ids)
                )
        return parsed, findings

    def _build(self, parsed: dict[str, ParsedColumn], size: int, ctx: Context) -> pa.Table:
        arrays: list[pa.Array | pa.ChunkedArray] = []
        for field in self.table.schema:
            if field.name == "batch_id":
                arrays.append(batch_column(ctx.batch_id, size))
                continue
            column = parsed.get(field.name)
            values = None if column is None else column.values
            if values is None:
                default = next(c.default for c in self.columns if c.field == field.name)
                values = (
                    pa.nulls(size, field.type).fill_null(default)
                    if default is not None
                    else pa.nulls(size, field.type)
                )
            arrays.append(values)
        return pa.Table.from_arrays(arrays, schema=self.table.schema)

    def _table_findings(
        self, table: pa.Table, parsed: dict[str, ParsedColumn], ctx: Context
    ) -> list[Finding]:
        coded = {
            name: (column.codes, len(column.distinct) + 1)
            for name, column in parsed.items()
            if column.codes is not None
        }
        findings: list[Finding] = []
        findings.extend(duplicate_keys_coded(table, self.table.key, coded))
        unit = parsed.get(SCHOOL_UNIT_FIELD)
        if unit is not None and unit.codes is not None:
            known = ctx.known_school_units
            if known is not None:
                findings.extend(unknown_school_units_coded(unit.codes, unit.distinct, known))
            if ctx.school_unit_scope is not None:
                findings.extend(
                    outside_scope(
                        table, unit.codes, unit.distinct, scope=ctx.school_unit_scope, known=known
                    )
                )
        for check in self.checks:
            findings.extend(check(table))
        return findings

    def _log_table_findings(
        self, table: pa.Table, findings: list[Finding], block: ColumnBlock, ctx: Context
    ) -> None:
        numbers = block.row_numbers()
        if numbers is None:
            raise _RowsUnknownError
        labels = {column.field: column.names[0] for column in self.columns}
        for index, field, code, expected in sorted(findings):
            hint = str(table[field][index].as_py()) if code in _HINTED else None
            label = labels.get(field, field)
            ctx.log.add(int(numbers[index]), label, code, expected, hint, file=block.source)

    def _validate(self, block: ColumnBlock, plan: list[_Plan], ctx: Context) -> pa.Table | None:
        """The block's table when valid; issues go to ``ctx.log``.

        Raises ``_RowsUnknownError`` (having logged nothing) when there are issues whose file rows
        only the row reader can name.
        """
        parsed, findings = self._columns(block, plan, ctx)
        if findings or block.shape:
            numbers = block.row_numbers()
            if numbers is None:
                raise _RowsUnknownError
            report(
                ctx,
                source=block.source,
                numbers=numbers,
                positions=block.positions,
                shape=block.shape,
                cells=findings,
            )
        if block.num_rows == 0 and not ctx.log:
            ctx.log.add(block.header_row, "", "no_data_rows", file=block.source)
        if ctx.log:
            return None
        table = self._build(parsed, block.num_rows, ctx)
        findings_table = self._table_findings(table, parsed, ctx)
        if findings_table:
            self._log_table_findings(table, findings_table, block, ctx)
            return None
        return table

    def _blocks(self, path: Path) -> list[ColumnBlock] | None:
        """The file as text columns read by Arrow, or None when it must be read by rows."""
        if is_parquet(path):
            return [read_parquet_block(path)]
        if is_workbook(path) or path.stat().st_size == 0:
            return None
        block = read_csv_block(path, is_header=self.is_header)
        return None if block is None else [block]

    def _row_blocks(self, path: Path, ctx: Context) -> list[ColumnBlock]:
        blocks = open_tables(path, is_header=self.is_header)
        if not blocks:
            raise ReadError("header_not_found", 0, self.expected_headers())
        return [collect_rows(block, lambda _: ctx.count_row()) for block in blocks]

    def _read_blocks(self, blocks: Iterable[ColumnBlock], ctx: Context) -> dict[str, pa.Table]:
        tables: list[pa.Table] = []
        for block in blocks:
            plan = self._plan(block, ctx)
            if plan is None:
                return {}
            table = self._validate(block, plan, ctx)
            if table is not None:
                tables.append(table)
        if ctx.log:
            return {}
        return {self.table.name: pa.concat_tables(tables)}

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """The fact table read from ``path``, or ``{}`` when any issue was logged.

        Parquet and well-formed delimited text are read by Arrow and validated a column at a
        time; workbooks, and text files Arrow cannot read simply, are read row by row. When
        issues are found in a file whose rows Arrow cannot number, it is read again by rows.
        """
        fast = self._blocks(path)
        if fast is not None:
            if not fast[0].header or not self.is_header(fast[0].header):
                raise ReadError("header_not_found", 0, self.expected_headers())
            try:
                ctx.count_rows(sum(block.num_rows for block in fast))
                return self._read_blocks(fast, ctx)
            except _RowsUnknownError:
                ctx.rows_read = 0
        return self._read_blocks(self._row_blocks(path, ctx), ctx)

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` data rows and what each column was recognised as."""
        blocks = (
            [parquet_head(path, rows)]
            if is_parquet(path)
            else open_tables(path, is_header=self.is_header)
        )
        if not blocks or not self.is_header(blocks[0].header):
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
