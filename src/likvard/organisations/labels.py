"""The one labelling layer: the name a person sees for every code Likvärd stores.

Pages, charts, exports, the CLI and the API's ``label`` fields all name things through this
module, so a subject is "Matematik" everywhere and never "MA" in one place and a name in another.
Codes stay as secondary text next to the name where someone may need them (a school unit's
code, a municipality's kommunkod). ``docs/labels.md`` lists what is covered and how to use it.

The fixed code lists are English msgids translated in the Swedish catalogue (like every UI
string); names of organisations come from the reference tables. Every function returns the code
itself when it knows no name for it, so an unknown code is visible rather than silently hidden.
It lives in ``organisations``, the lowest app, so every app's views, services and exports may use
it (``pyproject.toml``'s layer contract).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from enum import StrEnum

from django.utils.translation import gettext, gettext_noop, ngettext

from likvard.organisations.models import Municipality, Organizer, Programme, Region, SchoolUnit
from likvard_core.terms import school_year_label as core_school_year_label


class LabelKind(StrEnum):
    """The kinds of code the layer names; the argument of ``label`` and the template filter."""

    SUBJECT = "subject"
    SCHOOL_FORM = "school_form"
    GROUP = "group"
    STATUS = "status"
    ORGANIZER_TYPE = "organizer_type"
    LEVEL = "level"
    AUDIT_ACTION = "audit_action"
    PURPOSE = "purpose"
    SCOPE = "scope"
    TABLE = "table"
    CHANNEL = "channel"
    PROGRAMME = "programme"
    MUNICIPALITY = "municipality"
    REGION = "region"
    ORGANIZER = "organizer"
    SCHOOL_UNIT = "school_unit"


SUBJECTS: dict[str, str] = {
    "BI": gettext_noop("Biology"),
    "BL": gettext_noop("Art"),
    "EN": gettext_noop("English"),
    "FY": gettext_noop("Physics"),
    "GE": gettext_noop("Geography"),
    "HI": gettext_noop("History"),
    "HKK": gettext_noop("Home and consumer studies"),
    "IDH": gettext_noop("Physical education and health"),
    "KE": gettext_noop("Chemistry"),
    "MA": gettext_noop("Mathematics"),
    "MU": gettext_noop("Music"),
    "RE": gettext_noop("Religious education"),
    "SH": gettext_noop("Civics"),
    "SL": gettext_noop("Crafts"),
    "SV": gettext_noop("Swedish"),
    "SVA": gettext_noop("Swedish as a second language"),
    "TK": gettext_noop("Technology"),
    "M1": gettext_noop("Modern languages (pupil's choice)"),
    "M2": gettext_noop("Modern languages (language choice)"),
    "ML": gettext_noop("Mother tongue"),
    "TN": gettext_noop("Sign language"),
    "JU": gettext_noop("Language choice"),
    "NO": gettext_noop("Natural sciences"),
    "SO": gettext_noop("Social sciences"),
}
"""Skolverket's subject codes in grundskola (the year-9 certificate and the national tests)."""

COURSE_SUBJECTS: dict[str, str] = {
    "MAT": "MA",
    "ENG": "EN",
    "SVE": "SV",
    "SVA": "SVA",
}
"""The subject of an upper-secondary course code (Gy11: ``MATMAT01a`` is Matematik 1a)."""

SCHOOL_FORMS: dict[str, str] = {
    "forskola": gettext_noop("Preschool"),
    "forskoleklass": gettext_noop("Preschool class"),
    "grundskola": gettext_noop("Compulsory school"),
    "anpassad_grundskola": gettext_noop("Adapted compulsory school"),
    "gymnasieskola": gettext_noop("Upper-secondary school"),
    "anpassad_gymnasieskola": gettext_noop("Adapted upper-secondary school"),
    "komvux": gettext_noop("Municipal adult education"),
    "sfi": gettext_noop("Swedish for immigrants"),
}
"""``likvard_core.terms.SchoolForm`` values."""

