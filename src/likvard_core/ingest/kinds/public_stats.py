"""Skolverket "Sök statistik" tables (CSV or XLSX) into the long-form ``public_stats`` table.

Every value cell becomes one row: (table, school year, level, area, organizer type, subject,
measure, group) → value, status and the cell as published. Marks keep their meaning as a
status with a missing value (``..`` → too_few); ``~100`` keeps 100 with status rounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Preview
from likvard_core.ingest.kinds.row_kind import duplicate_keys
from likvard_core.ingest.kinds.stats_layout import (
    GROUP_WORDS,
    ORGANIZER_TYPES,
    Layout,
    analyse,
    is_stats_header,
)
from likvard_core.ingest.readers import ReadError, TableBlock, open_tables
from likvard_core.ingest.validation.cells import looks_like_formula, normalise_header
from likvard_core.ingest.validation.marks import parse_marked
from likvard_core.terms import Group
from likvard_core.warehouse.contract import table_from_lists
from likvard_core.warehouse.schema import PUBLIC_STATS

SOURCE = "skolverket"
NATION_CODE = "0000"
"""area_code of the whole country (Kolada's code for Riket)."""

ASSOCIATION_LEVEL = "municipal_association"
"""Level of rows with a name but no code: kommunalförbund in the cost tables (name as code)."""

_NATION_NAMES = frozenset({"riket", "samtligakommuner", "helariket", "sverige"})
_AREA_DIGITS = {"school_unit": 8, "municipality": 4, "county": 2}
_EXPECTED_VALUE = "a number or a mark (. .. - ~100)"


@dataclass(slots=True)
class _Columns:
    """The long table being built, one list per schema column (batch_id added at the end)."""

    lists: dict[str, list[object]] = field(
        default_factory=lambda: {name: [] for name in PUBLIC_STATS.columns if name != "batch_id"}
    )
    numbers: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, number: int, origin: str, **values: object) -> None:
        for name, value in values.items():
            self.lists[name].append(value)
        self.numbers.append(number)
        self.sources.append(origin)

    def table(self, batch_id: str) -> pa.Table:
        return table_from_lists(PUBLIC_STATS, self.lists, len(self.numbers), batch_id)


def _area(cells: list[str], layout: Layout) -> tuple[str, str] | None:
    """(level, area_code) of a row, or None when its code is malformed."""
    for level, index in layout.area_columns.items():
        code = cells[index].strip()
        if code:
            digits = _AREA_DIGITS[level]
            padded = code.zfill(digits) if level != "school_unit" else code
            if len(padded) != digits or not padded.isdigit():
                return None
            return level, padded
    name = cells[layout.name_index].strip() if layout.name_index is not None else ""
    if normalise_header(name) in _NATION_NAMES or not layout.area_columns:
        return "nation", NATION_CODE
    if name and not looks_like_formula(name):
        return ASSOCIATION_LEVEL, name
    return None


