"""Released survey rows as the pages, exports and CLI show them: names, ``..`` and reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from likvard.access.release import Released
from likvard_core.analytics.surveys.definition import Method, Respondents, Revision, SurveyVersion
from likvard_core.terms import ValueStatus

HIDDEN = ".."


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One unit's index as shown: name, index name, respondents, value and why it is hidden."""

    code: str
    name: str
    index: str
    respondents: str
    value: str
    interval: str
    response_rate: str
    reason: str


def _number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def rate_definition(version: SurveyVersion) -> str:
    """What the response rate beside a figure of ``version`` divides, in the active language
    (``likvard_core.analytics.surveys.results.invited_per_pupil``)."""
    if version.respondents is Respondents.GUARDIANS:
        return _(
            "Response rate: answering guardians / guardians invited, counted as two per pupil "
            "in the survey's year groups (a child has at most two guardians). Where a pupil has "
            "one guardian the true rate is higher."
        )
    return _("Response rate: answering pupils / pupils enrolled in the survey's year groups.")


def no_answers(region: str) -> str:
    """What a region's page and files say when none of its school units answered the survey
    (``SurveyReport.answered``), instead of empty tables and charts."""
    return _("The school units in %(region)s have no answers to this survey.") % {"region": region}


def revision_lines(
    version: SurveyVersion, revision: Revision, previous: SurveyVersion | None
) -> list[str]:
    """``version``'s revision against ``previous`` in words, in the active language: how many
    questions are the same, then each changed, new and removed question by its text with its
    code (a list of codes alone says nothing to a reader). Empty for a first version."""
    if not revision.previous:
        return []
    same = len(revision.comparable)
    lines = [
        ngettext(
            "Compared with version %(previous)s, %(count)d question is the same.",
            "Compared with version %(previous)s, %(count)d questions are the same.",
            same,
        )
        % {"previous": revision.previous, "count": same}
    ]
    now = {q.code: q.text for q in version.questions}
    before = {q.code: q.text for q in previous.questions} if previous is not None else {}
    kinds = (
        (_("Changed: %(text)s (%(code)s)"), revision.changed, now),
        (_("New: %(text)s (%(code)s)"), revision.new, now),
        (_("Removed: %(text)s (%(code)s)"), revision.removed, before),
    )
    for line, codes, texts in kinds:
        lines += [line % {"text": texts.get(code, code), "code": code} for code in codes]
    return lines


def reason_of(row: Mapping[str, object], version: SurveyVersion) -> str:
    """Why a row's index is hidden, in the active language ('' when it is shown)."""
    status = row.get("status")
    if status == ValueStatus.TOO_FEW.value:
        return _("Too few respondents (fewer than %(n)s)") % {"n": version.thresholds.respondents}
    if status == ValueStatus.SUPPRESSED_COMPLEMENTARY.value:
        return _("Hidden to protect another group's figure")
    if status == ValueStatus.WITHDRAWN.value:
        return _("Withdrawn from publication")
    if row.get("response_ok") is False:
        return _("Response rate below %(p)s %%") % {
            "p": round(version.thresholds.response_rate * 100)
        }
    return ""


def result_rows(
    released: Released,
    *,
    column: str | None,
    names: dict[str, str],
    version: SurveyVersion,
    index: str | None = None,
) -> list[ResultRow]:
    """The totals rows (all year groups, both genders) of ``released`` per unit in ``column``,
    for one ``index`` or every index, sorted by name."""
    labels = {i.key: i.name for i in version.indices}
    out = []
    for row in released.rows():
        if row.get("year_group") is not None or row.get("gender") is not None:
            continue
        if index is not None and row["index_key"] != index:
            continue
        code = str(row[column]) if column else ""
        value = row["index_value"]
        rate = row["response_rate"]
        low, high = row["ci_low"], row["ci_high"]
        out.append(
            ResultRow(
                code=code,
                name=names.get(code, code) if column else _("The region"),
                index=labels.get(str(row["index_key"]), str(row["index_key"])),
                respondents=HIDDEN if row["n"] is None else str(row["n"]),
                value=HIDDEN if value is None else _number(float(str(value))),
                interval=""
                if low is None or high is None
                else f"{_number(float(str(low)))}–{_number(float(str(high)))}",
                response_rate="" if rate is None else f"{_number(float(str(rate)) * 100, 0)} %",
                reason=reason_of(row, version),
            )
        )
    return sorted(out, key=lambda r: (r.name, r.index))