GROUPS: dict[str, str] = {
    "all": gettext_noop("All students"),
    "girls": gettext_noop("Girls"),
    "boys": gettext_noop("Boys"),
    "born_abroad": gettext_noop("Born abroad"),
    "born_in_sweden": gettext_noop("Born in Sweden"),
    "newly_arrived": gettext_noop("Newly arrived"),
    "parents_low": gettext_noop("Parents with compulsory education"),
    "parents_middle": gettext_noop("Parents with upper-secondary education"),
    "parents_high": gettext_noop("Parents with post-secondary education"),
}
"""Breakdown groups (``terms.Group`` and the background groups of the equity analysis)."""

STATUSES: dict[str, str] = {
    "exists": gettext_noop("Value shown"),
    "missing": gettext_noop("No data"),
    "too_few": gettext_noop("Too few students to show"),
    "rounded": gettext_noop("Rounded"),
    "not_applicable": gettext_noop("Not applicable"),
    "suppressed_complementary": gettext_noop("Hidden to protect another figure"),
    "withdrawn": gettext_noop("Withdrawn"),
    "not_yet_observable": gettext_noop("Not yet observable"),
}
"""``likvard_core.terms.ValueStatus`` values, and the reasons a released figure is not
applicable (``likvard.access.release.released_not_applicable``)."""

ORGANIZER_TYPES: dict[str, str] = {
    "all": gettext_noop("All organizer types"),
    "kommunal": gettext_noop("Municipal"),
    "enskild": gettext_noop("Private"),
    "statlig": gettext_noop("State"),
    "region": gettext_noop("Region"),
    "internationell": gettext_noop("International schools"),
}
"""``likvard_core.terms.OrganizerType`` values, plus ``all``."""

LEVELS: dict[str, str] = {
    "nation": gettext_noop("The whole country"),
    "county": gettext_noop("County"),
    "region": gettext_noop("Region"),
    "municipality": gettext_noop("Municipality"),
    "municipal_association": gettext_noop("Association of municipalities"),
    "organizer": gettext_noop("Organizer"),
    "school_unit": gettext_noop("School unit"),
}
"""The levels figures are computed on (``likvard_core.disclosure.Level`` and the statistics')."""

AUDIT_ACTIONS: dict[str, str] = {
    "read": gettext_noop("Read"),
    "export": gettext_noop("Export"),
    "import": gettext_noop("Import"),
}
"""What an audit event records (``access.audit``)."""

PURPOSES: dict[str, str] = {
    "quality.basis": gettext_noop("Analysis basis"),
    "equity.school": gettext_noop("Grade equity, school unit"),
    "equity.organizer": gettext_noop("Grade equity, organizer"),
    "equity.region": gettext_noop("Grade equity, region"),
    "equity.published": gettext_noop("Grade equity, published statistics"),
    "adjusted.organizer": gettext_noop("Adjusted results, organizer"),
    "adjusted.region": gettext_noop("Adjusted results, region"),
    "movement.admissions": gettext_noop("Student movement, admissions"),
    "movement.introduction": gettext_noop("Student movement, introduction programmes"),
    "movement.municipality": gettext_noop("Student movement, municipality"),
    "movement.region": gettext_noop("Student movement, region"),
    "planning.region": gettext_noop("Planning, region"),
    "enrolment overview": gettext_noop("Enrolment overview"),
    "completion.region": gettext_noop("Completed studies, region"),
    "completion.organizer": gettext_noop("Completed studies, organizer"),
    "completion.warning_list": gettext_noop("Early-warning list, school unit"),
    "incidents.region": gettext_noop("Incident follow-up, region"),
    "incidents.cases": gettext_noop("Incident cases, school unit"),
}
"""Why student-level data was read (the ``purpose`` of ``access.release.release``). A purpose
with more parts (``adjusted.organizer.year9``) takes the label of its longest known prefix."""

