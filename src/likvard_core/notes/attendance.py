"""Present and absent lists in Swedish minutes.

A list starts at a heading ("Deltagare", "Deltog", "Närvarande på plats" / "Frånvarande",
"Deltog ej", "Ej närvarande", "Anmält förhinder") and runs until a line that is neither a person
nor an organisation. Entries come as ``Name, Organisation (remarks), role`` or with the name and
organisation separated by a tab or several spaces. When a scan split the list into two columns
(all names first, then all organisations), the name-only and organisation-only lines are paired
in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from likvard_core.notes.models import AttendanceMode, Attendee
from likvard_core.notes.reference import fold, match_municipality, match_organisation

PRESENT_HEADING_RE = re.compile(
    r"^(deltagare|deltog|narvarande|narvaro|narvarandeledamoter)(paplats|digitalt|viateams)?$"
)
ABSENT_HEADING_RE = re.compile(
    r"^(franvarande|franvaro|deltogej|ejnarvarande|ejdeltagande|anmaltforhinder|forhinder)$"
)
MAX_HEADING_CHARS = 40
# Role words at least this long may carry one OCR typo ("ordférande" before repair).
ROLE_TYPO_MIN_CHARS = 8
ROLE_WORDS: tuple[str, ...] = (
    "vice ordförande",
    "ordförande",
    "nätverkssekreterare",
    "sekreterare",
    "samordnare",
    "föredragande",
    "utbildningschef",
    "processledare",
    "ersättare",
    "adjungerad",
)
NAME_WORD = r"[A-ZÅÄÖÉ][a-zåäöéüóíáèø]+(?:-[A-ZÅÄÖ][a-zåäöéüóíáè]+)?"
NAME_RE = re.compile(rf"^{NAME_WORD}(?:\s+(?:(?:von|af|de|van|da)\s+)?{NAME_WORD}){{1,3}}$")
SEPARATOR_RE = re.compile(r"\t|\s{2,}|,\s*")
PARENS_RE = re.compile(r"\(([^)]*)\)")
ITEM_REF_RE = re.compile(r"^punkt\s+(\d{1,2})$", re.IGNORECASE)
UNIT_PREFIXES = ("område", "omrade", "förvaltning", "enhet")


@dataclass(frozen=True, slots=True)
class AttendanceSection:
    """A list heading's line index (0-based), whether it lists present people, and its mode."""

    heading: int
    present: bool
    mode: AttendanceMode | None


def section_heading(line: str) -> AttendanceSection | None:
    """Return the attendance heading ``line`` starts, or None (heading index left at -1)."""
    folded = fold(line)
    if not folded or len(line.strip()) > MAX_HEADING_CHARS:
        return None
    if ABSENT_HEADING_RE.match(folded):
        return AttendanceSection(-1, present=False, mode=None)
    match = PRESENT_HEADING_RE.match(folded)
    if match is None:
        return None
    mode = {"paplats": AttendanceMode.ON_SITE, "digitalt": AttendanceMode.DIGITAL}.get(
        match.group(2) or "", AttendanceMode.DIGITAL if match.group(2) else None
    )
    return AttendanceSection(-1, present=True, mode=mode)


def find_sections(lines: list[str]) -> list[AttendanceSection]:
    """Return every attendance heading in ``lines`` in order."""
    found = []
    for index, line in enumerate(lines):
        section = section_heading(line)
        if section is not None:
            found.append(replace(section, heading=index))
    return found


def canonical_role(fragment: str) -> str | None:
    """Return the role word ``fragment`` spells (OCR-tolerant), or None."""
    folded = fold(fragment)
    for role in ROLE_WORDS:
        target = fold(role)
        tolerance = 1 if len(target) >= ROLE_TYPO_MIN_CHARS else 0
        if Levenshtein.distance(folded, target) <= tolerance:
            return role
    return None


@dataclass(frozen=True, slots=True)
class _Affiliation:
    organisation: str | None
    roles: tuple[str, ...]
    details: tuple[str, ...]
    item_number: int | None


