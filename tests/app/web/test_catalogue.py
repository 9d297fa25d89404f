"""The Swedish catalogues are complete: every UI string has Swedish, none is fuzzy.

The project catalogue (``src/likvard/locale``) covers every app without a ``locale/`` folder of
its own; an app with one (e.g. ``networks``) is checked against its own catalogue.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import pgettext

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
            "--keyword=pgettext:1c,2",
            "--keyword=pgettext_lazy:1c,2",
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
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po))}
    missing = [
        e.msgid for e in polib.pofile(str(out)) if e.msgid and (e.msgctxt, e.msgid) not in known
    ]
    assert missing == []


SWEDISH_MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def test_dates_name_every_month_in_swedish():
    """The API-token page's column "May" ("Får", what a token may do) was translated without a
    context, so Django's month name "May" became "Får" everywhere: a knowledge item published
    20 May 2024 read "20 Får 2024"."""
    with translation.override("sv"):
        shown = [date_format(dt.date(2024, m, 20), "F") for m in range(1, 13)]
    assert shown == SWEDISH_MONTHS


def test_a_string_in_two_catalogues_has_one_swedish():
    """Django looks a msgid up in the project catalogue first, so a msgid that an app's own
    catalogue also translates would be shown with the project's Swedish on the app's pages
    too. "Incident cases" was "Kränkningsärenden" in the analyses and "Incidentärenden" in the
    project catalogue: the incident pages' breadcrumb changed word. One English word with two
    meanings takes a context (``pgettext``, ``{% translate "History" context "change log" %}``)."""
    seen: dict[tuple[str | None, str], tuple[str, Path]] = {}
    clashes = []
    for po in ALL_POS:
        for entry in polib.pofile(str(po)):
            if not entry.msgid or entry.msgid_plural:
                continue
            earlier = seen.setdefault((entry.msgctxt, entry.msgid), (entry.msgstr, po))
            if earlier[0] != entry.msgstr:
                clashes.append(
                    f"{entry.msgid!r}: {earlier[0]!r} ({earlier[1].relative_to(REPO)}) "
                    f"vs {entry.msgstr!r} ({po.relative_to(REPO)})"
                )
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize(
    ("context", "msgid", "swedish"),
    [
        (None, "History", "Historia"),  # the school subject
        ("change log", "History", "Historik"),  # a material's changes
        (None, "State", "Statlig"),  # the organizer type
        ("due or overdue", "State", "Status"),  # the action items chart's legend
        (None, "Import", "Import"),  # a step of an import
        ("button", "Import", "Importera"),
        (None, "Closed", "Avslutade"),  # incident cases
        ("survey round", "Closed", "Stängd"),
        (None, "Title", "Titel"),  # a material
        ("agenda item", "Title", "Rubrik"),
        (None, "There is no such survey.", "Enkäten finns inte."),
        ("capacity survey", "There is no such survey.", "Undersökningen finns inte."),
        (None, "Kind", "Typ"),
        (None, "Owner", "Ansvarig"),
        (None, "Download", "Ladda ned"),
    ],
)
def test_the_site_shows_each_meaning_its_own_word(context: str | None, msgid: str, swedish: str):
    """Django merges every catalogue into one: what the pages show is what this lookup gives."""
    with translation.override("sv"):
        shown = translation.gettext(msgid) if context is None else pgettext(context, msgid)
    assert shown == swedish


def test_download_reads_ladda_ned_everywhere():
    """Språkrådet's and the public sector's "ladda ned"; the UI said "ladda ner" in 13 places."""
    found = [
        f"{po.relative_to(REPO)}: {entry.msgstr!r}"
        for po in ALL_POS
        for entry in polib.pofile(str(po))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if "ladda ner" in text.lower()
    ]
    assert found == []
