"""Parse and validate a quality-catalogue file into ``catalogue_model`` values.

Everything is checked before anything is built: unknown and missing keys, types, enum values,
school forms, source tags, Kolada ids, duplicate codes, year ranges, overlapping revisions of
one indicator and references from sub-goals and the conditions block to indicators. Every
problem becomes an ``Issue`` whose column is the JSON path (``indicators[3].unit``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from likvard_core.analytics.quality.catalogue_model import (
    FORMAT,
    SCHOOL_FORMS,
    Catalogue,
    CatalogueError,
    Conditions,
    DataSource,
    Direction,
    Goal,
    Indicator,
    IndicatorKind,
    PublicMeasure,
    Status,
    SubGoal,
    SuccessFactor,
    Unit,
)
from likvard_core.ingest.issues import IssueLog

E = TypeVar("E", bound=StrEnum)
KOLADA_ID = re.compile(r"^[A-Z]\d{5}$")
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
FIRST_YEAR, LAST_YEAR = 1990, 2100
YEARS = f"a school year between {FIRST_YEAR} and {LAST_YEAR}"

# key -> (type name, required); the type names are the keys of _CHECKS.
TOP = {
    "format": ("str", True),
    "version": ("str", True),
    "description": ("text", False),
    "sources": ("object", True),
    "goals": ("list", True),
    "indicators": ("list", True),
    "success_factors": ("list", True),
    "conditions": ("object", True),
}
_ENTRY = {"code": ("str", True), "status": ("str", True), "sources": ("strs", True)}
GOAL = {
    **_ENTRY,
    "school_form": ("str", True),
    "title": ("str", True),
    "note": ("text", False),
    "sub_goals": ("list", False),
}
SUB_GOAL = {**_ENTRY, "title": ("str", True), "indicators": ("strs", True), "note": ("text", False)}
INDICATOR = {
    **_ENTRY,
    "name": ("str", True),
    "definition": ("str", True),
    "unit": ("str", True),
    "direction": ("str", True),
    "population": ("str", True),
    "data_source": ("str", True),
    "school_forms": ("strs", True),
    "kind": ("str", True),
    "kolada_kpi": ("str?", False),
    "kolada_related": ("strs", False),
    "valid_from": ("int", True),
    "valid_to": ("int?", False),
    "note": ("text", False),
    "public_measures": ("list", False),
    "local": ("bool", False),
}
MEASURE = {"source": ("str", True), "measure": ("str", True)}
FACTOR = {**_ENTRY, "title": ("str", True), "note": ("text", False)}
CONDITIONS = {
    "title": ("str", True),
    "status": ("str", True),
    "sources": ("strs", True),
    "indicators": ("strs", True),
    "note": ("text", False),
}

_CHECKS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str) and v.strip() != "",
    "text": lambda v: isinstance(v, str),
    "str?": lambda v: v is None or (isinstance(v, str) and v.strip() != ""),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "int?": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "bool": lambda v: isinstance(v, bool),
    "strs": lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v),
    "list": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
_EXPECTED = {
    "str": "a non-empty text",
    "text": "a text",
    "str?": "a non-empty text or null",
    "int": "a whole number",
    "int?": "a whole number or null",
    "bool": "true or false",
    "strs": "a list of non-empty texts",
    "list": "a list",
    "object": "an object",
}


class _Reader:
    """Walks the document, recording issues in ``log`` and returning values where valid."""

    def __init__(self, log: IssueLog, sources: Mapping[str, Any]) -> None:
        self.log = log
        self.sources = sources

    def shape(self, obj: object, spec: Mapping[str, tuple[str, bool]], path: str) -> bool:
        """Check keys and value types of ``obj``; True when every check passed."""
        if not isinstance(obj, dict):
            self.log.add(0, path, "invalid_choice", "an object")
            return False
        ok = True
        for key in obj:
            if key not in spec:
                self.log.add(0, f"{path}.{key}", "invalid_choice", "one of " + ", ".join(spec))
                ok = False
        for key, (kind, required) in spec.items():
            if key not in obj:
                if required:
                    self.log.add(0, f"{path}.{key}", "required_value", _EXPECTED[kind])
                    ok = False
            elif not _CHECKS[kind](obj[key]):
                self.log.add(0, f"{path}.{key}", "invalid_choice", _EXPECTED[kind])
                ok = False
        return ok

    def enum(self, enum: type[E], value: object, path: str) -> E | None:
        """``value`` as a member of ``enum``, or ``None`` with an issue."""
        for member in enum:
            if member.value == value:
                return member
        self.log.add(0, path, "invalid_choice", "one of " + ", ".join(m.value for m in enum))
        return None

    def tags(self, tags: list[str], path: str) -> tuple[str, ...]:
        """Source tags, each checked against the file's ``sources`` table."""
        for tag in tags:
            if tag not in self.sources:
                self.log.add(0, path, "invalid_code", "a tag defined in sources", tag)
        return tuple(tags)

    def forms(self, forms: list[str], path: str) -> tuple[str, ...]:
        """School-form codes, each checked against ``SCHOOL_FORMS``."""
        for form in forms:
            if form not in SCHOOL_FORMS:
                self.log.add(0, path, "invalid_choice", "one of " + ", ".join(SCHOOL_FORMS), form)
        return tuple(forms)

    def code(self, value: str, path: str) -> str:
        """An entry code: lower-case letters, digits and underscores."""
        if not CODE.match(value):
            self.log.add(0, path, "invalid_code", "lower-case letters, digits and _", value)
        return value


