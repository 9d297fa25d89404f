"""Kolada's API answers (key figures per municipality and year) as ``public_stats`` rows.

A file is what Kolada's read API returns for ``/v2/data/kpi/{ids}/municipality/{ids}/year/
{years}`` (and the same route of v3, ``https://api.kolada.se/v3/data/...``, which answers in the
same shape), saved as it came, or several such pages saved as one JSON list::

    {"count": 2, "values": [
        {"kpi": "N15033", "municipality": "1384", "period": 2023,
         "values": [{"gender": "T", "count": 1, "status": "", "value": 11.9}, ...]},
        ...]}

Each entry of an inner ``values`` list becomes one row: ``source = "kolada"``, ``measure`` =
the KPI id, ``group`` from the gender (``T`` all, ``K`` girls/women, ``M`` boys/men), the area
from the municipality id (``0000`` Riket, ``00NN`` a region = county NN, otherwise a municipality
of the register) and ``school_year`` from the period (see ``school_year_of``). A ``null`` value
is stored as missing (status ``missing``), never as zero; ``raw`` keeps the value as published
and Kolada's ``status`` text. A ``period`` given on the inner entries instead of the record (as
some v3 clients describe it) is read too. Organisational-unit answers (``/oudata``, records with
``ou`` instead of ``municipality``) are refused: Kolada's unit ids (``V15E144001301``) are not
skolenhetskoder and cannot be joined with anything in the warehouse. Municipality groups (ids
``G…``, unweighted means of members) are refused too.

Issues name the record's 1-based position in the file (``row``) and its JSON path (``column``,
e.g. ``values[3].values[1].value``); a document that is not JSON names the line of the error.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from likvard_core.ingest.issues import IssueLog
from likvard_core.ingest.sources.kolada_reference import (
    AUTUMN_CENSUS_KPIS,
    COUNTY_CODES,
    MUNICIPALITY_CODES,
)
from likvard_core.terms import Group, ValueStatus
from likvard_core.warehouse.contract import table_from_lists
from likvard_core.warehouse.schema import PUBLIC_STATS

SOURCE = "kolada"
TABLE_NAME = "kolada"
"""``table_name`` of every Kolada row (the KPI id is the ``measure``)."""
NATION_CODE = "0000"
KPI_ID = re.compile(r"[NU]\d{5}")
GENDERS: dict[str, Group] = {"T": Group.ALL, "K": Group.GIRLS, "M": Group.BOYS}
FIRST_PERIOD, LAST_PERIOD = 1990, 2100
_REGION_PREFIX = "00"
_AREA_DIGITS = 4
_NEXT_PAGE = ("next_page", "next_url")
_EXPECTED_ANSWER = 'Kolada\'s answer {"count": N, "values": [...]} or a list of such pages'
_EXPECTED_RECORD = "an object with kpi, municipality, period and values"
Json = dict[str, Any]


def school_year_of(kpi: str, period: int) -> int:
    """The school year (spring year) a Kolada ``period`` of ``kpi`` describes.

    Period T of a KPI counted at the autumn census (15 October; ``AUTUMN_CENSUS_KPIS``) is
    läsår T/T+1, so spring year T+1; every other period T is the spring year T itself (results
    and surveys of the läsår ending in the spring of T, or calendar-year figures).
    """
    return period + 1 if kpi in AUTUMN_CENSUS_KPIS else period


def area_of(code: str) -> tuple[str, str] | None:
    """(level, area_code) of a Kolada municipality id, or None when it is not one we know."""
    if code == NATION_CODE:
        return "nation", NATION_CODE
    if len(code) != _AREA_DIGITS or not code.isdigit():
        return None
    if code.startswith(_REGION_PREFIX) and code[2:] in COUNTY_CODES:
        return "county", code[2:]
    if code in MUNICIPALITY_CODES:
        return "municipality", code
    return None


@dataclass(slots=True)
class KoladaRows:
    """The rows read so far (one list per ``public_stats`` column) and where each came from."""

    lists: dict[str, list[object]] = field(
        default_factory=lambda: {name: [] for name in PUBLIC_STATS.columns if name != "batch_id"}
    )
    places: list[tuple[int, str]] = field(default_factory=list)  # (record row, JSON path)
    records: int = 0

    def add(self, place: tuple[int, str], **values: object) -> None:
        """Append one row read at ``place``."""
        for name, value in values.items():
            self.lists[name].append(value)
        self.places.append(place)

    def table(self, batch_id: str) -> pa.Table:
        """The rows as a ``public_stats`` table with ``batch_id`` filled."""
        return table_from_lists(PUBLIC_STATS, self.lists, len(self.places), batch_id)


def load_document(data: bytes, log: IssueLog) -> object | None:
    """The parsed JSON of ``data``, or None with an issue naming the line of the error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.add(0, "", "invalid_json", "a JSON document in UTF-8 (Kolada's API answer)")
        return None
    try:
        document: object = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        log.add(error.lineno, "", "invalid_json", f"complete JSON ({error.msg} at {where})")
        return None
    except RecursionError:
        log.add(0, "", "invalid_json", "JSON nested at most a few levels deep")
        return None
    return document


