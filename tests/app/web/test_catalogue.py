"""The Swedish catalogues are complete: every UI string has Swedish, none is fuzzy.

The project catalogue (``src/likvard/locale``) covers every app without a ``locale/`` folder of
its own; an app with one (e.g. ``networks``) is checked against its own catalogue.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from tests.conftest import REPO

SRC = REPO / "src/likvard"
PROJECT_PO = SRC / "locale/sv/LC_MESSAGES/django.po"
APP_POS = sorted(p for p in SRC.glob("**/locale/sv/LC_MESSAGES/django.po") if p != PROJECT_PO)
ALL_POS = [PROJECT_PO, *APP_POS]


def _owner(po: Path) -> Path:
    return SRC if po == PROJECT_PO else po.parents[3]


def _sources(po: Path) -> list[str]:
    root = _owner(po)
    own_apps = {_owner(p) for p in APP_POS}
    return sorted(
        str(path.relative_to(REPO))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and not any(app in path.parents and root in app.parents for app in own_apps)
    )


@pytest.mark.parametrize("po", ALL_POS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_ui_string_has_swedish(po: Path):
    catalogue = polib.pofile(str(po))
    assert len(catalogue) > 10
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("po", ALL_POS, ids=lambda p: str(p.relative_to(REPO)))
def test_catalogue_covers_the_code(po: Path, tmp_path: Path):
    """Every msgid in the Python code is in its catalogue (makemessages would add it)."""
    out = tmp_path / "check.po"
    result = subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=_",
            "--keyword=gettext",
            "--keyword=gettext_lazy",
            "--keyword=ngettext:1,2",
            "-o",
            str(out),
            *_sources(po),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    known = {e.msgid for e in polib.pofile(str(po))}
    missing = [e.msgid for e in polib.pofile(str(out)) if e.msgid and e.msgid not in known]
    assert missing == []


KNOWN_CLASHES = frozenset(
    {
        "Closed",
        "Download",
        "Download the tables (XLSX)",
        "Download:",
        "Groups with fewer students than the minimum are hidden (shown as ..), together with "
        "any cell that would let a hidden one be worked out.",
        "History",
        "Import",
        "Kind",
        "More rows than fit here: download the XLSX for every row.",
        "Organizer type",
        "Owner",
        "Problems found, in file order",
        "Small groups are hidden; the status column says why.",
        "State",
        "Student movement",
        "The same figures as a table.",
        "There is no such attachment.",
        "There is no such format.",
        "There is no such survey.",
        "Title",
        "Too few students to show",
        "You see your own student-level data in full. "
        "This read has been recorded in the audit log.",
    }
)
"""msgids that two catalogues translate differently today (found 2026-12-07). Some are one
word used for two meanings ("History": the subject, a log; "Kind"), to be split with
``pgettext`` contexts; the others should read the same everywhere. None may be added."""


def test_a_string_in_two_catalogues_has_one_swedish():
    """Django looks a msgid up in the project catalogue first, so a msgid that an app's own
    catalogue also translates would be shown with the project's Swedish on the app's pages
    too. "Incident cases" was "Kränkningsärenden" in the analyses and "Incidentärenden" in the
    project catalogue: the incident pages' breadcrumb changed word."""
    seen: dict[str, tuple[str, Path]] = {}
    clashes = []
    for po in ALL_POS:
        for entry in polib.pofile(str(po)):
            if not entry.msgid or entry.msgid_plural:
                continue
            earlier = seen.setdefault(entry.msgid, (entry.msgstr, po))
            if earlier[0] != entry.msgstr and entry.msgid not in KNOWN_CLASHES:
                clashes.append(
                    f"{entry.msgid!r}: {earlier[0]!r} ({earlier[1].relative_to(REPO)}) "
                    f"vs {entry.msgstr!r} ({po.relative_to(REPO)})"
                )
    assert not clashes, "\n".join(clashes)
