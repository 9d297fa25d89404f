"""The Swedish catalogue is complete: no untranslated or fuzzy entry, and it compiles."""

from __future__ import annotations

import polib

from tests.conftest import REPO

PO = REPO / "src/likvard/locale/sv/LC_MESSAGES/django.po"


def test_every_ui_string_has_swedish():
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 50
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_catalogue_is_in_sync_with_the_code(tmp_path):
    """Every msgid in templates and code is in the catalogue (makemessages would add it)."""
    import subprocess

    out = tmp_path / "check.po"
    sources = sorted(
        str(p.relative_to(REPO))
        for p in (REPO / "src/likvard").rglob("*")
        if p.suffix in {".py", ".html"} and "migrations" not in p.parts
    )
    result = subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=_",
            "--keyword=gettext",
            "--keyword=gettext_lazy",
            "-o",
            str(out),
            *[s for s in sources if s.endswith(".py")],
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    known = {e.msgid for e in polib.pofile(str(PO))}
    missing = [e.msgid for e in polib.pofile(str(out)) if e.msgid and e.msgid not in known]
    assert missing == []