def pages_of(document: object, log: IssueLog) -> list[tuple[str, list[object]]]:
    """(JSON path prefix, records) of each page of ``document``; [] with an issue if none."""
    pages = document if isinstance(document, list) else [document]
    found: list[tuple[str, list[object]]] = []
    for index, page in enumerate(pages):
        prefix = f"[{index}].values" if isinstance(document, list) else "values"
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            log.add(
                0,
                f"[{index}]" if isinstance(document, list) else "",
                "invalid_json",
                _EXPECTED_ANSWER,
            )
            return []
        found.append((prefix, page["values"]))
    if not found:
        log.add(0, "", "invalid_json", _EXPECTED_ANSWER)
        return []
    last = pages[-1]
    named = [k for k in _NEXT_PAGE if isinstance(last, dict) and isinstance(last.get(k), str)]
    if named:
        log.add(
            0,
            f"[{len(pages) - 1}].{named[0]}" if isinstance(document, list) else named[0],
            "inconsistent_values",
            "every page of the answer: the last page saved still names a next page",
        )
    return found


def read_records(pages: list[tuple[str, list[object]]], out: KoladaRows, log: IssueLog) -> None:
    """Every record of ``pages`` into ``out``; problems go to ``log``."""
    for prefix, records in pages:
        for index, record in enumerate(records):
            out.records += 1
            _Record(out.records, f"{prefix}[{index}]", out, log).read(record)


@dataclass(slots=True)
class _Record:
    """One record of an answer: a KPI, an area and a period with up to three values."""

    row: int
    path: str
    out: KoladaRows
    log: IssueLog

    def issue(self, name: str, code: str, expected: str, hint: object = None) -> None:
        column = f"{self.path}.{name}" if name else self.path
        shown = None if hint is None else str(hint)
        self.log.add(self.row, column, code, expected, shown)

    def read(self, record: object) -> None:
        if not isinstance(record, dict):
            self.issue("", "invalid_json", _EXPECTED_RECORD)
            return
        kpi = self._kpi(record)
        area = self._area(record)
        values = record.get("values")
        if not isinstance(values, list):
            self.issue("values", "invalid_json", "a list of values per gender")
            return
        period: int | None = None
        if "period" in record:
            period = self._period(record, "period")
            if period is None:
                return
        if kpi is None or area is None:
            return
        for index, entry in enumerate(values):
            self._value(entry, index, kpi=kpi, area=area, period=period)

    def _kpi(self, record: Json) -> str | None:
        kpi = record.get("kpi")
        if not isinstance(kpi, str) or not KPI_ID.fullmatch(kpi):
            self.issue("kpi", "invalid_code", "a Kolada KPI id: N or U and 5 digits", kpi)
            return None
        return kpi

    def _area(self, record: Json) -> tuple[str, str] | None:
        if "municipality" not in record and "ou" in record:
            expected = "municipality data; unit (ou) ids are not skolenhetskoder, not imported"
            self.issue("ou", "invalid_code", expected, record["ou"])
            return None
        code = record.get("municipality")
        area = area_of(code) if isinstance(code, str) else None
        if area is None:
            expected = "a kommunkod of the register, 00 + a county code, or 0000 (Riket)"
            self.issue("municipality", "invalid_code", expected, code)
        return area

    def _period(self, holder: Json, column: str) -> int | None:
        raw = holder.get("period")
        if isinstance(raw, str) and raw.isdigit():
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.issue(column, "invalid_school_year", "a year such as 2024", raw)
            return None
        if not FIRST_PERIOD <= raw <= LAST_PERIOD:
            self.issue(column, "out_of_range", f"a year {FIRST_PERIOD}-{LAST_PERIOD}", raw)
            return None
        return raw

    def _value(
        self, entry: object, index: int, *, kpi: str, area: tuple[str, str], period: int | None
    ) -> None:
        name = f"values[{index}]"
        if not isinstance(entry, dict):
            self.issue(name, "invalid_json", "an object with gender, value and status")
            return
        if period is None:
            if "period" not in entry:
                self.issue("period", "required_value", "the period (year) of the record")
                return
            period = self._period(entry, f"{name}.period")
            if period is None:
                return
        group = GENDERS.get(str(entry.get("gender")))
        if group is None:
            self.issue(f"{name}.gender", "invalid_choice", "T, K or M", entry.get("gender"))
        value = entry.get("value")
        number_ok = value is None or _is_number(value)
        if not number_ok:
            self.issue(f"{name}.value", "invalid_number", "a number or null", value)
        status = entry.get("status")
        if status is not None and not isinstance(status, str):
            self.issue(f"{name}.status", "invalid_choice", "a text or null", status)
        if group is None or not number_ok or not _is_text(status):
            return
        raw = json.dumps(value) + (f" ({status})" if status else "")
        self.out.add(
            (self.row, f"{self.path}.{name}"),
            source=SOURCE,
            table_name=TABLE_NAME,
            school_year=school_year_of(kpi, period),
            level=area[0],
            area_code=area[1],
            organizer_type="all",
            subject="",
            measure=kpi,
            group=group.value,
            value=None if value is None else float(value),
            status=(ValueStatus.MISSING if value is None else ValueStatus.EXISTS).value,
            raw=raw,
        )


def _is_number(value: object) -> bool:
    """True for a finite JSON number that fits a float (not ``true``, ``"78,1"`` or 1e400)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _is_text(status: object) -> bool:
    return status is None or isinstance(status, str)


def duplicate_rows(out: KoladaRows, log: IssueLog) -> None:
    """An issue for every row whose key (KPI, area, school year, group) came earlier."""
    seen: set[tuple[object, ...]] = set()
    columns = [out.lists[name] for name in ("measure", "level", "area_code", "school_year")]
    groups = out.lists["group"]
    for index, place in enumerate(out.places):
        key = (*(column[index] for column in columns), groups[index])
        if key in seen:
            log.add(place[0], place[1], "duplicate_key", "KPI, municipality, period and gender")
        seen.add(key)
