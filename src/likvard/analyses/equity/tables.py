"""The equity tables as export tables: Swedish headers, names beside codes, shares as percent.

The columns the equity tables have beyond the common ones (``likvard.exports.released``) are
listed here; hidden cells are ``..`` with the status saying why, and the provenance closes every
sheet. The workbook itself is written by ``likvard.exports``.

A row is named by all its leading breakdown columns (school unit, subject, school year, group,
with their codes), not by the school unit alone: they are the table's key, repeated on every
printed page across when a table of 20-30 columns is printed over several pages (issue #16),
so a reader of the second page across can tell which subject and group a row is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from likvard.access.release import Released
from likvard.exports.document import Document, Kind, Section
from likvard.exports.files import render
from likvard.exports.released import COLUMNS as COMMON
from likvard.exports.released import Spec, released_table

HIDDEN = ("period",)
"""Columns left out of the exported tables."""
_PERCENT = Kind.PERCENT
COLUMNS: dict[str, Spec] = {
    "n_lower": Spec("Lägre betyg än prov (antal)", Kind.COUNT),
    "n_same": Spec("Samma betyg som prov (antal)", Kind.COUNT),
    "n_higher": Spec("Högre betyg än prov (antal)", Kind.COUNT),
    "share_lower": Spec("Lägre betyg än prov (andel)", _PERCENT, 0),
    "share_same": Spec("Samma betyg som prov (andel)", _PERCENT, 0),
    "share_higher": Spec("Högre betyg än prov (andel)", _PERCENT, 0),
    "mean_step_difference": Spec("Medelskillnad (betygssteg)", Kind.DECIMAL, 2),
    "share_lower_ci_low": Spec("Lägre: 95 % intervall från", _PERCENT, 0),
    "share_lower_ci_high": Spec("Lägre: 95 % intervall till", _PERCENT, 0),
    "share_same_ci_low": Spec("Samma: 95 % intervall från", _PERCENT, 0),
    "share_same_ci_high": Spec("Samma: 95 % intervall till", _PERCENT, 0),
    "share_higher_ci_low": Spec("Högre: 95 % intervall från", _PERCENT, 0),
    "share_higher_ci_high": Spec("Högre: 95 % intervall till", _PERCENT, 0),
    "flag_higher": Spec("Avviker: högre"),
    "flag_lower": Spec("Avviker: lägre"),
    "above_higher": Spec("Högre: över övriga skolenheter"),
    "above_lower": Spec("Lägre: över övriga skolenheter"),
    "comparison_share_higher": Spec("Hela jämförelsen: högre (avrundad)", _PERCENT, 0),
    "comparison_share_lower": Spec("Hela jämförelsen: lägre (avrundad)", _PERCENT, 0),
    "flag_reason": Spec("Förklaring"),
    "shares_rounded": Spec("~100 (alla utom högst fyra)"),
    "years": Spec("År", Kind.COUNT),
    "observed_share_higher": Spec("Högre: andel under perioden", _PERCENT, 0),
    "expected_share_higher": Spec("Högre: förväntad andel", _PERCENT, 0),
    "observed_share_lower": Spec("Lägre: andel under perioden", _PERCENT, 0),
    "expected_share_lower": Spec("Lägre: förväntad andel", _PERCENT, 0),
    "years_above_higher": Spec("Högre: år över", Kind.COUNT),
    "years_below_higher": Spec("Högre: år under", Kind.COUNT),
    "systematic_higher": Spec("Systematiskt: högre"),
    "years_above_lower": Spec("Lägre: år över", Kind.COUNT),
    "years_below_lower": Spec("Lägre: år under", Kind.COUNT),
    "systematic_lower": Spec("Systematiskt: lägre"),
    "pattern_reason": Spec("Förklaring"),
}
"""Swedish headers and kinds of the equity tables' own columns."""


def equity_document(
    sheets: Sequence[tuple[str, Released]],
    *,
    title: str,
    filename: str,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> Document:
    """The equity tables as a document, one section (sheet) per table. ``names`` maps school
    unit codes to names; ``labels`` maps a column to display values (subjects, groups)."""
    given = dict(labels or {})
    if names is not None:
        given["school_unit_code"] = dict(names)
    sections = [
        Section(
            sheet_title,
            [
                replace(
                    released_table(released, extra=COLUMNS, names_of=given, hide=HIDDEN),
                    key=key_columns(released),
                )
            ],
        )
        for sheet_title, released in sheets
    ]
    return Document(title=title, sections=sections, filename=filename)


def key_columns(released: Released) -> int:
    """How many of the written columns name a row: the breakdown columns ``released`` leads
    with, a code column beside each name counted too (at least one)."""
    specs = {**COMMON, **COLUMNS}
    key = 0
    for column in released.table.schema.names:
        if column in HIDDEN:
            continue
        if column not in released.dims:
            break
        spec = specs.get(column)
        key += 2 if spec is not None and spec.code else 1
    return max(1, key)


def equity_workbook(
    sheets: Sequence[tuple[str, Released]],
    *,
    names: Mapping[str, str],
    labels: Mapping[str, Mapping[str, str]],
    title: str = "",
) -> bytes:
    """An XLSX file of the equity tables: Swedish headers, names beside codes, shares as
    percent, counts as integers, school years written ``2024/25``, frozen header rows."""
    document = equity_document(sheets, title=title, filename="", names=names, labels=labels)
    return render(document, "xlsx").content
