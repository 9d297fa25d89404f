"""A read-only view of one data version: an in-memory DuckDB over that version's Parquet files.

Each snapshot has its own connection to an in-memory database with one view per fact table
over exactly its version's files (the database is kept per process and set of files, see
``KEPT_BASES``; a fact table without files is an empty table), so nothing is shared with a
writer staging the next batch, and a snapshot opened on version A keeps seeing exactly A's
files. A snapshot runs queries only, so nothing in the shared database can be changed. After
the views exist the database is locked down: it may read only the warehouse's ``batches/``
directory, cannot write files, attach databases, load extensions or change its
configuration. A connection is not thread-safe: use one snapshot per thread.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Self

import duckdb
import pyarrow as pa

from likvard_core.warehouse.contract import ContractError, conform_batch, contract_table
from likvard_core.warehouse.lifecycle import BATCHES_DIR
from likvard_core.warehouse.row_groups import student_digests, student_ranges
from likvard_core.warehouse.schema import FACT_TABLES, FactTable

Params = Sequence[object] | Mapping[str, object] | None

#: How many versions' databases a process keeps. Opening a snapshot made a new in-memory
#: DuckDB database with its views each time (70-150 ms, most of a page that reads the
#: warehouse once); a snapshot is now a cursor of the kept database of its version's files
#: (well under a millisecond). Cursors share the views and the locked-down settings, not
#: what a caller registers or creates on its own cursor. Keyed by the process too: a DuckDB
#: database must not cross a fork.
KEPT_BASES = 4
_BASES: OrderedDict[tuple[object, ...], tuple[duckdb.DuckDBPyConnection, tuple[str, ...]]] = (
    OrderedDict()
)
_BASES_LOCK = threading.Lock()
_MAY_WRITE = re.compile(
    r"\b(create|insert|update|delete|drop|alter|attach|detach|copy|set|reset|pragma|call"
    r"|install|load|import|export|checkpoint|vacuum|use|begin|commit|rollback|truncate)\b",
    re.IGNORECASE,
)


class Snapshot:
    """A read-only, pinned view of one data version; use it as a context manager."""

    _version: str
    _con: duckdb.DuckDBPyConnection
    _root: Path | None
    _files: Mapping[str, tuple[str, ...]]

    def __init__(
        self,
        root: Path,
        files: Mapping[str, Sequence[str]],
        version: str,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
    ) -> None:
        self._version = version
        key = (os.getpid(), str(root), threads, memory_limit, _files_key(files))
        with _BASES_LOCK:
            kept = _BASES.get(key)
        if kept is None or not all(os.path.isfile(p) for p in kept[1]):
            kept = _base(root, files, threads, memory_limit)
        with _BASES_LOCK:
            _BASES[key] = kept
            _BASES.move_to_end(key)
            while len(_BASES) > KEPT_BASES:
                # dropped, not closed: a snapshot still reading from it keeps it alive
                _BASES.popitem(last=False)
            self._con = kept[0].cursor()
        self._root = root
        self._files = {name: tuple(paths) for name, paths in files.items()}

    @classmethod
    def from_tables(
        cls, tables: Mapping[str, pa.Table], version: str, *, threads: int | None = None
    ) -> Snapshot:
        """A snapshot over in-memory Arrow tables (tests, small data), conformed to the contract.

        ``batch_id`` is filled with ``version`` where a table lacks it; tables not given are empty.
        """
        snapshot = cls.__new__(cls)
        snapshot._version = version
        snapshot._root = None
        snapshot._files = {}
        conformed = {
            name: conform_batch(contract_table(name), table, table_batch_id(table, version))
            for name, table in tables.items()
        }
        snapshot._con = _memory_cursor(threads)
        try:
            for fact in FACT_TABLES.values():
                data = conformed.get(fact.name, fact.schema.empty_table())
                snapshot._con.register(f"_arrow_{fact.name}", data)
            snapshot._con.execute(
                ";\n".join(
                    f'CREATE TEMP VIEW "{fact.name}" AS SELECT * FROM "_arrow_{fact.name}"'
                    for fact in FACT_TABLES.values()
                )
            )
        except BaseException:
            snapshot._con.close()
            raise
        return snapshot

    @property
    def version(self) -> str:
        """The data version this snapshot shows."""
        return self._version

    def query(self, sql: str, params: Params = None) -> pa.Table:
        """Run ``sql`` with bound ``params`` and return the whole result as an Arrow table."""
        return self.relation(sql, params).to_arrow_table()

    def query_with(
        self, tables: Mapping[str, pa.Table], sql: str, params: Params = None
    ) -> pa.Table:
        """``query`` where each of ``tables`` (in-memory Arrow) is a relation of that name,
        registered on this snapshot's own cursor for the query alone (a computation over
        rows already read, e.g. equity's counts updated from parts, issue #18)."""
        for name, table in tables.items():
            self._con.register(name, table)
        try:
            return self.query(sql, params)
        finally:
            for name in tables:
                self._con.unregister(name)

    def students_source(self, table: str, students: Sequence[str]) -> str:
        """SQL for a relation named ``table`` with every row of ``students`` in this
        snapshot's ``table`` (and rows of others: filter by ``student_key`` as before), read
        from only the row groups of its files that can hold them (``row_groups``: a kept index
        per file; a file without a usable one is read whole). A snapshot over in-memory
        tables gives the table itself."""
        fact = contract_table(table)
        name = _identifier(table)
        if self._root is None or not self._files.get(table):
            return name
        root = self._root.resolve()
        columns = ", ".join(_identifier(c) for c in fact.columns)
        parts, whole = [], []
        wanted = student_digests(students)
        for relative in self._files[table]:
            path = _literal(str(_resolve(root, relative)))
            ranges = student_ranges(root, relative, wanted)
            if ranges is None:
                whole.append(path)
            elif ranges:
                rows = " OR ".join(
                    f"(file_row_number >= {start} AND file_row_number < {stop})"
                    for start, stop in ranges
                )
                parts.append(
                    f"SELECT {columns} FROM read_parquet({path}, file_row_number = true) "
                    f"WHERE {rows}"
                )
        if whole:
            parts.append(f"SELECT {columns} FROM read_parquet([{', '.join(whole)}])")
        if not parts:
            return f"(SELECT * FROM {name} LIMIT 0) AS {name}"
        return f"({' UNION ALL '.join(parts)}) AS {name}"

    def relation(self, sql: str, params: Params = None) -> duckdb.DuckDBPyRelation:
        """A lazy DuckDB relation for ``sql``; valid only while the snapshot is open.

        Only queries: the snapshot's views live in a database other snapshots of the version
        share, so a statement that could change it is refused (the parse only runs when the
        text names such a statement, so a plain query costs nothing more)."""
        if _MAY_WRITE.search(sql):
            for statement in self._con.extract_statements(sql):
                if statement.type != duckdb.StatementType.SELECT:
                    raise ContractError(f"a snapshot only reads: {statement.type.name} refused")
        return self._con.sql(sql, params=params)

    def close(self) -> None:
        """Close the DuckDB connection; the snapshot cannot be used afterwards."""
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def table_batch_id(table: pa.Table, default: str) -> str:
    """The single ``batch_id`` value of ``table``, or ``default`` when it has no such column."""
    if "batch_id" not in table.schema.names or table.num_rows == 0:
        return default
    values = table.column("batch_id").unique().to_pylist()
    if len(values) != 1 or not isinstance(values[0], str):
        raise ContractError("an in-memory table must have a single non-empty batch_id")
    return values[0]


