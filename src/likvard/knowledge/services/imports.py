"""Bulk import of items from a spreadsheet (XLSX or CSV, one row per item), their files from a
folder or a ZIP, or links: every row is checked first and every problem reported as
``FILE:ROW:COLUMN: message``; if there is any, nothing is imported. Export writes the same
columns, so an exported sheet can be imported elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation

from likvard.access.policy import KnowledgeAction, Viewer
from likvard.knowledge.models import Analysis, Audience, Item, ItemKind, Language, Topic, Visibility
from likvard.knowledge.selectors import Scope, may, viewer_scope
from likvard.knowledge.services.items import (
    ItemData,
    NewFile,
    default_review_date,
    item_create_read,
)
from likvard.networks.models import Network
from likvard.networks.services.previews import AttachmentError, AttachmentReading, attachment_read
from likvard.organisations.models import Region
from likvard.quality.forms import SCHOOL_FORM_LABELS
from likvard.quality.models import Goal, Indicator, SuccessFactor

COLUMNS = (
    "titel",
    "sammanfattning",
    "typ",
    "synlighet",
    "region",
    "natverk",
    "projekt",
    "forfattare",
    "organisation",
    "publicerad",
    "sprak",
    "malgrupp",
    "framgangsfaktorer",
    "mal",
    "indikatorer",
    "skolformer",
    "analyser",
    "amnen",
    "agare",
    "granskas",
    "filer",
    "lankar",
)
_PLAIN = str.maketrans("åäö", "aao")
"""Column names are read without å, ä and ö: the export writes "nätverk", older sheets "natverk"."""
REQUIRED = ("titel", "sammanfattning", "typ", "synlighet", "region")
VISIBILITY_WORDS = {
    "offentlig": Visibility.PUBLIC,
    "public": Visibility.PUBLIC,
    "regional": Visibility.REGIONAL,
    "region": Visibility.REGIONAL,
    "nätverk": Visibility.NETWORK,
    "natverk": Visibility.NETWORK,
    "network": Visibility.NETWORK,
}
LANGUAGE_WORDS = {"svenska": "sv", "engelska": "en", "annat": "other"}


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem in the sheet: file, row (as the spreadsheet numbers it), column, message."""

    file: str
    row: int
    column: str
    message: str

    def line(self) -> str:
        """``FILE:ROW:COLUMN: message``."""
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class ImportRejectedError(Exception):
    """The sheet has problems; nothing was imported."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} problems")
        self.issues = issues


def _rows(name: str, data: bytes) -> list[dict[str, str]]:
    if Path(name).suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # noqa: PLC0415 (heavy import)

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        values = [
            ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = data.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        values = list(csv.reader(io.StringIO(text), dialect))
    if not values:
        return []
    header = [str(h).strip().lower().translate(_PLAIN) for h in values[0]]
    return [
        {
            h: (v.isoformat()[:10] if isinstance(v, dt.date) else str(v)).strip()
            for h, v in zip(header, row, strict=False)
        }
        for row in values[1:]
    ]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class _Row:
    """One row being checked: collects its issues and the item's values."""

    def __init__(self, file: str, number: int, cells: dict[str, str]) -> None:
        self.file, self.number, self.cells = file, number, cells
        self.issues: list[Issue] = []
        self.values: dict[str, Any] = {}
        self.many: dict[str, list[Any]] = {}
        self.files: list[tuple[NewFile, AttachmentReading]] = []

    def fail(self, column: str, message: str) -> None:
        self.issues.append(Issue(self.file, self.number, column, message))

    def choice(self, column: str, words: Mapping[str, str], default: str = "") -> str:
        value = self.cells.get(column, "").casefold()
        if not value:
            return default
        if value in words:
            return words[value]
        self.fail(
            column, f"okänt värde {self.cells[column]!r}; tillåtna: {', '.join(sorted(set(words)))}"
        )
        return default

    def date(self, column: str) -> dt.date | None:
        value = self.cells.get(column, "")
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(column, f"{value!r} är inget datum (ÅÅÅÅ-MM-DD)")
            return None

    def lookup(self, column: str, known: dict[str, Any]) -> list[Any]:
        found = []
        for part in _split(self.cells.get(column, "")):
            match = known.get(part.casefold())
            if match is None:
                self.fail(
                    column, f"okänd {column[:-2] if column.endswith('er') else column}: {part!r}"
                )
            else:
                found.append(match)
        return found