def _sub_goal(r: _Reader, obj: dict[str, Any], path: str) -> SubGoal | None:
    if not r.shape(obj, SUB_GOAL, path):
        return None
    status = r.enum(Status, obj["status"], f"{path}.status")
    if status is None:
        return None
    return SubGoal(
        code=r.code(obj["code"], f"{path}.code"),
        title=obj["title"],
        status=status,
        sources=r.tags(obj["sources"], f"{path}.sources"),
        indicators=tuple(obj["indicators"]),
        note=obj.get("note", ""),
    )


def _goal(r: _Reader, obj: dict[str, Any], path: str) -> Goal | None:
    if not r.shape(obj, GOAL, path):
        return None
    status = r.enum(Status, obj["status"], f"{path}.status")
    r.forms([obj["school_form"]], f"{path}.school_form")
    subs = [
        _sub_goal(r, s, f"{path}.sub_goals[{i}]") for i, s in enumerate(obj.get("sub_goals", []))
    ]
    if status is None or any(s is None for s in subs):
        return None
    _no_duplicates(r, [s.code for s in subs if s], f"{path}.sub_goals")
    return Goal(
        code=r.code(obj["code"], f"{path}.code"),
        school_form=obj["school_form"],
        title=obj["title"],
        status=status,
        sources=r.tags(obj["sources"], f"{path}.sources"),
        sub_goals=tuple(s for s in subs if s is not None),
        note=obj.get("note", ""),
    )


def _measures(r: _Reader, items: list[Any], path: str) -> tuple[PublicMeasure, ...] | None:
    measures = []
    for i, item in enumerate(items):
        if not r.shape(item, MEASURE, f"{path}[{i}]"):
            return None
        measures.append(PublicMeasure(item["source"], item["measure"]))
    return tuple(measures)


def _kolada(r: _Reader, ids: list[str], path: str) -> tuple[str, ...]:
    for kpi in ids:
        if not KOLADA_ID.match(kpi):
            r.log.add(0, path, "invalid_code", "a Kolada KPI id such as N15418", kpi)
    return tuple(ids)


