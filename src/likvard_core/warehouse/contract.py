"""Conformance of Arrow data to the warehouse contract in ``schema.py``.

The writer and the in-memory snapshot both pass data through here, so a table that reaches a
Parquet file or a DuckDB view has exactly the contract's columns, in its order, with its types.
Errors name the table and column, never a value: fact columns may hold student-level data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.warehouse.schema import FACT_TABLES, FactTable, batch_column

BATCH_COLUMN = "batch_id"
_BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


class ContractError(ValueError):
    """Data does not match the warehouse contract; the message names table and columns."""


def check_batch_id(batch_id: str) -> str:
    """Return ``batch_id`` if it is a safe directory name (letters, digits, ``_``, ``-``)."""
    if not _BATCH_ID.match(batch_id):
        raise ContractError(
            f"batch id {batch_id!r} must be 1-128 letters, digits, '_' or '-', "
            "starting with a letter or digit"
        )
    return batch_id


def contract_table(name: str) -> FactTable:
    """The fact table called ``name``; ``ContractError`` listing the known names otherwise."""
    try:
        return FACT_TABLES[name]
    except KeyError:
        known = ", ".join(sorted(FACT_TABLES))
        raise ContractError(f"unknown fact table {name!r}; known tables: {known}") from None


def check_columns(fact: FactTable, schema: pa.Schema) -> None:
    """Raise ``ContractError`` unless ``schema`` has the contract's columns; batch_id optional."""
    names = list(schema.names)
    duplicated = sorted({n for n in names if names.count(n) > 1})
    missing = [c for c in fact.columns if c not in names and c != BATCH_COLUMN]
    extra = [c for c in names if c not in fact.columns]
    problems = []
    if duplicated:
        problems.append(f"duplicated columns {duplicated}")
    if missing:
        problems.append(f"missing columns {missing}")
    if extra:
        problems.append(f"unexpected columns {extra}")
    if problems:
        raise ContractError(f"table {fact.name!r}: " + "; ".join(problems))


def conform_batch(fact: FactTable, batch: pa.RecordBatch | pa.Table, batch_id: str) -> pa.Table:
    """Return ``batch`` as a table with the contract's schema, or raise ``ContractError``.

    Columns are reordered and cast safely (an overflow or unparsable value is an error, not a
    silent change); ``batch_id`` is filled in when absent and must equal ``batch_id`` when given;
    non-nullable contract columns must hold no nulls.
    """
    check_columns(fact, batch.schema)
    arrays: list[pa.Array | pa.ChunkedArray] = []
    for contract_field in fact.schema:
        if contract_field.name not in batch.schema.names:
            arrays.append(batch_column(batch_id, batch.num_rows))
            continue
        arrays.append(_cast_column(fact, batch.column(contract_field.name), contract_field))
    table = pa.Table.from_arrays(arrays, schema=fact.schema)
    if BATCH_COLUMN in batch.schema.names:
        differs = pc.sum(pc.not_equal(table.column(BATCH_COLUMN), batch_id)).as_py()
        if differs:
            raise ContractError(
                f"table {fact.name!r}: column 'batch_id' has {differs} rows not equal to the "
                f"batch being written ({batch_id!r})"
            )
    return table


def conform_batches(
    fact: FactTable, batches: Iterable[pa.RecordBatch | pa.Table], batch_id: str
) -> Iterator[pa.Table]:
    """Conform each batch of a stream; see ``conform_batch``."""
    for batch in batches:
        yield conform_batch(fact, batch, batch_id)


def empty_table(fact: FactTable) -> pa.Table:
    """An empty table with the contract's schema."""
    return fact.schema.empty_table()


def _cast_column(
    fact: FactTable, column: pa.Array | pa.ChunkedArray, target: pa.Field
) -> pa.Array | pa.ChunkedArray:
    if column.type != target.type:
        try:
            column = column.cast(target.type, safe=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            raise ContractError(
                f"table {fact.name!r}: column {target.name!r} cannot be read as {target.type}"
            ) from None
    if not target.nullable and column.null_count:
        raise ContractError(
            f"table {fact.name!r}: column {target.name!r} has {column.null_count} empty values "
            "but is required"
        )
    return column


def table_from_lists(
    fact: FactTable, lists: Mapping[str, list[object]], size: int, batch_id: str
) -> pa.Table:
    """``size`` rows of ``fact`` from one Python list per column, ``batch_id`` filled in."""
    arrays = [
        batch_column(batch_id, size)
        if column.name == "batch_id"
        else pa.array(lists[column.name], type=column.type)
        for column in fact.schema
    ]
    return pa.Table.from_arrays(arrays, schema=fact.schema)
