"""Kolada key figures (API answers in JSON) into the long-form ``public_stats`` table.

The reading and mapping rules are in ``likvard_core.ingest.sources.kolada_api``; this
adapter plugs them into the import pipeline: all or nothing, issues located by record and
JSON path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Preview
from likvard_core.ingest.readers import ReadError
from likvard_core.ingest.sources.kolada_api import (
    KoladaRows,
    duplicate_rows,
    load_document,
    pages_of,
    read_records,
)
from likvard_core.warehouse.schema import PUBLIC_STATS

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_EXPECTED_FORMAT = "Kolada's API answer in JSON (the web site's Excel and CSV files are not read)"
_PREVIEW_COLUMNS = (
    ColumnMeaning("kpi", "measure", "measure"),
    ColumnMeaning("municipality", "area_code", "area code (municipality)"),
    ColumnMeaning("period", "school_year", "period (year)"),
    ColumnMeaning("gender", "group", "group"),
    ColumnMeaning("value", "value", "value: Kolada"),
    ColumnMeaning("status", "raw", "status of the value"),
)


def _document_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("file_empty")
    if data.startswith(_WORKBOOK_MAGIC):
        raise ReadError("unsupported_format", 0, _EXPECTED_FORMAT)
    return data


class KoladaKind:
    """Key figures from Kolada's API (``/v2`` or ``/v3`` ``data/kpi/...``), saved as JSON."""

    name = "kolada"
    tables = (PUBLIC_STATS,)
    description = "Kolada key figures: the API's JSON answer per KPI, municipality and year."

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """The ``public_stats`` rows of a Kolada answer; ``{}`` when any issue was logged."""
        document = load_document(_document_bytes(path), ctx.log)
        if document is None:
            return {}
        pages = pages_of(document, ctx.log)
        out = KoladaRows()
        read_records(pages, out, ctx.log)
        ctx.count_rows(out.records)
        if ctx.log:
            return {}
        if not out.places:
            ctx.log.add(0, "values", "no_data_rows")
            return {}
        duplicate_rows(out, ctx.log)
        return {} if ctx.log else {PUBLIC_STATS.name: out.table(ctx.batch_id)}

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` values as (KPI, municipality, period, gender, value, status)."""
        data = _document_bytes(path)
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise ReadError("invalid_json", 0, _EXPECTED_FORMAT) from None
        shown: list[tuple[int, tuple[str, ...]]] = []
        pages = document if isinstance(document, list) else [document]
        records = [
            record
            for page in pages
            if isinstance(page, dict) and isinstance(page.get("values"), list)
            for record in page["values"]
        ]
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict) or not isinstance(record.get("values"), list):
                continue
            for entry in record["values"]:
                if len(shown) >= rows:
                    break
                item = entry if isinstance(entry, dict) else {}
                cells = (
                    record.get("kpi"),
                    record.get("municipality", record.get("ou")),
                    record.get("period", item.get("period")),
                    item.get("gender"),
                    item.get("value"),
                    item.get("status"),
                )
                shown.append((number, tuple("" if c is None else str(c) for c in cells)))
        return Preview(self.name, path.name, 0, _PREVIEW_COLUMNS, tuple(shown))


KOLADA_KIND = KoladaKind()