def _resolve(root: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ContractError(f"snapshot file {relative!r} must be a relative path under root")
    if pure.parts[0] != BATCHES_DIR or pure.suffix != ".parquet":
        raise ContractError(f"snapshot file {relative!r} is not a batch Parquet file")
    path = root.joinpath(*pure.parts)
    if not path.is_file():
        raise FileNotFoundError(f"snapshot file {relative!r} is missing under {root}")
    return path


_MEMORY_BASES: dict[tuple[int, int | None], duckdb.DuckDBPyConnection] = {}
"""The locked-down empty database of ``Snapshot.from_tables``, per process and thread count.
Each such snapshot is a cursor of it with its tables registered and its views temporary: both
belong to the cursor alone and go when it closes. A new database per snapshot cost some 15 ms
of CPU to open and close (DuckDB sets up its catalogue of functions each time), a cursor less
than one; the warm-up's updates from the changed students' rows open several per page, the
test suite thousands."""


def _memory_cursor(threads: int | None) -> duckdb.DuckDBPyConnection:
    key = (os.getpid(), threads)
    with _BASES_LOCK:
        base = _MEMORY_BASES.get(key)
        if base is None:
            base = _MEMORY_BASES[key] = _connect(threads, None)
            _lock_down(base, [])
        return base.cursor()


def _files_key(files: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((name, tuple(paths)) for name, paths in files.items()))


def _base(
    root: Path,
    files: Mapping[str, Sequence[str]],
    threads: int | None,
    memory_limit: str | None,
) -> tuple[duckdb.DuckDBPyConnection, tuple[str, ...]]:
    """A locked-down in-memory database with one view per fact table over ``files``, and the
    absolute paths of those files (checked again whenever the database is reused)."""
    resolved_root = root.resolve()
    for name in files:
        contract_table(name)
    paths = {name: [_resolve(resolved_root, p) for p in files[name]] for name in files}
    con = _connect(threads, memory_limit)
    try:
        empty = []
        for fact in FACT_TABLES.values():
            if paths.get(fact.name):
                con.execute(_view_sql(fact, paths[fact.name]))
            else:
                empty.append(_empty_table_sql()[fact.name])
        if empty:
            con.execute(";\n".join(empty))
        _lock_down(con, [resolved_root / BATCHES_DIR])
    except BaseException:
        con.close()
        raise
    return con, tuple(str(p) for ps in paths.values() for p in ps)


def _connect(threads: int | None, memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    if threads is not None:
        config["threads"] = threads
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(":memory:", config=config)  # noqa: TID251
    con.execute("SET enable_progress_bar = false")  # a long query must not draw on stdout
    return con


def _view_sql(fact: FactTable, paths: Sequence[Path]) -> str:
    files = ", ".join(_literal(str(p)) for p in paths)
    columns = ", ".join(f'"{c}"' for c in fact.columns)
    return f'CREATE VIEW "{fact.name}" AS SELECT {columns} FROM read_parquet([{files}])'


@functools.cache
def _empty_table_sql() -> dict[str, str]:
    """Each fact table's ``CREATE TABLE``, with the column types DuckDB gives its contract's
    Arrow schema (``_create_empty``, once per process). Creating an empty table from Arrow
    costs some 4 ms; a snapshot with no files has 13 of them, and the test suite opens
    thousands: the plain statement is nearly free."""
    con = _connect(1, None)
    try:
        statements = {}
        for fact in FACT_TABLES.values():
            _create_empty(con, fact)
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_name = ? ORDER BY ordinal_position",
                [fact.name],
            ).fetchall()
            body = ", ".join(f"{_identifier(name)} {kind}" for name, kind in columns)
            statements[fact.name] = f"CREATE TABLE {_identifier(fact.name)} ({body})"
    finally:
        con.close()
    return statements


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_empty(con: duckdb.DuckDBPyConnection, fact: FactTable) -> None:
    con.register(f"_empty_{fact.name}", fact.schema.empty_table())
    con.execute(f'CREATE TABLE "{fact.name}" AS SELECT * FROM "_empty_{fact.name}"')
    con.unregister(f"_empty_{fact.name}")


def _lock_down(con: duckdb.DuckDBPyConnection, readable: Sequence[Path]) -> None:
    if readable:
        allowed = ", ".join(_literal(f"{p}/") for p in readable)
        con.execute(f"SET allowed_directories = [{allowed}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
