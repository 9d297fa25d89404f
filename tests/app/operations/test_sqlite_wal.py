"""The app database on SQLite writes ahead (issue #18): a page's audit row is appended to the
log instead of syncing a rollback journal, and readers do not wait for a writer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from likvard.settings.base import _database_from_url


def test_the_sqlite_database_writes_ahead(tmp_path: Path) -> None:
    options = _database_from_url("")["OPTIONS"]
    assert isinstance(options, dict)
    connection = sqlite3.connect(tmp_path / "likvard.sqlite3")
    try:
        for command in options["init_command"].split(";"):
            connection.execute(command)
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = connection.execute("PRAGMA synchronous").fetchone()[0]
    finally:
        connection.close()
    assert mode == "wal"
    assert synchronous == 1  # NORMAL: safe with a write-ahead log
    assert options["timeout"] == 20  # the web server and the worker wait for each other
