"""What a file kind is: the interface every adapter implements, and the state of one import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from likvard_core.ingest.issues import IssueLog
from likvard_core.ingest.validation.table_checks import SchoolUnitScope
from likvard_core.warehouse.schema import FactTable

PROGRESS_EVERY = 10_000
"""Rows between two calls of the progress callback."""


class Context:
    """The state of one import: issues, the pseudonymiser, options and the row counter.

    ``known_school_units`` (the register) and ``school_unit_scope`` (the uploading organizer's
    units) limit the school units rows may name; None means no limit.
    """

    __slots__ = (
        "_progress",
        "batch_id",
        "file",
        "known_school_units",
        "log",
        "pseudonymise",
        "rows_read",
        "school_unit_scope",
    )

    def __init__(
        self,
        *,
        file: str,
        pseudonymise: Callable[[str], str],
        batch_id: str = "",
        known_school_units: frozenset[str] | None = None,
        school_unit_scope: SchoolUnitScope | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.file = file
        self.log = IssueLog(file)
        self.pseudonymise = pseudonymise
        self.batch_id = batch_id
        self.known_school_units = known_school_units
        self.school_unit_scope = school_unit_scope
        self._progress = progress
        self.rows_read = 0

    def count_row(self) -> None:
        """Count one data row read and report progress every ``PROGRESS_EVERY`` rows."""
        self.rows_read += 1
        if self._progress is not None and self.rows_read % PROGRESS_EVERY == 0:
            self._progress(self.rows_read)

    def count_rows(self, count: int) -> None:
        """Count ``count`` data rows read, reporting progress on each ``PROGRESS_EVERY``."""
        before = self.rows_read
        self.rows_read += count
        if (
            self._progress is not None
            and before // PROGRESS_EVERY != self.rows_read // PROGRESS_EVERY
        ):
            self._progress(self.rows_read)

    def finish_progress(self) -> None:
        """Report the final row count."""
        if self._progress is not None:
            self._progress(self.rows_read)


@dataclass(frozen=True, slots=True)
class ColumnMeaning:
    """What a file column was recognised as, for the upload preview."""

    header: str
    field: str | None  # the target field, or None when the column is ignored
    meaning: str


@dataclass(frozen=True, slots=True)
class Preview:
    """The first rows of a file as the import would read them, for the UI preview.

    Cells of sensitive columns (personnummer) are masked.
    """

    kind: str
    source: str
    header_row: int
    columns: tuple[ColumnMeaning, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


class Kind(Protocol):
    """One kind of import file, mapped to one or more fact tables."""

    @property
    def name(self) -> str:
        """The kind's name, as used in ``ingest_file(path, kind)``."""
        ...

    @property
    def tables(self) -> tuple[FactTable, ...]:
        """The fact tables this kind writes."""
        ...

    @property
    def description(self) -> str:
        """One line saying what files of this kind hold."""
        ...

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """Validated tables (issues go to ``ctx.log``); raises ``ReadError`` when unreadable."""
        ...

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` data rows with the detected column meanings."""
        ...
