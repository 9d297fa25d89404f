"""The movement pages' tables as export tables a person can read: Swedish column headers,
names beside codes, school years as years, and a total row named as a total.

A released movement table marks a total (every programme, every municipality, every outcome) by
a null in its breakdown column (ADR 0003); here that null becomes "Totalt". Hidden cells are
``..`` and the status column says why, in Swedish; the provenance closes every sheet. The files
are written by ``likvard.exports``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from likvard.access.release import Released
from likvard.analyses.movement.selectors import Reference
from likvard.exports.document import Document, Kind, Section
from likvard.exports.files import XLSX_TYPE, render
from likvard.exports.released import Spec, released_table
from likvard.organisations.labels import LabelKind

__all__ = ["XLSX_TYPE", "movement_document", "movement_workbook"]

_WORDS: Mapping[str, object] = {
    "national": gettext_lazy("National programme"),
    "introduction": gettext_lazy("Still on an introduction programme"),
    "left": gettext_lazy("Left upper secondary"),
    "stayed": gettext_lazy("Enrolled where admitted"),
    "moved": gettext_lazy("Enrolled elsewhere"),
    "arrived": gettext_lazy("Enrolled without final admission"),
}
"""Swedish words for the code words that appear as values (outcomes, categories)."""

COLUMNS: dict[str, Spec] = {
    "programme_code": Spec(gettext_lazy("Programme"), names=LabelKind.PROGRAMME, code=True),
    "outcome": Spec(gettext_lazy("The next school year"), words=_WORDS),
    "category": Spec(gettext_lazy("Between final admission and 15 October"), words=_WORDS),
    "n_other": Spec(gettext_lazy("Another organizer"), Kind.COUNT),
    "share_other": Spec(gettext_lazy("Share with another organizer (%)"), Kind.PERCENT),
    "residents": Spec(gettext_lazy("Residents"), Kind.COUNT),
    "outgoing": Spec(gettext_lazy("Outgoing"), Kind.COUNT),
    "incoming": Spec(gettext_lazy("Incoming"), Kind.COUNT),
    "net": Spec(gettext_lazy("Net"), Kind.SIGNED, 0),
    "first_choice": Spec(gettext_lazy("First-choice applicants"), Kind.COUNT),
    "admitted_preliminary": Spec(gettext_lazy("Admitted, preliminary round"), Kind.COUNT),
    "admitted_final": Spec(gettext_lazy("Admitted, final round"), Kind.COUNT),
    "admitted_reserve": Spec(gettext_lazy("Admitted from the reserve"), Kind.COUNT),
    "enrolled": Spec(gettext_lazy("Enrolled 15 October"), Kind.COUNT),
    "added_places": Spec(gettext_lazy("Places added after final admission"), Kind.COUNT),
    "added_flag": Spec(gettext_lazy("Places added")),
}
"""The movement tables' own columns (the common ones are in ``likvard.exports.released``)."""
ADMISSION = {"school_year": Spec(gettext_lazy("Admission year"), Kind.YEAR)}


def movement_document(
    sheets: Sequence[tuple[str, Released]],
    *,
    reference: Reference,
    admission: bool = False,
    title: str = "",
    filename: str = "elevstrommar",
) -> Document:
    """The tables as a document, a section (sheet) per ``(title, released)``. ``admission``:
    the tables' ``school_year`` is an admission year (written as the year, under
    "Antagningsår"), not the spring year of a school year."""
    extra = {**COLUMNS, **(ADMISSION if admission else {})}
    names: dict[str, Mapping[str, str]] = {
        "municipality_code": reference.municipalities,
        "home_municipality_code": reference.municipalities,
        "school_municipality_code": reference.municipalities,
        "organizer_code": reference.organizers,
        "school_unit_code": reference.school_units,
        "programme_code": reference.programmes,
    }
    sections = [
        Section(
            sheet,
            [released_table(released, extra=extra, names_of=names, total=_("Total"))],
        )
        for sheet, released in sheets
    ]
    return Document(title=title, sections=sections, filename=filename)


def movement_workbook(
    sheets: Sequence[tuple[str, Released]], *, reference: Reference, admission: bool = False
) -> bytes:
    """An XLSX file with one sheet per ``(title, released)`` table, for people to read."""
    document = movement_document(sheets, reference=reference, admission=admission)
    return render(document, "xlsx").content