TABLES: dict[str, str] = {
    "enrolments": gettext_noop("Enrolments (15 October)"),
    "final_grades": gettext_noop("Final grades, years 6 and 9"),
    "national_tests": gettext_noop("National test results"),
    "course_grades": gettext_noop("Upper-secondary course grades"),
    "absence": gettext_noop("Absence"),
    "diplomas": gettext_noop("Diplomas and study certificates"),
    "incidents": gettext_noop("Reported incidents of degrading treatment"),
    "admissions": gettext_noop("Applications and admissions"),
    "public_stats": gettext_noop("Public statistics from Skolverket"),
    "kolada": gettext_noop("Key figures from Kolada"),
    "population": gettext_noop("Population by age (SCB)"),
    "komvux_starts": gettext_noop("Komvux starts and results"),
    "komvux_followup": gettext_noop("Komvux follow-up after completion"),
    "survey_answers": gettext_noop("Survey answers"),
    "catalogue.json": gettext_noop("The quality catalogue shipped with Likvärd"),
}
"""Import kinds, the fact tables of the warehouse and other named sources of figures."""

CHANNELS: dict[str, str] = {
    "web": gettext_noop("Web"),
    "api": gettext_noop("API"),
    "cli": gettext_noop("Command line"),
    "export": gettext_noop("Export"),
}
"""Where a read came from (``AuditEvent.channel``)."""

_FIXED: dict[LabelKind, dict[str, str]] = {
    LabelKind.SUBJECT: SUBJECTS,
    LabelKind.SCHOOL_FORM: SCHOOL_FORMS,
    LabelKind.GROUP: GROUPS,
    LabelKind.STATUS: STATUSES,
    LabelKind.ORGANIZER_TYPE: ORGANIZER_TYPES,
    LabelKind.LEVEL: LEVELS,
    LabelKind.AUDIT_ACTION: AUDIT_ACTIONS,
    LabelKind.TABLE: TABLES,
    LabelKind.CHANNEL: CHANNELS,
}


def year_label(year: int | str | None) -> str:
    """A calendar year as a year, ``2027`` (never ``2 027``: no thousands separator)."""
    return "" if year is None else str(int(year))


def school_year_label(spring: int | str | None) -> str:
    """A school year named by its spring year, as Swedish statistics write it: ``2026/27``."""
    return "" if spring is None else core_school_year_label(int(spring))


def year_span_label(first: int | str | None, last: int | str | None) -> str:
    """A span of calendar years, ``2027–2029`` (one year alone when both are the same)."""
    if first is None or last is None or int(first) == int(last):
        return year_label(first if first is not None else last)
    return f"{year_label(first)}\u2013{year_label(last)}"


def subject_label(code: str) -> str:
    """A subject or an upper-secondary course: ``MA`` → Matematik, ``MATMAT01a`` → Matematik 1a."""
    if code in SUBJECTS:
        return gettext(SUBJECTS[code])
    prefix, rest = code[:3], code[6:]
    if len(code) > 6 and prefix in COURSE_SUBJECTS and rest[:1].isdigit():  # noqa: PLR2004
        return f"{gettext(SUBJECTS[COURSE_SUBJECTS[prefix]])} {rest.lstrip('0')}"
    return code


def purpose_label(purpose: str) -> str:
    """Why student-level data was read, by its longest known prefix (``PURPOSES``)."""
    parts = purpose.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in PURPOSES:
            return gettext(PURPOSES[key])
    return purpose


def scope_label(scope: str) -> str:
    """The population an audited read covered, in words: ``organizers:2120001256`` →
    "Kungsbacka kommun", ``equity.grade_vs_test/grade_year:9/units:16/years:2016-2025`` →
    "årskurs 9 · 16 skolenheter · 2015/16–2024/25". The first part (the analysis, which the
    purpose already names) and parts only the code needs are left out."""
    parts = scope.split("/")
    analysis = parts[0] if ":" not in parts[0] else ""
    words: list[str] = []
    for part in parts[1:] if analysis else parts:
        key, _, value = part.partition(":")
        words.extend(_scope_words(key, value))
    text = " · ".join(words) or gettext("all of the analysis's data (%(analysis)s)") % {
        "analysis": analysis or scope
    }
    return text[:1].upper() + text[1:]


