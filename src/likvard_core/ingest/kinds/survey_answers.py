"""Survey vendors' result files: one row per respondent, one column per question.

The file names its survey version in the column ``enkät`` (``gr-elev/2025``, the same on every
row); its question columns are checked against that version's definition
(``likvard_core.analytics.surveys``) before any row is read: the first column that is not the
definition's next question (a file of another survey or version, as the guardian survey of
2023) refuses the file, naming that column. Each answer must be a value of its question's scale
(or blank: not answered). All or nothing: one issue and nothing is imported. The rows become
``survey_answers``, one per respondent and question; respondent ids are hashed, and no name,
personnummer or address is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
import pyarrow as pa

from likvard_core.analytics.surveys.definition import SurveyVersion
from likvard_core.analytics.surveys.registry import builtin_definitions
from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Preview
from likvard_core.ingest.readers import ReadError, TableBlock, is_blank, open_tables
from likvard_core.ingest.validation.cells import CellError, normalise_header, school_unit_code
from likvard_core.ingest.validation.cells import school_year as parse_school_year
from likvard_core.warehouse.schema import SURVEY_ANSWERS, batch_column

FIXED: dict[str, tuple[str, ...]] = {
    "survey": ("enkät", "enkat", "survey"),
    "respondent": ("respondent", "respondent-id", "respondentid", "id"),
    "school_year": ("läsår", "lasar", "school_year"),
    "school_unit_code": ("skolenhetskod", "school_unit_code"),
    "year_group": ("årskurs", "arskurs", "year_group"),
    "gender": ("kön", "kon", "gender"),
}
"""The respondent's columns, by field: accepted headers (compared normalised)."""
_REQUIRED = ("survey", "respondent", "school_year", "school_unit_code")
_GENDERS = {"f": "F", "flicka": "F", "kvinna": "F", "m": "M", "pojke": "M", "man": "M"}
_OTHER_GENDER = {"", "annat", "vill ej svara", "-", "x"}


def _field_of(header: str) -> str | None:
    name = normalise_header(header)
    return next((f for f, names in FIXED.items() if name in names), None)


def _is_header(cells: Sequence[str]) -> bool:
    fields = {_field_of(c) for c in cells}
    return "survey" in fields and "school_unit_code" in fields


def respondent_key(version: SurveyVersion, school_year: int, respondent: str) -> str:
    """The stored key of a vendor's respondent id: a hash within survey, version and year."""
    text = f"{version.key}|{school_year}|{respondent}".encode()
    return hashlib.blake2b(text, digest_size=12).hexdigest()


@dataclass(slots=True)
class _Columns:
    fixed: dict[str, int] = field(default_factory=dict)
    questions: list[tuple[int, str]] = field(default_factory=list)  # (position, code)


def _columns(block: TableBlock, ctx: Context) -> _Columns:
    out = _Columns()
    for position, header in enumerate(block.header):
        name = _field_of(header)
        if name is None:
            out.questions.append((position, header.strip()))
        elif name in out.fixed:
            ctx.log.add(block.header_row, header, "duplicate_column")
        else:
            out.fixed[name] = position
    for name in _REQUIRED:
        if name not in out.fixed:
            ctx.log.add(block.header_row, "", "missing_column", FIXED[name][0])
    return out


def _first_survey(block: TableBlock, position: int) -> tuple[int, str, list[tuple[int, list[str]]]]:
    rows = []
    for number, cells in block.rows:
        if is_blank(cells):
            continue
        rows.append((number, cells))
        value = cells[position].strip() if position < len(cells) else ""
        return number, value, rows
    return 0, "", rows


def check_questions(version: SurveyVersion, headers: Sequence[str]) -> tuple[str, str, str] | None:
    """The first file column that does not match ``version``'s questions, in order, as
    (column, issue code, expected); None when they match. Add-on questions may be absent."""
    expected = list(version.questions)
    at = 0
    for header in headers:
        while at < len(expected) and expected[at].code != header and expected[at].municipalities:
            at += 1  # an add-on question the file does not carry
        if at >= len(expected) or expected[at].code != header:
            want = expected[at].code if at < len(expected) else "no more questions"
            return header, "survey_mismatch", f"{want} of {version.key}"
        at += 1
    missing = [q.code for q in expected[at:] if not q.municipalities]
    if missing:
        return missing[0], "missing_column", f"{missing[0]} of {version.key}"
    return None


