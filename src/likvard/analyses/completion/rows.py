"""Rows the completion pages and exports show, built from released tables only."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from likvard.access.release import NOT_APPLICABLE_COLUMN, Released
from likvard.organisations.labels import school_year_label
from likvard_core.analytics.completion.cohort import last_complete_path_start, last_path_start

GROUP_LABELS = {
    "all": gettext_noop("All starters"),
    "national": gettext_noop("National programmes"),
    "preparatory": gettext_noop("Higher-education preparatory"),
    "vocational": gettext_noop("Vocational"),
    "introduction": gettext_noop("Introduction programmes"),
}
BACKGROUND_LABELS = {
    "born_in_sweden": gettext_noop("Born in Sweden"),
    "born_abroad": gettext_noop("Born abroad"),
    "unknown": gettext_noop("Background unknown"),
}
BREAKDOWN_LABELS = {
    "home_municipality_code": gettext_noop("Home municipality"),
    "programme_group": gettext_noop("Programme type"),
    "background": gettext_noop("Background"),
    "organizer_code": gettext_noop("Organizer"),
    "school_unit_code": gettext_noop("School unit"),
    "programme_code": gettext_noop("Programme"),
}
KIND_LABELS = {
    "term": gettext_noop("Absence in one term"),
    "window": gettext_noop("Absence over two terms"),
    "invalid": gettext_noop("Invalid absence in one term"),
    "rule": gettext_noop("The organizer's whole rule"),
}
REASON_LABELS = {
    "level": gettext_noop("level in the term"),
    "window": gettext_noop("level over two terms"),
    "rise": gettext_noop("rising"),
    "invalid": gettext_noop("invalid absence"),
}


NATIONAL_GROUPS: tuple[str, ...] = ("preparatory", "vocational")
SUMMED: tuple[str, ...] = (
    "n",
    "observed_3",
    "observed_4",
    "observed_5",
    "diploma_3",
    "diploma_4",
    "diploma_5",
)


def with_national(rows: list[dict[str, object]], *, by: str | None) -> list[dict[str, object]]:
    """``rows`` plus a ``national`` row per start year and ``by`` value: the released
    preparatory and vocational rows added up (hidden when either is hidden; a group without
    starters has no row and adds nothing), its diploma shares
    computed from those released counts."""
    parts: dict[tuple[object, object], list[dict[str, object]]] = {}
    for row in rows:
        if row["programme_group"] in NATIONAL_GROUPS:
            parts.setdefault((row["start_year"], row[by] if by else None), []).append(row)
    out = list(rows)
    for (year, key), pair in parts.items():
        hidden = any(r.get("status") not in (None, "exists") for r in pair)
        national: dict[str, object] = {
            "start_year": year,
            "programme_group": "national",
            "status": "suppressed" if hidden else "exists",
            NOT_APPLICABLE_COLUMN: pair[0].get(NOT_APPLICABLE_COLUMN),
        }
        if by:
            national[by] = key
        if not hidden:
            for column in SUMMED:
                national[column] = sum(int(str(r.get(column) or 0)) for r in pair)
            for k in (3, 4, 5):
                observed = int(str(national[f"observed_{k}"]))
                hits = int(str(national[f"diploma_{k}"]))
                national[f"diploma_{k}_share"] = hits / observed if observed else None
        out.append(national)
    return out


def percent(value: object) -> float | None:
    """A share 0-1 as percent, None when missing or hidden."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(str(value)) * 100


@dataclass(frozen=True, slots=True)
class CompletionRow:
    """One row of a breakdown table: label, starters and shares in percent (None: hidden)."""

    label: str
    total: bool
    n: int | None
    diploma_3: float | None
    diploma_4: float | None
    diploma_4_low: float | None
    diploma_4_high: float | None
    diploma_5: float | None
    certificate_4: float | None
    studying_4: float | None
    interrupted_4: float | None
    moved_programme: float | None
    moved_organizer: float | None
    im_to_national: float | None
    hidden: bool
    paths_not_applicable: bool = False
    """The paths cannot have been seen yet (the start year's next school year is not in the
    data): shown as "–" with that reason, never as 0 nor as hidden."""