def scope_labels(scopes: Iterable[str]) -> dict[str, str]:
    """``scope_label`` of each distinct scope (scope → words), naming every code, region and
    indicator they share once, not once per scope: the audit log's 200 rows asked the
    database three times each (issue #16). Nothing is remembered after the call."""
    token = _REMEMBERED.set({})
    try:
        return {scope: scope_label(scope) for scope in dict.fromkeys(scopes)}
    finally:
        _REMEMBERED.reset(token)


_REMEMBERED: ContextVar[dict[tuple[str, str], str | None] | None] = ContextVar(
    "likvard_scope_names", default=None
)
"""The names found so far within one ``scope_labels`` call (None outside it)."""


def _remembered(kind: str, code: str, find: Callable[[str], str | None]) -> str | None:
    """``find(code)``, asked once per ``scope_labels`` call."""
    memo = _REMEMBERED.get()
    if memo is None:
        return find(code)
    if (kind, code) not in memo:
        memo[(kind, code)] = find(code)
    return memo[(kind, code)]


ScopeNamer = Callable[[str], str | None]
_SCOPE_NAMERS: list[ScopeNamer] = []


def scope_namer_add(namer: ScopeNamer) -> None:
    """Let an app name bare parts of the audit scopes it writes (the quality app its
    indicators, ``quality.levels/gr/gr9_merit_value/...``): ``namer`` gives a name or None."""
    if namer not in _SCOPE_NAMERS:
        _SCOPE_NAMERS.append(namer)


def _scope_words(key: str, value: str) -> list[str]:
    if not value:
        return _scope_bare(key)
    handler = _SCOPE_PARTS.get(key)
    return handler(value) if handler else []


def _scope_bare(key: str) -> list[str]:
    """A part without a value: a level, a region's code or a code an app names."""
    if key in LEVELS:
        return [gettext(LEVELS[key]).lower()]
    if key.isdigit():
        return [_code_name(key)]
    region = _remembered("region", key, region_label)
    if region != key:
        return [str(region)]
    for index, namer in enumerate(_SCOPE_NAMERS):
        name = _remembered(f"namer{index}", key, namer)
        if name:
            return [name]
    return []


def _scope_codes(value: str) -> list[str]:
    return [_code_name(item) for item in value.strip("[]").split(",") if item]


def _scope_years(value: str) -> list[str]:
    if value == "all":
        return [gettext("all years")]
    spans = [part for part in re.split(r"[\[\],\s-]+", value) if part.isdigit()]
    return [_school_span(spans)] if spans else []


def _school_span(spans: list[str]) -> str:
    first, last = school_year_label(spans[0]), school_year_label(spans[-1])
    return first if first == last else f"{first}\u2013{last}"


def _scope_count(value: str, words: Callable[[int], str]) -> list[str]:
    if not value.isdigit():
        return [gettext("all municipalities")] if value == "all" else []
    return [words(int(value)) % {"n": int(value)}]


_SCOPE_PARTS: dict[str, Callable[[str], list[str]]] = {
    "organizers": _scope_codes,
    "codes": _scope_codes,
    "organizer": _scope_codes,
    "region": lambda value: [str(_remembered("region", value, region_label))],
    "grade_year": lambda value: [gettext("year %(year)s") % {"year": value}],
    "years": _scope_years,
    "year": lambda value: [school_year_label(value)] if value.isdigit() else [],
    "planning": lambda value: [school_year_label(value)] if value.isdigit() else [],
    "from": lambda value: (
        [gettext("from %(year)s") % {"year": school_year_label(value)}] if value.isdigit() else []
    ),
    "population": _scope_codes,
    "municipality": _scope_codes,
    "school_unit": _scope_codes,
    "within": lambda value: (
        [gettext("within %(n)s days") % {"n": value}] if value.isdigit() else []
    ),
    "units": lambda value: _scope_count(
        value, lambda n: ngettext("%(n)d school unit", "%(n)d school units", n)
    ),
    "municipalities": lambda value: _scope_count(
        value, lambda n: ngettext("%(n)d municipality", "%(n)d municipalities", n)
    ),
}
"""How each ``key:value`` part of an audit scope is put in words; other parts are left out."""


