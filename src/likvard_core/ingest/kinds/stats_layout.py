"""How a Skolverket "Sök statistik" table is laid out: which columns are keys, which values.

Works out, from the preamble and the (one- or two-row) header, the table name, the school
year, the level (school unit, municipality, county, nation), and for each value column its
measure, group (all/girls/boys) and, in tables with one column per school year, its year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from likvard_core.ingest.readers import TableBlock
from likvard_core.ingest.validation.cells import normalise_header
from likvard_core.terms import Group, SchoolYear

_YEAR_HEADER = re.compile(r"(?:19|20)\d{2}(?:\s*/\s*\d{2})?")
_SCHOOL_YEAR_LINE = re.compile(r"valt\s+(?:läsår|år)\s*:\s*(\S+)", re.IGNORECASE)
_ORGANIZER_LINE = re.compile(r"typ av huvudman\s*:\s*(.+)", re.IGNORECASE)

AREA_COLUMNS = {"skolenhetskod": "school_unit", "kommunkod": "municipality", "länskod": "county"}
"""Code columns in order of precedence, and the level each one means."""

NAME_COLUMNS = frozenset(
    {"kommun", "skolkommun", "län", "skola", "huvudman", "huvudmanorgnr", "kommunnamn", "länsnamn"}
)
"""Descriptive columns that are not stored (names follow from the codes)."""

GROUP_WORDS: dict[str, str] = {
    "totalt": Group.ALL.value,
    "samtliga": Group.ALL.value,
    "flickor": Group.GIRLS.value,
    "pojkar": Group.BOYS.value,
}

ORGANIZER_TYPES: dict[str, str] = {
    "samtliga": "all",
    "kommunal": "kommunal",
    "enskild": "enskild",
    "statlig": "statlig",
    "region": "region",
    "internationellaskolor": "internationell",
}
"""Skolverket's 'Typ av huvudman' values → stored organizer_type."""


def is_stats_header(cells: Sequence[str]) -> bool:
    """True for the column row of a Skolverket table (it names a code column)."""
    return any(normalise_header(cell) in AREA_COLUMNS for cell in cells)


@dataclass(frozen=True, slots=True)
class ValueColumn:
    """One column of published values."""

    index: int
    label: str
    measure: str
    group: str
    school_year: int | None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything is in one table block."""

    table_name: str
    school_year: int | None
    organizer_type: str | None
    area_columns: dict[str, int]
    name_index: int | None
    organizer_index: int | None
    subject_index: int | None
    subject_header: str
    gender_index: int | None
    measure_index: int | None
    values: tuple[ValueColumn, ...]


def _preamble_text(block: TableBlock) -> list[str]:
    return [" ".join(cell for cell in row if cell) for row in block.preamble]


def table_name(block: TableBlock) -> str:
    """The report title: the first preamble line that is neither the source line nor a setting."""
    for line in _preamble_text(block):
        if line and not line.lower().startswith("statistik från") and ":" not in line:
            return line
    return block.sheet or block.source


def preamble_school_year(block: TableBlock) -> int | None:
    """The spring year from ``Valt läsår: 2024/25`` (or the year of ``Valt år: 2024``)."""
    for line in _preamble_text(block):
        match = _SCHOOL_YEAR_LINE.search(line)
        if match:
            try:
                return SchoolYear.parse(match.group(1)).spring
            except ValueError:
                return None
    return None


def preamble_organizer_type(block: TableBlock) -> str | None:
    """The organizer type of a sheet titled ``Typ av huvudman: Kommunal``, if any."""
    for line in _preamble_text(block):
        match = _ORGANIZER_LINE.search(line)
        if match:
            return ORGANIZER_TYPES.get(normalise_header(match.group(1)))
    return None


def _measure_and_group(header: str, group_header: str) -> tuple[str, str]:
    header_group = GROUP_WORDS.get(normalise_header(header))
    if header_group is not None and group_header:
        return group_header, header_group
    upper_group = GROUP_WORDS.get(normalise_header(group_header))
    if upper_group is not None:
        return header, upper_group
    if group_header:
        return f"{group_header}: {header}", Group.ALL.value
    return header, Group.ALL.value


def _year_of(header: str) -> int | None:
    if not _YEAR_HEADER.fullmatch(header.strip()):
        return None
    return SchoolYear.parse(header).spring


def analyse(block: TableBlock) -> Layout:
    """The layout of ``block``: key columns, value columns, table name and year."""
    roles: dict[str, int] = {}
    areas: dict[str, int] = {}
    values: list[ValueColumn] = []
    label_columns: list[int] = []
    years = [_year_of(header) for header in block.header]
    for index, header in enumerate(block.header):
        key = normalise_header(header)
        if key in AREA_COLUMNS:
            areas[AREA_COLUMNS[key]] = index
        elif key in NAME_COLUMNS or not key:
            roles.setdefault("name" if key in {"kommun", "skola"} else "_" + key, index)
        elif key in {"typavhuvudman", "ämne", "program", "kön", "uppgift"}:
            roles[key] = index
        elif years[index] is not None:
            values.append(ValueColumn(index, header, "", Group.ALL.value, years[index]))
        elif any(year is not None for year in years):
            label_columns.append(index)  # a wide-by-year table: this column names the subject
        else:
            group_header = block.group_header[index] if block.group_header else ""
            measure, group = _measure_and_group(header, group_header)
            values.append(ValueColumn(index, header, measure, group, None))
    subject_index = roles.get("ämne", roles.get("program"))
    subject_header = ""
    if subject_index is None and label_columns:
        subject_index = label_columns[0]
        subject_header = block.header[subject_index]
    return Layout(
        table_name=table_name(block),
        school_year=preamble_school_year(block),
        organizer_type=preamble_organizer_type(block),
        area_columns=areas,
        name_index=roles.get("name"),
        organizer_index=roles.get("typavhuvudman"),
        subject_index=subject_index,
        subject_header=subject_header,
        gender_index=roles.get("kön"),
        measure_index=roles.get("uppgift"),
        values=tuple(values),
    )