PATH_FIGURES: tuple[str, ...] = ("moved_programme", "moved_organizer", "im_to_national")


def not_applicable(row: dict[str, object]) -> bool:
    """True when the released row's not-applicable columns (the paths) are no figure."""
    return row.get(NOT_APPLICABLE_COLUMN) is not None


def _row(row: dict[str, object], label: str, total: bool) -> CompletionRow:
    hidden = row.get("status") not in (None, "exists")
    absent = not_applicable(row)
    shown = {
        name: None
        if hidden or (absent and name in PATH_FIGURES)
        else percent(row.get(f"{name}_share"))
        for name in (
            "diploma_3",
            "diploma_4",
            "diploma_5",
            "certificate_4",
            "studying_4",
            "interrupted_4",
            "moved_programme",
            "moved_organizer",
            "im_to_national",
        )
    }
    return CompletionRow(
        label=label,
        total=total,
        n=None if hidden or row.get("n") is None else int(str(row["n"])),
        diploma_4_low=None if hidden else percent(row.get("diploma_4_low")),
        diploma_4_high=None if hidden else percent(row.get("diploma_4_high")),
        hidden=hidden,
        paths_not_applicable=absent,
        **shown,
    )


def breakdown_rows(
    released: Released, *, by: str, year: int, group: str, names: dict[str, str]
) -> list[CompletionRow]:
    """The rows of one start year and programme group, the total first, then by name."""
    rows = [
        r
        for r in released.rows()
        if int(str(r["start_year"])) == year and r["programme_group"] == group
    ]
    out = [_row(r, _("Total"), True) for r in rows if r[by] is None]
    parts = [r for r in rows if r[by] is not None]
    labels = {str(r[by]): _label(by, str(r[by]), names) for r in parts}
    parts.sort(key=lambda r: labels[str(r[by])])
    out.extend(_row(r, labels[str(r[by])], False) for r in parts)
    return out


def _label(by: str, code: str, names: dict[str, str]) -> str:
    if by == "background":
        return _(BACKGROUND_LABELS.get(code, code))
    return names.get(code, code)


def group_rows(overview: list[dict[str, object]], *, year: int) -> list[CompletionRow]:
    """The region's total per programme group for one start year (national added up)."""
    rows = {str(r["programme_group"]): r for r in overview if int(str(r["start_year"])) == year}
    return [_row(rows[g], _(GROUP_LABELS[g]), g == "all") for g in GROUP_LABELS if g in rows]


@dataclass(frozen=True, slots=True)
class TrendRow:
    """The region's three diploma rates for one start year, in percent."""

    year: str
    n: int | None
    diploma_3_national: float | None
    diploma_4: float | None
    diploma_5: float | None
    im_to_national: float | None
    im_to_national_not_applicable: bool = False
    """IM → national programme cannot have been seen yet for this start year."""


