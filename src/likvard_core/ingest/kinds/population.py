"""SCB population by municipality, age and gender (Statistikdatabasen's BE0101 tables).

Two layouts are accepted: SCB's own export with one column per year (``region, ålder, kön,
2023, 2024``) and a long form (``kommun; ålder; kön; år; antal``). Region cells may be a code
(``1480``) or SCB's ``1480 Göteborg``. Rows for the whole country, counties, all ages or both
genders together are totals: they are skipped, not imported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Preview
from likvard_core.ingest.kinds.row_kind import duplicate_keys
from likvard_core.ingest.readers import ReadError, TableBlock, open_tables
from likvard_core.ingest.validation.cells import (
    CellError,
    integer,
    looks_like_formula,
    normalise_header,
)
from likvard_core.warehouse.schema import POPULATION, batch_column

_REGION = re.compile(r"(\d{2,4})(?:\s+.*)?")
_AGE = re.compile(r"(\d{1,3})\+?(?:\s*år)?")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_GENDERS = {
    "män": "M",
    "man": "M",
    "m": "M",
    "1": "M",
    "kvinnor": "F",
    "kvinna": "F",
    "k": "F",
    "f": "F",
    "2": "F",
}
_TOTALS = frozenset({"totalt", "totaltålder", "mänochkvinnor", "samtliga", "riket"})
_ROLES = {
    "region": ("region", "kommun", "kommunkod"),
    "age": ("ålder", "alder", "age"),
    "gender": ("kön", "kon", "gender"),
    "year": ("år", "ar", "year"),
    "persons": ("antal", "folkmängd", "personer", "persons"),
}
_MAX_AGE = 120
_MAX_PERSONS = 10_000_000


def _role(header: str) -> str | None:
    key = normalise_header(header)
    return next((role for role, names in _ROLES.items() if key in names), None)


def is_population_header(cells: Sequence[str]) -> bool:
    """True for a header naming a region or kommun column and an age column."""
    roles = {_role(cell) for cell in cells}
    return "region" in roles and "age" in roles


@dataclass(frozen=True, slots=True)
class _Layout:
    region: int
    age: int
    gender: int
    values: tuple[tuple[int, int | None], ...]  # (column, year or None: year from 'år')
    year: int | None


def _layout(block: TableBlock, ctx: Context) -> _Layout | None:
    roles: dict[str, int] = {}
    years: list[tuple[int, int | None]] = []
    for index, header in enumerate(block.header):
        role = _role(header)
        if role is not None:
            roles.setdefault(role, index)
        elif _YEAR.fullmatch(header.strip()):
            years.append((index, int(header.strip())))
    if "persons" in roles:
        years = [(roles["persons"], None)]
    for role in ("region", "age", "gender"):
        if role not in roles:
            ctx.log.add(block.header_row, "", "missing_column", _ROLES[role][0], file=block.source)
    if not years or ("year" not in roles and years[0][1] is None):
        ctx.log.add(
            block.header_row,
            "",
            "missing_column",
            "år and antal, or one column per year",
            file=block.source,
        )
    if ctx.log:
        return None
    return _Layout(roles["region"], roles["age"], roles["gender"], tuple(years), roles.get("year"))


def _keys(cells: list[str], layout: _Layout) -> tuple[str, int, str] | None:
    """(municipality, age, gender) of a row, None for a total row; CellError when invalid."""
    region, age, gender = (cells[i].strip() for i in (layout.region, layout.age, layout.gender))
    if {normalise_header(region), normalise_header(age), normalise_header(gender)} & _TOTALS:
        return None
    match = _REGION.fullmatch(region)
    if match is None:
        raise CellError("invalid_code", "kommunkod, e.g. 1480 or 1480 Göteborg")
    if len(match.group(1)) == 2:  # noqa: PLR2004  (a county or the country: a total)
        return None
    age_match = _AGE.fullmatch(age)
    if age_match is None or int(age_match.group(1)) > _MAX_AGE:
        raise CellError("out_of_range", "age 0-120, e.g. 15 or 15 år")
    sex = _GENDERS.get(gender.casefold())
    if sex is None:
        raise CellError("invalid_choice", "män or kvinnor")
    return match.group(1).zfill(4), int(age_match.group(1)), sex


class PopulationKind:
    """SCB population tables."""

    name = "population"
    tables = (POPULATION,)
    description = "SCB population by municipality, age and gender (31 December)."

    def _row(
        self,
        number: int,
        cells: list[str],
        *,
        layout: _Layout,
        out: dict[str, list[object]],
        block: TableBlock,
        ctx: Context,
    ) -> int:
        try:
            keys = _keys(cells, layout)
        except CellError as error:
            ctx.log.add(number, "", error.code, error.expected, file=block.source)
            return 0
        if keys is None:
            return 0
        added = 0
        for index, year in layout.values:
            cell = cells[index]
            try:
                row_year = (
                    year if year is not None else integer(cells[layout.year or 0], 1900, 2100)
                )
                persons = integer(cell, 0, _MAX_PERSONS)
            except CellError as error:
                code = "formula" if looks_like_formula(cell) else error.code
                ctx.log.add(number, block.header[index], code, error.expected, file=block.source)
                continue
            for name, value in zip(
                ("year", "municipality_code", "age", "gender", "persons"),
                (row_year, *keys, persons),
                strict=True,
            ):
                out[name].append(value)
            added += 1
        return added

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """The ``population`` table, or ``{}`` when any issue was logged."""
        blocks = open_tables(path, is_header=is_population_header)
        if not blocks:
            raise ReadError("header_not_found", 0, "region, ålder, kön")
        block = blocks[0]
        layout = _layout(block, ctx)
        if layout is None:
            return {}
        out: dict[str, list[object]] = {n: [] for n in POPULATION.columns if n != "batch_id"}
        numbers: list[int] = []
        width = len(block.header)
        for number, cells in block.rows:
            ctx.count_row()
            if len(cells) < width:
                ctx.log.add(number, "", "row_too_short", f"{width} cells", file=block.source)
                continue
            numbers.extend(
                [number] * self._row(number, cells, layout=layout, out=out, block=block, ctx=ctx)
            )
        if not numbers and not ctx.log:
            ctx.log.add(block.header_row, "", "no_data_rows", file=block.source)
        if ctx.log:
            return {}
        size = len(numbers)
        out["batch_id"] = batch_column(ctx.batch_id, size)
        table = pa.Table.from_pydict(out, schema=POPULATION.schema)
        for index, _f, code, expected in duplicate_keys(table, POPULATION.key):
            ctx.log.add(numbers[index], "", code, expected, file=block.source)
        return {} if ctx.log else {POPULATION.name: table}

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` data rows and what each column was recognised as."""
        blocks = open_tables(path, is_header=is_population_header)
        if not blocks:
            raise ReadError("header_not_found", 0, "region, ålder, kön")
        block = blocks[0]
        columns = []
        for header in block.header:
            role = _role(header) or ("persons" if _YEAR.fullmatch(header.strip()) else None)
            columns.append(ColumnMeaning(header, role, role or "ignored"))
        shown: list[tuple[int, tuple[str, ...]]] = []
        for number, cells in block.rows:
            if len(shown) >= rows:
                break
            shown.append((number, tuple(cells)))
        return Preview(self.name, block.source, block.header_row, tuple(columns), tuple(shown))


POPULATION_KIND = PopulationKind()