def _indicator(r: _Reader, obj: dict[str, Any], path: str) -> Indicator | None:
    if not r.shape(obj, INDICATOR, path):
        return None
    enums = (
        r.enum(Unit, obj["unit"], f"{path}.unit"),
        r.enum(Direction, obj["direction"], f"{path}.direction"),
        r.enum(DataSource, obj["data_source"], f"{path}.data_source"),
        r.enum(IndicatorKind, obj["kind"], f"{path}.kind"),
        r.enum(Status, obj["status"], f"{path}.status"),
    )
    measures = _measures(r, obj.get("public_measures", []), f"{path}.public_measures")
    kpi = obj.get("kolada_kpi")
    valid_from, valid_to = obj["valid_from"], obj.get("valid_to")
    for key, year in (("valid_from", valid_from), ("valid_to", valid_to)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            r.log.add(0, f"{path}.{key}", "out_of_range", YEARS, str(year))
    if valid_to is not None and valid_from > valid_to:
        r.log.add(0, f"{path}.valid_to", "out_of_range", f"a year not before {valid_from}")
    unit, direction, source, kind, status = enums
    if unit is None or direction is None or source is None or kind is None or status is None:
        return None
    if measures is None:
        return None
    return Indicator(
        code=r.code(obj["code"], f"{path}.code"),
        name=obj["name"],
        definition=obj["definition"],
        unit=unit,
        direction=direction,
        population=obj["population"],
        data_source=source,
        school_forms=r.forms(obj["school_forms"], f"{path}.school_forms"),
        kind=kind,
        kolada_kpi=_kolada(r, [kpi], f"{path}.kolada_kpi")[0] if kpi else None,
        kolada_related=_kolada(r, obj.get("kolada_related", []), f"{path}.kolada_related"),
        status=status,
        sources=r.tags(obj["sources"], f"{path}.sources"),
        valid_from=valid_from,
        valid_to=valid_to,
        note=obj.get("note", ""),
        public_measures=measures,
        local=obj.get("local", False),
    )


def _factor(r: _Reader, obj: dict[str, Any], path: str) -> SuccessFactor | None:
    if not r.shape(obj, FACTOR, path):
        return None
    status = r.enum(Status, obj["status"], f"{path}.status")
    if status is None:
        return None
    return SuccessFactor(
        code=r.code(obj["code"], f"{path}.code"),
        title=obj["title"],
        status=status,
        sources=r.tags(obj["sources"], f"{path}.sources"),
        note=obj.get("note", ""),
    )


def _conditions(r: _Reader, obj: dict[str, Any], path: str) -> Conditions | None:
    if not r.shape(obj, CONDITIONS, path):
        return None
    status = r.enum(Status, obj["status"], f"{path}.status")
    if status is None:
        return None
    return Conditions(
        title=obj["title"],
        status=status,
        sources=r.tags(obj["sources"], f"{path}.sources"),
        indicators=tuple(obj["indicators"]),
        note=obj.get("note", ""),
    )


def _no_duplicates(r: _Reader, codes: list[str], path: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            r.log.add(0, path, "duplicate_key", "code", code)
        seen.add(code)


def _check_revisions(r: _Reader, indicators: list[Indicator]) -> None:
    """Revisions of one code must not overlap; their order in the file is by ``valid_from``."""
    by_code: dict[str, list[Indicator]] = {}
    for ind in indicators:
        by_code.setdefault(ind.code, []).append(ind)
    for code, revisions in by_code.items():
        ordered = sorted(revisions, key=lambda i: i.valid_from)
        for before, after in itertools.pairwise(ordered):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                r.log.add(
                    0,
                    "indicators",
                    "inconsistent_values",
                    f"revisions of {code} must not overlap: one ends before {after.valid_from}",
                    code,
                )


def _check_references(
    r: _Reader, goals: list[Goal], conditions: Conditions, codes: set[str]
) -> None:
    for g, goal in enumerate(goals):
        for s, sub in enumerate(goal.sub_goals):
            for code in sub.indicators:
                if code not in codes:
                    path = f"goals[{g}].sub_goals[{s}].indicators"
                    r.log.add(0, path, "invalid_code", "an indicator code", code)
    for code in conditions.indicators:
        if code not in codes:
            r.log.add(0, "conditions.indicators", "invalid_code", "an indicator code", code)


def _ordered(indicators: list[Indicator]) -> tuple[Indicator, ...]:
    """Revisions grouped by code in order of first appearance, oldest revision first."""
    first: dict[str, int] = {}
    for position, ind in enumerate(indicators):
        first.setdefault(ind.code, position)
    return tuple(sorted(indicators, key=lambda i: (first[i.code], i.valid_from)))


def _items(r: _Reader, doc: dict[str, Any], key: str, build: Callable[..., Any]) -> list[Any]:
    built = [build(r, obj, f"{key}[{i}]") for i, obj in enumerate(doc[key])]
    return [b for b in built if b is not None]


def parse_catalogue(data: bytes, *, source_name: str) -> Catalogue:
    """The validated catalogue in JSON ``data``; ``CatalogueError`` listing every problem.

    ``source_name`` names the file in issues. The whole file is checked before anything is
    returned, so an invalid file yields all its issues at once and no partial catalogue.
    """
    log = IssueLog(source_name)
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.add(0, "", "invalid_json", str(exc))
        raise CatalogueError(log.issues()) from exc
    reader = _Reader(log, {})
    if not reader.shape(doc, TOP, "$"):
        raise CatalogueError(log.issues())
    if doc["format"] != FORMAT:
        log.add(0, "$.format", "invalid_choice", FORMAT, str(doc["format"]))
    reader.sources = doc["sources"]
    goals = _items(reader, doc, "goals", _goal)
    indicators = _items(reader, doc, "indicators", _indicator)
    factors = _items(reader, doc, "success_factors", _factor)
    conditions = _conditions(reader, doc["conditions"], "conditions")
    _no_duplicates(reader, [g.code for g in goals], "goals")
    _no_duplicates(reader, [g.school_form for g in goals], "goals.school_form")
    _no_duplicates(reader, [f.code for f in factors], "success_factors")
    _check_revisions(reader, indicators)
    if conditions is not None:
        _check_references(reader, goals, conditions, {i.code for i in indicators})
    if log or conditions is None:
        raise CatalogueError(log.issues())
    return Catalogue(
        version=doc["version"],
        goals=tuple(goals),
        indicators=_ordered(indicators),
        success_factors=tuple(factors),
        conditions=conditions,
        sources=dict(doc["sources"]),
    )
