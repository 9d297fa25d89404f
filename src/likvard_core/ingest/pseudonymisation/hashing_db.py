"""An in-memory DuckDB for the import's set-at-a-time work (keyed hashing), locked down.

The connection is created here and nowhere else in ``ingest``: in memory, with no extension
auto-loading and, like a snapshot's (``warehouse.snapshot``), no external access at all (no
files, no network) and its configuration locked. Data goes in only as registered Arrow tables
and values only as bound parameters, so neither a personnummer nor the pseudonym key is ever
part of SQL text, and DuckDB's error messages are never passed on (they may quote values).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import duckdb
import pyarrow as pa


class EngineError(RuntimeError):
    """DuckDB failed inside the import; the message never holds data or DuckDB's own text."""


def _connect() -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    con = duckdb.connect(":memory:", config=config)  # noqa: TID251  (locked down below)
    try:
        con.execute("SET enable_progress_bar = false")  # never draw on the server's stdout
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def session() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh locked-down in-memory connection, closed on exit."""
    con = _connect()
    try:
        yield con
    finally:
        con.close()


def select_column(
    sql: str, tables: Mapping[str, pa.Table], params: Mapping[str, object]
) -> pa.ChunkedArray:
    """The single result column of ``sql`` over the registered ``tables``, in input order.

    ``sql`` must be a projection over one registered table (DuckDB keeps insertion order);
    ``params`` are bound by name. Raises ``EngineError`` without DuckDB's message.
    """
    try:
        with session() as con:
            for name, table in tables.items():
                con.register(name, table)
            result = con.sql(sql, params=dict(params)).to_arrow_table()
    except duckdb.Error as error:
        raise EngineError(f"DuckDB failed during the import ({type(error).__name__})") from None
    return result.column(0)
