"""The files of an adjusted-results page, as export documents rendered by ``likvard.exports``.

The workbook: sheet "Resultat" (every released row: school units by name with the code beside,
shares as percent, points with one decimal, a frozen, filterable header) and sheet "Modell" (one
row per model term). The PDF: the year's overview (counts, the schools outside their interval),
the page's chart and every row the page's filters choose. Hidden rows keep their school and
year, with ``..`` for their figures and the assessment "Dold".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from likvard.access.release import Released
from likvard.analyses.adjusted.labels import (
    MODEL_LABELS,
    OUTCOME_LABELS,
    PROGRAMME_TYPE_LABELS,
    term_label,
)
from likvard.analyses.adjusted.rows import ResultRow
from likvard.analyses.adjusted.services import (
    AdjustedReport,
    DiagnosticsRow,
    SchoolReport,
    Stage,
)
from likvard.exports.document import (
    PRINT,
    WORKBOOK,
    Block,
    Chart,
    Column,
    Document,
    Hidden,
    Kind,
    Paragraph,
    Section,
    Table,
    Value,
)
from likvard.exports.files import render
from likvard.organisations.labels import school_year_label

Cell = Callable[[ResultRow], Value]


def _figure(read: Callable[[ResultRow], float | None]) -> Cell:
    return lambda r: Hidden() if r.hidden else read(r)


def _columns(stage: Stage, share: bool, *, full: bool) -> list[tuple[Column, Cell]]:
    """The results table's columns; ``full`` adds the code, the interval bounds and "in the
    model" (the workbook), else the interval as one text (the printed table)."""
    kind = Kind.PERCENT if share else Kind.DECIMAL
    places = 0 if share else 1
    scale = 100.0 if share else 1.0
    unit = _("percentage points") if share else _("points")
    columns: list[tuple[Column, Cell]] = [(Column(_("School unit")), lambda r: r.name)]
    if full:
        columns.append((Column(_("School unit code")), lambda r: r.code))
    columns.append((Column(_("Municipality")), lambda r: r.municipality))
    if stage is Stage.UPPER_SECONDARY:
        columns.append((Column(_("Programme type")), lambda r: r.programme_label))
    columns += [
        (Column(_("School year")), lambda r: r.year_label),
        (Column(_("Students"), Kind.COUNT), _figure(lambda r: r.students)),
        (Column(_("Result"), kind, places), _figure(lambda r: r.actual)),
        (Column(_("Model value"), kind, places), _figure(lambda r: r.model_value)),
        (
            Column(f"{_('Difference')} ({unit})", Kind.SIGNED, 1),
            _figure(lambda r: None if r.residual is None else r.residual * scale),
        ),
    ]
    if full:
        columns += [
            (Column(_("95 % interval, lower"), kind, places), _figure(lambda r: r.low)),
            (Column(_("95 % interval, upper"), kind, places), _figure(lambda r: r.high)),
            (
                Column(_("In the model")),
                lambda r: None if r.in_model is None else (_("Yes") if r.in_model else _("No")),
            ),
        ]
    else:
        columns.append((Column(_("Interval")), lambda r: Hidden() if r.hidden else r.interval_text))
    columns.append((Column(_("Assessment")), lambda r: r.assessment_label))
    return columns


def results_table(
    rows: Sequence[ResultRow], released: Released, stage: Stage, *, full: bool, title: str = ""
) -> Table:
    """The results as a table (``full``: every column, for the workbook)."""
    share = rows[0].share if rows else False
    columns = _columns(stage, share, full=full)
    notes = [released.provenance]
    if not released.full:
        notes.append(_("Small groups are hidden; the assessment says Hidden."))
    return Table(
        title,
        [c for c, _cell in columns],
        [[cell(row) for _c, cell in columns] for row in rows],
        notes=notes,
        media=WORKBOOK if full else PRINT,
    )