def breakdown_rows(released: Released, version: SurveyVersion) -> list[dict[str, str]]:
    """The region's rows per year group and gender (each index), as shown."""
    labels = {i.key: i.name for i in version.indices}
    genders = {"F": _("Girls"), "M": _("Boys")}
    out = []
    for row in released.rows():
        group, gender = row["year_group"], row["gender"]
        if group is None and gender is None:
            continue
        value = row["index_value"]
        out.append(
            {
                "index": labels.get(str(row["index_key"]), ""),
                "year_group": _("All") if group is None else _("Year %(y)s") % {"y": group},
                "gender": _("All") if gender is None else genders.get(str(gender), str(gender)),
                "respondents": HIDDEN if row["n"] is None else str(row["n"]),
                "value": HIDDEN if value is None else _number(float(str(value))),
                "reason": reason_of(row, version),
            }
        )
    return out


def trend_rows(trend: list[dict[str, object]], version: SurveyVersion) -> list[dict[str, str]]:
    """The region's comparable indices per version, as shown."""
    labels = {i.key: i.name for i in version.indices}
    return [
        {
            "index": labels.get(str(row["index_key"]), ""),
            "version": str(row["version"]),
            "respondents": HIDDEN if row["n"] is None else str(row["n"]),
            "value": HIDDEN
            if row["index_value"] is None
            else _number(float(str(row["index_value"]))),
        }
        for row in sorted(trend, key=lambda r: (str(r["index_key"]), str(r["version"])))
    ]


def priority_rows(released: Released, version: SurveyVersion) -> list[dict[str, str]]:
    """The priority matrix as a table: low index and high effect first."""
    labels = {i.key: i.name for i in version.indices}
    shown = [r for r in released.rows() if r["index_value"] is not None and r["effect"] is not None]
    # On one scale: a 0-100 index (100-66-33-0) counts as its tenth, as in the chart.
    tenth = {i.key for i in version.indices if i.method is Method.WEIGHTED_100}
    ordered = sorted(
        shown,
        key=lambda r: (
            -float(str(r["effect"]))
            + float(str(r["index_value"])) / (100 if r["index_key"] in tenth else 10)
        ),
    )
    return [
        {
            "index": labels.get(str(r["index_key"]), ""),
            "value": _number(float(str(r["index_value"]))),
            "effect": _number(float(str(r["effect"])), 2),
        }
        for r in ordered
    ]


def progress_rows(
    released: Released, *, names: dict[str, str], invited: dict[str, int], version: SurveyVersion
) -> list[dict[str, str]]:
    """A round's released answers per school unit, as shown: name, answers, pupils, rate."""
    out = []
    for row in released.rows():
        code = str(row["school_unit_code"])
        rate = row["response_rate"]
        hidden = row["n"] is None
        out.append(
            {
                "name": names.get(code, code),
                "answered": HIDDEN if hidden else str(row["n"]),
                "invited": str(invited.get(code, 0)),
                "rate": HIDDEN
                if hidden
                else ("–" if rate is None else f"{_number(float(str(rate)) * 100, 0)} %"),
                "reason": reason_of(row, version),
            }
        )
    return sorted(out, key=lambda r: r["name"])


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage (``–`` without a whole)."""
    return f"{_number(part / whole * 100, 0)} %" if whole else "–"
