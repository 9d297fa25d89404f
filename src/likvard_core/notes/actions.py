"""Action lines in Swedish minutes: "Åtgärd: ..." with the responsible person and a date.

The forms read, each on a line of its own (wrapped lines are joined):

    Åtgärd: <what>[. Ansvarig: <name>[, <organisation>]][. Klart: <date>]
    Åtgärd (<name>[, <organisation>][, <date>]): <what>
    Åtgärder: <what> ... senast <date>

"Ansvar", "Ansvariga" and "Ansvarig" name the responsible; "Klart", "Klart senast", "Senast",
"Deadline" and "Datum" the date; otherwise "senast <date>" in the text gives it. Without a year
a date is not read. OCR damage to "Åtgärd" (``Atgärd``, ``Atgard``) is accepted.
"""

from __future__ import annotations

import datetime as dt
import re

from likvard_core.notes.agenda import ITEM_RE, ItemSpan, item_number_at
from likvard_core.notes.dates import parse_date
from likvard_core.notes.models import ActionItem
from likvard_core.notes.reference import match_organisation

ACTION_RE = re.compile(
    r"^\s*(?:[-•*–]\s*)?[ÅAÄ]tg[äa]rd(?:er)?\s*(?:\((?P<paren>[^)]*)\))?"
    r"\s*[:–-]\s*(?P<rest>.*?)\s*$",
    re.IGNORECASE,
)
OWNER_LABELS = ("ansvariga", "ansvarig", "ansvar")
DUE_LABELS = ("klart senast", "klart", "senast", "deadline", "datum")
FIELD_RE = re.compile(
    r"(?:^|(?<=[\s.;,(–-]))(?P<label>" + "|".join(OWNER_LABELS + DUE_LABELS) + r")\s*:\s*",
    re.IGNORECASE,
)
SENAST_RE = re.compile(r"\bsenast\s+(?:den\s+)?(?P<date>.+)$", re.IGNORECASE)
TRIM = " .;,–-"


def find_actions(lines: list[str], spans: list[ItemSpan]) -> list[ActionItem]:
    """Return every action line of the notes, with its item, in order."""
    actions = []
    index = 0
    while index < len(lines):
        match = ACTION_RE.match(lines[index])
        if match is None:
            index += 1
            continue
        text, end = _joined(lines, index)
        match = ACTION_RE.match(text)
        if match is not None and (action := _action(match, item_number_at(spans, index), index)):
            actions.append(action)
        index = end
    return actions


def _joined(lines: list[str], start: int) -> tuple[str, int]:
    """Return the action line with the lines that continue it, and the index after them."""
    text = lines[start].strip()
    index = start + 1
    while index < len(lines):
        following = lines[index].strip()
        continues = following and (
            following[0].islower()
            or text.endswith((",", ":", "–", "-"))
            or FIELD_RE.match(following) is not None
        )
        if not continues or ITEM_RE.match(following) or ACTION_RE.match(following):
            break
        text = f"{text} {following}"
        index += 1
    return text, index


def _action(match: re.Match[str], item_number: int | None, index: int) -> ActionItem | None:
    rest = match.group("rest") or ""
    fields = list(FIELD_RE.finditer(rest))
    what = (rest[: fields[0].start()] if fields else rest).strip(TRIM)
    owner = organisation = None
    due = None
    for position, field in enumerate(fields):
        end = fields[position + 1].start() if position + 1 < len(fields) else len(rest)
        value = rest[field.end() : end].strip(TRIM)
        label = field.group("label").casefold()
        if label in OWNER_LABELS and value:
            owner, organisation = _owner(value)
        elif label in DUE_LABELS:
            due = due or parse_date(value)
    if match.group("paren"):
        paren_owner, paren_organisation, paren_due = _parenthesis(match.group("paren"))
        owner, organisation = owner or paren_owner, organisation or paren_organisation
        due = due or paren_due
    if due is None and (senast := SENAST_RE.search(what)):
        due = parse_date(senast.group("date"))
    if not what:
        return None
    return ActionItem(item_number, what, owner, organisation, due, index + 1)


def _owner(value: str) -> tuple[str, str | None]:
    """Return (person or group, organisation) from "Niklas Svensson, GR" or "GR"."""
    name, _, organisation = value.partition(",")
    name, organisation = name.strip(TRIM), organisation.strip(TRIM)
    if not organisation and match_organisation(name):
        return name, match_organisation(name)
    return name, organisation or None


def _parenthesis(text: str) -> tuple[str | None, str | None, dt.date | None]:
    """Return (owner, organisation, due) from "(Niklas Svensson, GR, senast 2024-02-15)"."""
    parts = [p.strip(TRIM) for p in text.split(",") if p.strip(TRIM)]
    dated = [p for p in parts if parse_date(p) is not None]
    due = parse_date(dated[0]) if dated else None
    names = [p for p in parts if p not in dated]
    names = [re.sub(r"^(ansvariga|ansvarig|ansvar)\s*:?\s*", "", p, flags=re.I) for p in names]
    if not names:
        return None, None, due
    owner, organisation = _owner(", ".join(names[:2]))
    return owner, organisation, due
