"""The knowledge bank as a workbook in the import's columns, so that an exported sheet can be
imported elsewhere, written by the shared renderer (``likvard.exports``) like every other file:
Swedish headers, the header row frozen and filterable, words and names rather than codes where
the import reads them back (type, visibility, language, audience, school forms, analyses,
region and network)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.utils import translation

from likvard.access.policy import Viewer
from likvard.exports.document import Column, Document, Section, Table, Value
from likvard.exports.files import render
from likvard.knowledge.models import Analysis, Item
from likvard.knowledge.selectors import readable_items
from likvard.knowledge.services.imports import COLUMNS, LANGUAGE_WORDS, VISIBILITY_WORDS
from likvard.quality.forms import SCHOOL_FORM_LABELS

HEADERS = {
    "natverk": "nätverk",
    "forfattare": "författare",
    "sprak": "språk",
    "malgrupp": "målgrupp",
    "framgangsfaktorer": "framgångsfaktorer",
    "mal": "mål",
    "amnen": "ämnen",
    "agare": "ägare",
    "lankar": "länkar",
}
"""The import's column names as written in the sheet (the import reads both spellings)."""
VISIBILITY_WORD: dict[str, str] = {
    str(value): word for word, value in reversed(VISIBILITY_WORDS.items())
}
LANGUAGE_WORD = {value: word for word, value in LANGUAGE_WORDS.items()}
ANALYSIS_LABELS = dict(Analysis.choices)


def items_export(*, viewer: Viewer) -> bytes:
    """The items the viewer may read as XLSX bytes, one row per item in the import's columns
    (files by name, several values ``;``-separated)."""
    with translation.override("sv"):
        table = Table(
            title="",
            columns=[Column(HEADERS.get(name, name)) for name in COLUMNS],
            rows=[_row(item) for item in readable_items(viewer=viewer)],
        )
        document = Document(
            title="Kunskapsbank",
            sections=[Section("Kunskapsbank", [table])],
            filename="kunskapsbank",
        )
        return render(document, "xlsx").content


def _join(values: Iterable[object]) -> str:
    return "; ".join(str(v) for v in values)


def _row(item: Item) -> list[Value]:
    return [
        item.title,
        item.summary,
        item.get_kind_display(),
        VISIBILITY_WORD.get(item.visibility, item.visibility),
        item.region.name,
        item.network.name if item.network else "",
        item.project,
        item.authors,
        item.organisation,
        item.published_on.isoformat() if item.published_on else "",
        LANGUAGE_WORD.get(item.language, item.language),
        item.get_audience_display() if item.audience else "",
        _join(f.code for f in item.success_factors.all()),
        _join(g.code for g in item.goals.all()),
        _join(i.code for i in item.indicators.all()),
        _join(SCHOOL_FORM_LABELS.get(form, form) for form in item.school_forms),
        _join(ANALYSIS_LABELS.get(a, a) for a in item.analyses),
        _join(t.name for t in item.topics.all()),
        item.owner.username if item.owner else "",
        item.review_on.isoformat(),
        _join(Path(f.file.name).name for f in item.files.all()),
        _join(link.get("url", "") for link in item.links),
    ]