def model_table(diagnostics: Sequence[DiagnosticsRow]) -> Table:
    """One row per model term: the fit's figures and the term's estimate."""
    three = (Kind.DECIMAL, 3)
    columns = [
        Column(_("School year")), Column(_("Programme type")), Column(_("Model")),
        Column(_("Schools in the fit"), Kind.COUNT), Column("R²", *three),
        Column(_("Adjusted R²"), *three), Column(_("Residual standard error"), *three),
        Column(_("F test p-value"), *three), Column(_("Term")), Column(_("Estimate"), *three),
        Column(_("Standard error"), *three), Column(_("p-value"), *three),
    ]  # fmt: skip
    rows: list[list[Value]] = [
        [school_year_label(fit.school_year), str(PROGRAMME_TYPE_LABELS.get(fit.stratum, "")),
         str(MODEL_LABELS.get(fit.model, fit.model)), fit.schools, fit.r_squared,
         fit.adj_r_squared, fit.residual_std_error, fit.f_p_value, term_label(name),
         estimate, std_error, p_value]
        for fit in diagnostics
        for name, estimate, std_error, p_value in fit.coefficients
    ]  # fmt: skip
    return Table("", columns, rows, key=3, media=WORKBOOK)


def _title(stage: Stage, name: str) -> str:
    heading = (
        _("Adjusted results, year 9")
        if stage is Stage.YEAR9
        else _("Adjusted results, upper secondary")
    )
    return f"{heading}: {name}"


def _overview(report: AdjustedReport) -> list[Block]:
    counts = report.overview.counts
    parts = [
        f"{counts['above']} {_('above the interval')}",
        f"{counts['below']} {_('below the interval')}",
        f"{counts['within']} {_('within')}",
        f"{counts['outside_model']} {_('outside the model')}",
    ]
    if counts.get("hidden"):
        parts.append(f"{counts['hidden']} {_('hidden')}")
    blocks: list[Block] = [Paragraph(" · ".join(parts), media=PRINT)]
    # The chart first: it fits the portrait first page under the title, where the standouts'
    # table (wide: a landscape page of its own) left the first page holding the title alone.
    if report.rows:
        blocks.append(Chart(str(OUTCOME_LABELS[report.outcome]), spec=report.chart, media=PRINT))
    if report.overview.standouts:
        blocks.append(
            results_table(
                report.overview.standouts, report.results, report.stage, full=False,
                title=_("Schools outside their 95 %% interval") % {},
            )
        )  # fmt: skip
    return blocks


def adjusted_document(report: AdjustedReport, *, filename: str = "justerade") -> Document:
    """The page as a document: overview, chart and chosen rows (PDF); every row and the models'
    diagnostics (XLSX)."""
    year = report.overview.year
    subtitle = str(OUTCOME_LABELS[report.outcome])
    if year:
        subtitle += f", {school_year_label(year)}"
    subtitle += ". " + _(
        "Each school's result against its model value: what schools with similar students "
        "usually reach. Not a ranking: about one school in twenty lies outside its interval by "
        "chance."
    )
    chosen = _("actual result, model value and difference per school unit and school year")
    return Document(
        title=_title(report.stage, report.title),
        subtitle=subtitle,
        sections=[
            Section(_("Overview"), _overview(report), media=PRINT),
            Section(
                chosen[:1].upper() + chosen[1:],
                [
                    results_table(report.rows, report.results, report.stage, full=True),
                    results_table(report.table.matching, report.results, report.stage, full=False),
                ],
                sheet=_("Results"),
            ),
            Section(_("Model"), [model_table(report.diagnostics)], media=WORKBOOK),
        ],
        filename=filename,
    )


def adjusted_workbook(report: AdjustedReport) -> bytes:
    """Sheet "Resultat" (every released row) and sheet "Modell" (one row per model term)."""
    return render(adjusted_document(report), "xlsx").content


def adjusted_pdf(report: AdjustedReport) -> bytes:
    """The overview, the chart and every row the page's filters choose, as an A4 PDF."""
    return render(adjusted_document(report), "pdf").content


def school_workbook(report: SchoolReport) -> bytes:
    """The same two sheets for one school unit."""
    document = Document(
        title=_title(report.stage, report.unit.name),
        sections=[
            Section(
                _("Results"), [results_table(report.rows, report.results, report.stage, full=True)]
            ),
            Section(_("Model"), [model_table(report.diagnostics)]),
        ],
    )
    return render(document, "xlsx").content