def _words(choices: Any) -> dict[str, str]:
    with translation.override("sv"):
        return _words_now(choices)


def _words_now(choices: Any) -> dict[str, str]:
    return {
        **{c.value: c.value for c in choices},
        **{str(c.label).casefold(): c.value for c in choices},
    }


class _Vocabulary:
    """Everything a row may name, loaded once: codes and Swedish names, case-insensitive."""

    def __init__(self) -> None:
        self.regions = {k.casefold(): r for r in Region.objects.all() for k in (r.name, r.code)}
        self.networks = {k.casefold(): n for n in Network.objects.all() for k in (n.name, n.code)}
        self.factors = {
            k.casefold(): f for f in SuccessFactor.objects.all() for k in (f.code, f.title)
        }
        self.goals = {
            k.casefold(): g for g in Goal.objects.all() for k in (g.code, g.title, g.school_form)
        }
        self.indicators: dict[str, Indicator] = {}
        for indicator in Indicator.objects.prefetch_related("revisions"):
            self.indicators[indicator.code.casefold()] = indicator
            for revision in indicator.revisions.all():
                self.indicators[revision.name.casefold()] = indicator
        self.forms = {
            k.casefold(): code
            for code, label in SCHOOL_FORM_LABELS.items()
            for k in (code, str(label))
        }
        self.analyses = _words(Analysis)
        self.users = {u.username.casefold(): u for u in User.objects.filter(is_active=True)}


def _check_owner(row: _Row, vocabulary: _Vocabulary) -> tuple[Region | None, Network | None]:
    """The row's region and network, and whether the viewer may write there."""
    cells = row.cells
    for column in REQUIRED:
        if not cells.get(column):
            row.fail(column, "saknas")
    region = vocabulary.regions.get(cells.get("region", "").casefold())
    if cells.get("region") and region is None:
        row.fail("region", f"okänd region {cells['region']!r}")
    network = None
    if cells.get("natverk"):
        network = vocabulary.networks.get(cells["natverk"].casefold())
        if network is None:
            row.fail("natverk", f"okänt nätverk {cells['natverk']!r}")
        elif region is not None and network.region_id != region.pk:
            row.fail("natverk", "nätverket hör till en annan region")
    return region, network


def _check_values(row: _Row, vocabulary: _Vocabulary, context: _Context) -> Region | None:
    cells = row.cells
    region, network = _check_owner(row, vocabulary)
    visibility = row.choice("synlighet", VISIBILITY_WORDS)
    if visibility == Visibility.NETWORK and network is None and not cells.get("natverk"):
        row.fail("natverk", "ett nätverks material behöver nätverket")
    if region is not None and visibility:
        probe = Item(region=region, network=network, visibility=visibility)
        if not may(context.viewer, context.scope, KnowledgeAction.EDIT, probe):
            row.fail("natverk" if network else "region", "du är inte redaktör här")
    row.values = {
        "title": cells.get("titel", "")[:300],
        "summary": cells.get("sammanfattning", ""),
        "kind": row.choice("typ", _words(ItemKind)),
        "visibility": visibility,
        "region": region,
        "network": network,
        "project": cells.get("projekt", ""),
        "authors": cells.get("forfattare", ""),
        "organisation": cells.get("organisation", ""),
        "published_on": row.date("publicerad"),
        "language": row.choice("sprak", {**_words(Language), **LANGUAGE_WORDS}, "sv"),
        "audience": row.choice("malgrupp", _words(Audience)),
        "school_forms": row.lookup("skolformer", vocabulary.forms),
        "analyses": row.lookup("analyser", vocabulary.analyses),
        "review_on": row.date("granskas") or default_review_date(),
        "links": [],
    }
    if cells.get("agare"):
        owner = vocabulary.users.get(cells["agare"].casefold())
        if owner is None:
            row.fail("agare", f"okänd användare {cells['agare']!r}")
        row.values["owner"] = owner
    validate_url = URLValidator()
    for url in _split(cells.get("lankar", "")):
        try:
            validate_url(url)
            row.values["links"].append({"url": url, "title": ""})
        except ValidationError:
            row.fail("lankar", f"{url!r} är ingen webbadress")
    return region