_CODE_KINDS = {10: LabelKind.ORGANIZER, 8: LabelKind.SCHOOL_UNIT, 4: LabelKind.MUNICIPALITY}


def _code_name(code: str) -> str:
    """An organisation named by a code of unknown kind, judged by its length."""
    kind = _CODE_KINDS.get(len(code)) if code.isdigit() else None
    if kind is None:
        return code
    named: LabelKind = kind
    return str(_remembered(named, code, lambda c: label(named, c)))


def municipality_label(code: str) -> str:
    """A municipality's name from its kommunkod (``1384`` → Kungsbacka)."""
    return names(LabelKind.MUNICIPALITY, [code]).get(code, code)


def region_label(code: str) -> str:
    """A region's name from its code (``gr`` → Göteborgsregionen)."""
    return names(LabelKind.REGION, [code]).get(code, code)


def organizer_label(organisation_number: str) -> str:
    """An organizer's name from its organisation number."""
    return names(LabelKind.ORGANIZER, [organisation_number]).get(
        organisation_number, organisation_number
    )


def programme_label(code: str) -> str:
    """An upper-secondary programme's name from its code (``NA`` → Naturvetenskapsprogrammet)."""
    return names(LabelKind.PROGRAMME, [code]).get(code, code)


def names(kind: LabelKind | str, codes: Iterable[str]) -> dict[str, str]:
    """The names of many codes of one kind at once (one query for organisations), for tables,
    charts and exports. Codes without a known name are left out of the answer."""
    kind = LabelKind(kind)
    wanted = {str(code) for code in codes}
    if kind in _FIXED or kind in _PARSED:
        found = {code: label(kind, code) for code in wanted}
        return {code: name for code, name in found.items() if name != code}
    rows: Iterable[tuple[str, str]]
    if kind is LabelKind.MUNICIPALITY:
        rows = Municipality.objects.filter(code__in=wanted).values_list("code", "name")
    elif kind is LabelKind.REGION:
        rows = Region.objects.filter(code__in=wanted).values_list("code", "name")
    elif kind is LabelKind.ORGANIZER:
        rows = Organizer.objects.filter(organisation_number__in=wanted).values_list(
            "organisation_number", "name"
        )
    elif kind is LabelKind.SCHOOL_UNIT:
        rows = SchoolUnit.objects.filter(code__in=wanted).values_list("code", "name")
    else:
        rows = Programme.objects.filter(code__in=wanted).values_list("code", "name")
    return dict(rows)


def area_label(level: str, code: str) -> str:
    """The name of an area on any level: ``("municipality", "1384")`` → Kungsbacka,
    ``("region", "gr")`` → Göteborgsregionen, ``("nation", ...)`` → Riket."""
    if level == "nation":
        return gettext(LEVELS["nation"])
    kinds = {
        "region": LabelKind.REGION,
        "municipality": LabelKind.MUNICIPALITY,
        "organizer": LabelKind.ORGANIZER,
        "school_unit": LabelKind.SCHOOL_UNIT,
    }
    return label(kinds[level], code) if level in kinds else code


_PARSED: dict[LabelKind, Callable[[str], str]] = {
    LabelKind.SUBJECT: subject_label,
    LabelKind.PURPOSE: purpose_label,
    LabelKind.SCOPE: scope_label,
}


def label(kind: LabelKind | str, code: object) -> str:
    """The name of ``code`` as a ``kind`` (``LabelKind``), in the active language; the code
    itself (as text) when no name is known. None is the empty string."""
    if code is None:
        return ""
    text = str(code)
    kind = LabelKind(kind)
    if kind in _PARSED:
        try:
            return _PARSED[kind](text)
        except ValueError:  # written in a way this module does not know yet
            return text
    if kind in _FIXED:
        msgid = _FIXED[kind].get(text)
        return gettext(msgid) if msgid else text
    return names(kind, [text]).get(text, text)