class SurveyAnswersKind:
    """Survey results from a vendor: a row per respondent, a column per question."""

    name = "survey_answers"
    tables = (SURVEY_ANSWERS,)
    description = "Survey results from a vendor: one row per respondent, a column per question."

    def read(self, path: Path, ctx: Context) -> dict[str, pa.Table]:
        """The ``survey_answers`` rows of the file; ``{}`` when any issue was logged."""
        blocks = open_tables(path, is_header=_is_header)
        if not blocks:
            raise ReadError("header_not_found", 0, "enkät, respondent, läsår, skolenhetskod")
        block = blocks[0]
        columns = _columns(block, ctx)
        if ctx.log:
            return {}
        survey_at = columns.fixed["survey"]
        row, key, head = _first_survey(block, survey_at)
        if not head:
            ctx.log.add(0, "", "no_data_rows")
            return {}
        version = builtin_definitions().get(key)
        if version is None:
            known = ", ".join(builtin_definitions())
            ctx.log.add(row, block.header[survey_at], "unknown_survey", known)
            return {}
        mismatch = check_questions(version, [code for _, code in columns.questions])
        if mismatch is not None:
            column, code, expected = mismatch
            ctx.log.add(block.header_row, column, code, expected)
            return {}
        rows = _Rows(version, block, columns, ctx)
        for number, cells in chain(head, block.rows):
            if not is_blank(cells):
                ctx.count_row()
                rows.add(number, cells)
        return {} if ctx.log else {SURVEY_ANSWERS.name: rows.table(ctx.batch_id)}

    def preview(self, path: Path, rows: int) -> Preview:
        """The first ``rows`` respondents, with each column's meaning."""
        blocks = open_tables(path, is_header=_is_header)
        if not blocks:
            raise ReadError("header_not_found", 0, "enkät, respondent, läsår, skolenhetskod")
        block = blocks[0]
        meanings = tuple(
            ColumnMeaning(h, f, f if f else f"question {h.strip()}")
            for h, f in ((h, _field_of(h)) for h in block.header)
        )
        shown: list[tuple[int, tuple[str, ...]]] = []
        for number, cells in block.rows:
            if len(shown) >= rows:
                break
            if not is_blank(cells):
                shown.append((number, tuple(cells)))
        return Preview(self.name, path.name, block.header_row, meanings, tuple(shown))