def trend_rows(overview: list[dict[str, object]]) -> list[TrendRow]:
    """One row per start year from the region's total rows (all and national)."""
    by_key = {(int(str(r["start_year"])), str(r["programme_group"])): r for r in overview}
    years = sorted({year for year, _group in by_key})
    out = []
    for year in years:
        everyone = by_key.get((year, "all"), {})
        national = by_key.get((year, "national"), {})
        intro = by_key.get((year, "introduction"), {})
        out.append(
            TrendRow(
                year=school_year_label(year),
                n=int(str(everyone["n"])) if everyone.get("n") is not None else None,
                diploma_3_national=percent(national.get("diploma_3_share")),
                diploma_4=percent(everyone.get("diploma_4_share")),
                diploma_5=percent(everyone.get("diploma_5_share")),
                im_to_national=None
                if not_applicable(intro)
                else percent(intro.get("im_to_national_share")),
                im_to_national_not_applicable=not_applicable(intro),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    """Precision, recall (percent) and lead time (terms) of one kind at one threshold."""

    kind: str
    threshold: float
    flagged: int | None
    positives: int | None
    true_positives: int | None
    precision: float | None
    recall: float | None
    lead_terms: float | None


def evaluation_rows(released: Released) -> list[EvaluationRow]:
    """Every kind and threshold, in the order of ``KIND_LABELS``."""
    order = list(KIND_LABELS)
    rows = sorted(
        released.rows(),
        key=lambda r: (order.index(str(r["kind"])), float(str(r["threshold"]))),
    )

    def number(value: object) -> int | None:
        return None if value is None else int(str(value))

    return [
        EvaluationRow(
            kind=_(KIND_LABELS[str(r["kind"])]),
            threshold=float(str(r["threshold"])) * 100,
            flagged=number(r.get("flagged")),
            positives=number(r.get("positives")),
            true_positives=number(r.get("true_positives")),
            precision=percent(r.get("precision")),
            recall=percent(r.get("recall")),
            lead_terms=None if r.get("lead_terms") is None else float(str(r["lead_terms"])),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class CountRow:
    """Flagged students of one organizer or school unit in one term."""

    label: str
    level: str
    term: str
    n: int | None
    flagged: float | None
    serious: float | None
    very_serious: float | None
    hidden: bool


def count_rows(released: Released, *, names: dict[str, dict[str, str]]) -> list[CountRow]:
    """Organizer rows, each followed by its school units, then the total; latest term first."""
    rows = released.rows()
    out: list[CountRow] = []
    for row in sorted(
        rows,
        key=lambda r: (
            str(r["term"]) != "VT",
            r["organizer_code"] is None,
            names["organizer_code"].get(str(r["organizer_code"]), str(r["organizer_code"])),
            r["school_unit_code"] is not None,
            names["school_unit_code"].get(str(r["school_unit_code"]), ""),
        ),
    ):
        hidden = row.get("status") not in (None, "exists")
        if row["school_unit_code"] is not None:
            code = str(row["school_unit_code"])
            label, level = names["school_unit_code"].get(code, code), "unit"
        elif row["organizer_code"] is not None:
            code = str(row["organizer_code"])
            label, level = names["organizer_code"].get(code, code), "organizer"
        else:
            label, level = _("Total"), "total"
        out.append(
            CountRow(
                label=label,
                level=level,
                term=str(row["term"]),
                n=None if hidden else int(str(row["n"])),
                flagged=None if hidden else percent(row.get("flagged_share")),
                serious=None if hidden else percent(row.get("serious_share")),
                very_serious=None if hidden else percent(row.get("very_serious_share")),
                hidden=hidden,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Year9Row:
    """A year-9 cohort of the region: students, started the next autumn, diploma within 3, 4
    and 5 years (percent; None when hidden or not yet observed)."""

    year: str
    n: int | None
    started: float | None
    diploma_3: float | None
    diploma_4: float | None
    diploma_5: float | None


def year9_rows(released: Released) -> list[Year9Row]:
    """The region's total row per year-9 year, oldest first."""
    out = []
    for row in sorted(released.rows(), key=lambda r: int(str(r["year9_year"]))):
        if row["home_municipality_code"] is not None:
            continue
        hidden = row.get("status") not in (None, "exists")
        out.append(
            Year9Row(
                year=school_year_label(int(str(row["year9_year"]))),
                n=None if hidden else int(str(row["n"])),
                started=None if hidden else percent(row.get("started_share")),
                diploma_3=None if hidden else percent(row.get("diploma_3_share")),
                diploma_4=None if hidden else percent(row.get("diploma_4_share")),
                diploma_5=None if hidden else percent(row.get("diploma_5_share")),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class PathYears:
    """From which start years the paths can be seen, as school years (``2024/25``)."""

    observable: str
    """The newest start year whose paths can have been seen (so far)."""
    complete: str
    """The newest start year followed through all five years."""
    not_yet: str
    """The start year(s) whose paths cannot have been seen yet."""


def path_years(last_year: int) -> PathYears | None:
    """The start years the page names for the paths (None without data)."""
    if last_year <= 0:
        return None
    return PathYears(
        observable=school_year_label(last_path_start(last_year)),
        complete=school_year_label(last_complete_path_start(last_year)),
        not_yet=school_year_label(last_year),
    )
