"""Table-level checks of row kinds: duplicate keys, school units in the register and in scope.

Each check returns ``Finding`` tuples (row index in the table, field, issue code, expected).
The ``*_coded`` variants work on the small integer codes ``parse_column`` gives each parsed
value (equal values, equal codes; 0 for null), so a 10-million-row file is checked without
hashing its text columns again; they find exactly what the table-based variants find.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Finding = tuple[int, str, str, str]
"""A table-level problem: (row index in the table, field, issue code, expected)."""

REGISTER = "skolenhetsregistret"

YearRange = tuple[int | None, int | None]
"""First and last school year (as the table's ``school_year``) a unit counts; None: open."""


@dataclass(frozen=True, slots=True)
class SchoolUnitScope:
    """The school units an upload may name: its organizer's units, each with its years.

    ``label`` names the organizer in messages (its name: an organisation number looks like a
    personnummer to the redaction filters); ``units`` maps each of the organizer's school unit
    codes to the school years it belongs to the organizer in the register (``(None, None)``:
    every year). ``issue`` is the code of a row naming another unit: ``outside_organizer``, or
    ``outside_region`` for a region's joint file (the units located in its municipalities).
    """

    label: str
    units: Mapping[str, YearRange]
    issue: str = "outside_organizer"


def _key_codes(table: pa.Table, key: tuple[str, ...]) -> np.ndarray | None:
    """One int64 per row identifying its key (mixed radix of dictionary codes), or None."""
    codes: list[np.ndarray] = []
    radices: list[int] = []
    for name in key:
        encoded = pc.dictionary_encode(table[name].combine_chunks())
        codes.append(pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy() + 1)
        radices.append(len(encoded.dictionary) + 1)
    return _combined(codes, radices)


def _combined(codes: Sequence[np.ndarray], radices: Sequence[int]) -> np.ndarray | None:
    combined = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64)
    span = 1
    for column, radix in zip(codes, radices, strict=True):
        if span * radix >= 2**62:
            return None
        combined += column * span
        span *= radix
    return combined


def _repeats(codes: np.ndarray, key: tuple[str, ...]) -> list[Finding]:
    ordered = np.sort(codes)  # far cheaper than a stable argsort, needed only for repeats
    if not (ordered[1:] == ordered[:-1]).any():
        return []
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    repeats = np.sort(order[1:][ordered[1:] == ordered[:-1]])
    return [(int(index), "", "duplicate_key", " + ".join(key)) for index in repeats]


def duplicate_keys(table: pa.Table, key: tuple[str, ...]) -> list[Finding]:
    """Rows whose natural key repeats an earlier row's."""
    if table.num_rows == 0:
        return []
    codes = _key_codes(table, key)
    if codes is None:
        return _duplicate_keys_by_rows(table, key)
    return _repeats(codes, key)


def duplicate_keys_coded(
    table: pa.Table, key: tuple[str, ...], coded: Mapping[str, tuple[np.ndarray, int]]
) -> list[Finding]:
    """``duplicate_keys`` from each key column's value codes and their count (radix)."""
    if table.num_rows == 0:
        return []
    if any(name not in coded for name in key):
        return duplicate_keys(table, key)
    codes = _combined([coded[name][0] for name in key], [coded[name][1] for name in key])
    if codes is None:
        return duplicate_keys(table, key)
    return _repeats(codes, key)


def _duplicate_keys_by_rows(table: pa.Table, key: tuple[str, ...]) -> list[Finding]:
    seen: set[tuple[object, ...]] = set()
    findings: list[Finding] = []
    columns = [table[name].to_pylist() for name in key]
    for index, row_key in enumerate(zip(*columns, strict=True)):
        if row_key in seen:
            findings.append((index, "", "duplicate_key", " + ".join(key)))
        seen.add(row_key)
    return findings


def unknown_school_units(table: pa.Table, known: frozenset[str]) -> list[Finding]:
    """Rows whose school unit code is not in ``known``."""
    value_set = pa.array(sorted(known), pa.string())
    mask = pc.invert(pc.is_in(table["school_unit_code"], value_set=value_set))
    indices = pc.indices_nonzero(mask).to_pylist()
    return [(i, "school_unit_code", "unknown_school_unit", REGISTER) for i in indices]


def unknown_school_units_coded(
    codes: np.ndarray, distinct: Sequence[object], known: frozenset[str]
) -> list[Finding]:
    """``unknown_school_units`` from the school unit column's value codes (0, null: unknown)."""
    bad = [code for code, unit in enumerate(distinct, start=1) if unit not in known]
    if not bad and not (codes == 0).any():
        return []
    bad.append(0)
    rows = np.flatnonzero(np.isin(codes, bad))
    return [(int(i), "school_unit_code", "unknown_school_unit", REGISTER) for i in rows]


def _out_of_years(years: np.ndarray, span: YearRange) -> np.ndarray:
    first, last = span
    outside = np.zeros(len(years), dtype=bool)
    if first is not None:
        outside |= years < first
    if last is not None:
        outside |= years > last
    return outside


def outside_scope(
    table: pa.Table,
    codes: np.ndarray,
    distinct: Sequence[object],
    *,
    scope: SchoolUnitScope,
    known: frozenset[str] | None,
) -> list[Finding]:
    """Rows naming a school unit that is not the organizer's (in that school year).

    Units missing from the register altogether are left to ``unknown_school_units``.
    """
    mask = np.zeros(len(codes), dtype=bool)
    outside = [
        code
        for code, unit in enumerate(distinct, start=1)
        if unit not in scope.units and (known is None or unit in known)
    ]
    if outside:
        mask |= np.isin(codes, outside)
    bounded = {
        code: scope.units[str(unit)]
        for code, unit in enumerate(distinct, start=1)
        if unit in scope.units and scope.units[str(unit)] != (None, None)
    }
    if bounded and "school_year" in table.column_names:
        years = pc.fill_null(table["school_year"], 0).to_numpy()
        for code, span in bounded.items():
            mask |= (codes == code) & _out_of_years(years, span)
    rows = np.flatnonzero(mask)
    return [(int(i), "school_unit_code", scope.issue, scope.label) for i in rows]