def _check_tags(
    row: _Row, vocabulary: _Vocabulary, context: _Context, region: Region | None
) -> None:
    row.many = {
        "success_factors": row.lookup("framgangsfaktorer", vocabulary.factors),
        "goals": row.lookup("mal", vocabulary.goals),
        "indicators": row.lookup("indikatorer", vocabulary.indicators),
        "topics": [],
    }
    for name in _split(row.cells.get("amnen", "")):
        topic = context.topics.get((region.pk, name.casefold())) if region is not None else None
        if topic is None:
            row.fail("amnen", f"{name!r} finns inte i regionens ämneslista")
        else:
            row.many["topics"].append(topic)


def _check_files(row: _Row, context: _Context) -> None:
    for name in _split(row.cells.get("filer", "")):
        data = context.fetch(name)
        if data is None:
            row.fail("filer", f"filen {name!r} finns inte")
            continue
        try:
            reading = attachment_read(name=name, data=data)
        except AttachmentError as error:
            row.fail("filer", f"{name}: {error}")
        else:
            row.files.append((NewFile(Path(name).name, data), reading))


@dataclass(frozen=True, slots=True)
class _Context:
    viewer: Viewer
    scope: Scope
    topics: dict[tuple[int, str], Topic]
    fetch: Callable[[str], bytes | None]


def _check(row: _Row, vocabulary: _Vocabulary, context: _Context) -> None:
    region = _check_values(row, vocabulary, context)
    _check_tags(row, vocabulary, context, region)
    _check_files(row, context)


def _fetcher(folder: Path | None, files_zip: bytes | None) -> Callable[[str], bytes | None]:
    archive = zipfile.ZipFile(io.BytesIO(files_zip)) if files_zip else None

    def fetch(name: str) -> bytes | None:
        if archive is not None:
            members = {Path(m).name: m for m in archive.namelist() if not m.endswith("/")}
            member = members.get(Path(name).name)
            return archive.read(member) if member else None
        if folder is not None:
            path = (folder / name).resolve()
            if folder.resolve() in path.parents and path.is_file():
                return path.read_bytes()
        return None

    return fetch


def items_import(
    *,
    name: str,
    data: bytes,
    viewer: Viewer,
    by: User | None,
    folder: Path | None = None,
    files_zip: bytes | None = None,
) -> list[Item]:
    """Import the sheet ``name``: every row checked first (columns, vocabularies, the viewer's
    right to edit the row's region or network, each file read and its type checked); raises
    ``ImportRejectedError`` with every issue and imports nothing if any; else creates all items
    in one transaction and returns them."""
    file = Path(name).name
    try:
        rows = _rows(name, data)
    except (ValueError, csv.Error, zipfile.BadZipFile, UnicodeDecodeError, KeyError) as error:
        raise ImportRejectedError(
            [Issue(file, 1, "-", f"kunde inte läsas: {type(error).__name__}")]
        ) from error
    if not rows:
        raise ImportRejectedError([Issue(file, 1, "-", "bladet har inga rader")])
    unknown = [h for h in rows[0] if h and h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in rows[0]]
    if unknown or missing:
        raise ImportRejectedError(
            [Issue(file, 1, h, "okänd kolumn") for h in unknown]
            + [Issue(file, 1, c, "kolumnen saknas") for c in missing]
        )
    with translation.override("sv"):  # names are read in Swedish, whoever imports
        vocabulary = _Vocabulary()
    context = _Context(
        viewer=viewer,
        scope=viewer_scope(viewer=viewer),
        topics={(t.region_id, t.name.casefold()): t for t in Topic.objects.all()},
        fetch=_fetcher(folder, files_zip),
    )
    checked = []
    for number, cells in enumerate(rows, start=2):
        if not any(cells.values()):
            continue
        row = _Row(file, number, cells)
        _check(row, vocabulary, context)
        checked.append(row)
    issues = [issue for row in checked for issue in row.issues]
    if issues:
        raise ImportRejectedError(issues)
    with transaction.atomic():
        return [
            item_create_read(data=ItemData(values=r.values, many=r.many), by=by, readings=r.files)
            for r in checked
        ]