class _Rows:
    """Validates respondent rows and collects the long table."""

    def __init__(
        self, version: SurveyVersion, block: TableBlock, columns: _Columns, ctx: Context
    ) -> None:
        self.version = version
        self.header = block.header
        self.columns = columns
        self.ctx = ctx
        self.seen: dict[tuple[int, str], int] = {}
        self.respondents: list[tuple[int, str, str, int | None, str | None]] = []
        self.counts: list[int] = []  # answers (question columns) per kept respondent
        self.codes: list[str] = []
        self.values: list[int | None] = []
        self.allowed = {code: version.scale_of(code).values for _, code in columns.questions}
        self.as_text = {  # the usual spelling of each allowed value: a dict look-up per cell
            code: {str(v): v for v in values} for code, values in self.allowed.items()
        }

    def _cell(self, cells: list[str], name: str) -> str:
        position = self.columns.fixed.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    def _issue(self, row: int, name: str, code: str, expected: str = "", hint: str = "") -> None:
        column = self.header[self.columns.fixed[name]]
        self.ctx.log.add(row, column, code, expected, hint or None)

    def _respondent(
        self, number: int, cells: list[str]
    ) -> tuple[int, str, str, int | None, str | None] | None:
        ok = True
        if self._cell(cells, "survey") != self.version.key:
            self._issue(
                number, "survey", "inconsistent_values", f"one survey per file ({self.version.key})"
            )
            ok = False
        try:
            year = parse_school_year(self._cell(cells, "school_year"))
        except CellError as error:
            self._issue(number, "school_year", error.code, error.expected)
            ok, year = False, 0
        try:
            unit = school_unit_code(self._cell(cells, "school_unit_code"))
        except CellError as error:
            self._issue(number, "school_unit_code", error.code, error.expected)
            ok, unit = False, ""
        known = self.ctx.known_school_units
        if unit and known is not None and unit not in known:
            self._issue(
                number, "school_unit_code", "unknown_school_unit", "skolenhetsregistret", unit
            )
            ok = False
        scope = self.ctx.school_unit_scope
        if (
            unit
            and scope is not None
            and known is not None
            and unit in known
            and unit not in scope.units
        ):
            self._issue(number, "school_unit_code", scope.issue, scope.label, unit)
            ok = False
        group = self._year_group(number, cells)
        gender = self._gender(number, cells)
        respondent = self._cell(cells, "respondent")
        if not respondent:
            self._issue(number, "respondent", "required_value", "respondent id")
            return None
        if (year, respondent) in self.seen:
            self._issue(number, "respondent", "duplicate_key", "respondent")
            return None
        self.seen[(year, respondent)] = number
        if not ok or group == -1 or gender == "?":
            return None
        return year, respondent_key(self.version, year, respondent), unit, group, gender

    def _year_group(self, number: int, cells: list[str]) -> int | None:
        if "year_group" not in self.columns.fixed:
            return None
        text = self._cell(cells, "year_group")
        groups = self.version.year_groups
        if not text:
            return None
        if not text.isdigit() or (groups and int(text) not in groups):
            shown = ", ".join(str(g) for g in groups) or "1-13"
            self._issue(number, "year_group", "out_of_range", shown, text)
            return -1
        return int(text)

    def _gender(self, number: int, cells: list[str]) -> str | None:
        text = self._cell(cells, "gender").lower()
        if text in _GENDERS:
            return _GENDERS[text]
        if text in _OTHER_GENDER:
            return None
        self._issue(number, "gender", "invalid_choice", "F, M or blank", text)
        return "?"

    def add(self, number: int, cells: list[str]) -> None:
        """Validate one respondent's row and keep its answers."""
        respondent = self._respondent(number, cells)
        codes: list[str] = []
        values: list[int | None] = []
        width = len(cells)
        for position, code in self.columns.questions:
            text = cells[position].strip() if position < width else ""
            value = self.as_text[code].get(text)
            if value is None and text:
                allowed = self.allowed[code]
                if not text.lstrip("-").isdigit() or int(text) not in allowed:
                    expected = ", ".join(str(v) for v in sorted(allowed))
                    self.ctx.log.add(number, self.header[position], "out_of_range", expected, text)
                    continue
                value = int(text)
            codes.append(code)
            values.append(value)
        if respondent is None or self.ctx.log:
            return
        self.respondents.append(respondent)
        self.counts.append(len(codes))
        self.codes.extend(codes)
        self.values.extend(values)

    def table(self, batch_id: str) -> pa.Table:
        """The collected rows in ``SURVEY_ANSWERS``'s schema: each respondent's fields repeated
        over their answers."""
        rows = len(self.codes)
        schema = SURVEY_ANSWERS.schema
        repeat = pa.array(np.repeat(np.arange(len(self.respondents)), self.counts), pa.int64())
        fields = list(zip(*self.respondents, strict=True)) if self.respondents else [()] * 5
        per_respondent = {
            name: pa.array(list(column), schema.field(name).type).take(repeat)
            for name, column in zip(
                ("school_year", "respondent_key", "school_unit_code", "year_group", "gender"),
                fields,
                strict=True,
            )
        }
        columns = {
            "survey_key": pa.array([self.version.survey] * rows, pa.string()),
            "version": pa.array([self.version.version] * rows, pa.string()),
            **per_respondent,
            "question_code": pa.array(self.codes, pa.string()),
            "value": pa.array(self.values, schema.field("value").type),
        }
        arrays = [columns[f.name] for f in schema if f.name != "batch_id"]
        return pa.Table.from_arrays([*arrays, batch_column(batch_id, rows)], schema=schema)


SURVEY_ANSWERS_KIND = SurveyAnswersKind()