def parse_affiliation(rest: str) -> _Affiliation:
    """Split "Organisation, område X (remarks), role" into its parts."""
    roles: list[str] = []
    details: list[str] = []
    item_number = None
    fragments = [f.strip() for group in PARENS_RE.findall(rest) for f in _split_remarks(group)]
    parts = [p.strip() for p in PARENS_RE.sub("", rest).split(",")]
    organisation_parts: list[str] = []
    for index, part in enumerate(p for p in parts if p):
        role = canonical_role(part)
        if role is not None:
            roles.append(role)
        elif index == 0 or part.casefold().startswith(UNIT_PREFIXES):
            organisation_parts.append(part)
        else:
            details.append(part)
    for fragment in fragments:
        role = canonical_role(fragment)
        reference = ITEM_REF_RE.match(fragment)
        if role is not None:
            roles.append(role)
        elif reference is not None:
            item_number = int(reference.group(1))
            details.append(fragment)
        elif fragment:
            details.append(fragment)
    organisation = ", ".join(organisation_parts) or None
    return _Affiliation(organisation, tuple(roles), tuple(details), item_number)


def _split_remarks(group: str) -> list[str]:
    """Split bracket text into remarks, keeping school-form lists like "för & grund, gymn"."""
    parts = [p.strip() for p in group.split(",")]
    if any(canonical_role(p) or ITEM_REF_RE.match(p) for p in parts):
        return parts
    return [group.strip()]


def _is_organisation_line(line: str) -> bool:
    return match_organisation(line) is not None


def _split_entry(line: str) -> tuple[str, str] | None:
    """Return (name, rest) when ``line`` is "Name<separator>rest" with a person-like name."""
    match = SEPARATOR_RE.search(line)
    if match is None:
        return None
    name, rest = line[: match.start()].strip(), line[match.end() :].strip()
    if not NAME_RE.match(name):
        return None
    return name, rest


def parse_sections(lines: list[str], sections: list[AttendanceSection]) -> list[Attendee]:
    """Return the attendees of every section, pairing split name/organisation columns."""
    attendees: list[Attendee] = []
    pending: list[Attendee] = []
    loose_organisations: list[tuple[str, int]] = []
    for position, section in enumerate(sections):
        stop = sections[position + 1].heading if position + 1 < len(sections) else len(lines)
        for index in range(section.heading + 1, stop):
            line = lines[index].strip()
            if not line:
                continue
            entry = _classify(line)
            if entry is None:
                break
            kind, name, rest = entry
            if kind == "organisation":
                loose_organisations.append((line, index + 1))
                continue
            attendee = _attendee(name, rest, present=section.present, line=index + 1)
            (pending if kind == "name" else attendees).append(attendee)
    paired = [
        _with_affiliation(attendee, organisation)
        for attendee, (organisation, _) in zip(pending, loose_organisations, strict=False)
    ]
    unpaired = pending[len(paired) :]
    return sorted(attendees + paired + unpaired, key=lambda a: a.line or 0)


def _classify(line: str) -> tuple[str, str, str] | None:
    """Return ("entry"|"name"|"organisation", name, rest) for a list line, None to stop."""
    if _is_organisation_line(line):
        return "organisation", "", line
    split = _split_entry(line)
    if split is not None:
        return "entry", split[0], split[1]
    if NAME_RE.match(line):
        return "name", line, ""
    return None


def _attendee(name: str, rest: str, *, present: bool, line: int) -> Attendee:
    affiliation = parse_affiliation(rest) if rest else _Affiliation(None, (), (), None)
    organisation = affiliation.organisation
    return Attendee(
        name=name,
        organisation=organisation,
        municipality=match_municipality(organisation) if organisation else None,
        roles=affiliation.roles,
        details=affiliation.details,
        present=present,
        item_number=affiliation.item_number,
        line=line,
    )


def _with_affiliation(attendee: Attendee, organisation_line: str) -> Attendee:
    paired = _attendee(attendee.name, organisation_line, present=attendee.present, line=0)
    return replace(paired, line=attendee.line)


def attendance_mode(sections: list[AttendanceSection]) -> AttendanceMode | None:
    """Return the meeting's mode as the present-list headings state it, or None."""
    modes = {s.mode for s in sections if s.mode is not None}
    if len(modes) > 1:
        return AttendanceMode.HYBRID
    return modes.pop() if modes else None