class PublicStatsKind:
    """Published statistics tables from Skolverket."""

    name = "public_stats"
    tables = (PUBLIC_STATS,)
    description = "Skolverket 'Sök statistik' exports (CSV or XLSX) in long form."

    def _text(
        self, cells: list[str], index: int | None, number: int, block: TableBlock, ctx: Context
    ) -> str | None:
        if index is None:
            return ""
        text = cells[index].strip()
        if looks_like_formula(text):
            ctx.log.add(number, block.header[index], "formula", file=block.source)
            return None
        return text

    def _row_keys(
        self, cells: list[str], number: int, block: TableBlock, layout: Layout, ctx: Context
    ) -> tuple[str, str, str, str, str | None, str | None] | None:
        area = _area(cells, layout)
        if area is None:
            column = block.header[next(iter(layout.area_columns.values()))]
            ctx.log.add(
                number,
                column,
                "invalid_code",
                "a code of the right length",
                cells[layout.area_columns[next(iter(layout.area_columns))]],
                file=block.source,
            )
            return None
        organizer = layout.organizer_type or "all"
        if layout.organizer_index is not None:
            raw = cells[layout.organizer_index]
            found = ORGANIZER_TYPES.get(normalise_header(raw))
            if found is None:
                ctx.log.add(
                    number,
                    block.header[layout.organizer_index],
                    "invalid_choice",
                    "Samtliga, Kommunal, Enskild, Statlig, Region",
                    raw,
                    file=block.source,
                )
                return None
            organizer = found
        subject = self._text(cells, layout.subject_index, number, block, ctx)
        measure = self._text(cells, layout.measure_index, number, block, ctx)
        group = Group.ALL.value
        if layout.gender_index is not None:
            raw = cells[layout.gender_index]
            group = GROUP_WORDS.get(normalise_header(raw), "")
            if not group:
                ctx.log.add(
                    number,
                    block.header[layout.gender_index],
                    "invalid_choice",
                    "Totalt, Flickor or Pojkar",
                    raw,
                    file=block.source,
                )
                return None
        return area[0], area[1], organizer, group, subject, measure

    def _row(
        self,
        cells: list[str],
        number: int,
        *,
        block: TableBlock,
        layout: Layout,
        out: _Columns,
        ctx: Context,
    ) -> None:
        keys = self._row_keys(cells, number, block, layout, ctx)
        if keys is None:
            return
        level, area_code, organizer, row_group, subject, row_measure = keys
        if subject is None or row_measure is None:
            return
        for column in layout.values:
            raw = cells[column.index].strip()
            try:
                value, status = parse_marked(raw)
            except ValueError:
                code = "formula" if looks_like_formula(raw) else "invalid_number"
                hint = None if code == "formula" else raw
                ctx.log.add(number, column.label, code, _EXPECTED_VALUE, hint, file=block.source)
                continue
            year = column.school_year or layout.school_year
            measure = column.measure or row_measure or layout.subject_header
            group = row_group if layout.gender_index is not None else column.group
            out.add(
                number,
                block.source,
                source=SOURCE,
                table_name=layout.table_name,
                school_year=year,
                level=level,
                area_code=area_code,
                organizer_type=organizer,
                subject=subject,
                measure=measure,
                group=group,
                value=value,
                status=status.value,
                raw=raw,
            )

    def _block(self, block: TableBlock, out: _Columns, ctx: Context) -> None:
        layout = analyse(block)
        if not layout.values:
            ctx.log.add(block.header_row, "", "missing_column", "value columns", file=block.source)
            return
        if layout.school_year is None and any(v.school_year is None for v in layout.values):
            ctx.log.add(
                0,
                "",
                "invalid_school_year",
                "a line 'Valt läsår: 2024/25' above the header",
                file=block.source,
            )
            return
        width = len(block.header)
        before = len(out.numbers)
        for number, cells in block.rows:
            ctx.count_row()
            if len(cells) < width:
                ctx.log.add(
                    number,
                    "",
                    "row_too_short",
                    f"{width} cells, found {len(cells)}",
                    file=block.source,
                )
                continue
            self._row(cells, number, block=block, layout=layout, out=out, ctx=ctx)
        if len(out.numbers) == before and not ctx.log:
            ctx.log.add(block.header_row, "", "no_data_rows", file=block.source)

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """The ``public_stats`` table of a Skolverket export; ``{}`` when any issue was logged."""
        blocks = open_tables(path, is_header=is_stats_header, stop_at_blank=True)
        if not blocks:
            raise ReadError("header_not_found", 0, "Kommun-kod or Skol-enhetskod")
        out = _Columns()
        for block in blocks:
            self._block(block, out, ctx)
        if ctx.log:
            return {}
        table = out.table(ctx.batch_id)
        for index, _field, code, expected in duplicate_keys(table, PUBLIC_STATS.key):
            ctx.log.add(out.numbers[index], "", code, expected, file=out.sources[index])
        self._check_units(table, out, ctx)
        return {} if ctx.log else {PUBLIC_STATS.name: table}

    def _check_units(self, table: pa.Table, out: _Columns, ctx: Context) -> None:
        if ctx.known_school_units is None:
            return
        seen: set[int] = set()
        levels = table["level"].to_pylist()
        for index, code in enumerate(table["area_code"].to_pylist()):
            number = out.numbers[index]
            if levels[index] == "school_unit" and code not in ctx.known_school_units:
                if number not in seen:
                    ctx.log.add(
                        number,
                        "Skol-enhetskod",
                        "unknown_school_unit",
                        "skolenhetsregistret",
                        file=out.sources[index],
                    )
                seen.add(number)

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` data rows and what each column was recognised as."""
        blocks = open_tables(path, is_header=is_stats_header, stop_at_blank=True)
        if not blocks:
            raise ReadError("header_not_found", 0, "Kommun-kod or Skol-enhetskod")
        block = blocks[0]
        layout = analyse(block)
        meanings = {
            v.index: f"value: {v.measure or 'per Uppgift'} ({v.group}"
            f"{', ' + str(v.school_year) if v.school_year else ''})"
            for v in layout.values
        }
        for level, index in layout.area_columns.items():
            meanings[index] = f"area code ({level})"
        keys = {
            layout.organizer_index: "organizer type",
            layout.subject_index: "subject",
            layout.gender_index: "group",
            layout.measure_index: "measure",
        }
        meanings.update({k: v for k, v in keys.items() if k is not None})
        columns = tuple(
            ColumnMeaning(header, None if i not in meanings else header, meanings.get(i, "ignored"))
            for i, header in enumerate(block.header)
        )
        shown: list[tuple[int, tuple[str, ...]]] = []
        for number, cells in block.rows:
            if len(shown) >= rows:
                break
            shown.append((number, tuple(cells)))
        return Preview(self.name, block.source, block.header_row, columns, tuple(shown))


PUBLIC_STATS_KIND = PublicStatsKind()
