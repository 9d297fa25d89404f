"""The PPTX deck of each equity view: the page's charts and tables, from the page's report."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext as _

from likvard.analyses.equity import services
from likvard.analyses.equity.forms import GROUP_LABELS
from likvard.analyses.equity.pptx import Column, TableSlides, number, presentation, text, year
from likvard.analyses.equity.selection import subject_label


def _flag(row: Mapping[str, object]) -> str:
    if row.get("n") is None:
        return ".."
    return _("Deviates") if row.get("flag_reason") else "–"


def _share(name: str) -> Callable[[Mapping[str, object]], str]:
    """A share in whole percent; ``~100``/``~0`` for a rounded row (``shares_rounded``)."""
    exact = number(name, decimals=0, percent=True)

    def cell(row: Mapping[str, object]) -> str:
        if row.get("shares_rounded") and row.get(name) is not None:
            return "~100" if float(str(row[name])) >= 0.5 else "~0"  # noqa: PLR2004
        return exact(row)

    return cell


def _group(row: Mapping[str, object]) -> str:
    return str(GROUP_LABELS.get(str(row["group"]), _("All")))


def _named(column: str, names: Mapping[str, str]) -> Callable[[Mapping[str, object]], str]:
    return lambda row: names.get(str(row[column]), str(row[column]))


def _subject(row: Mapping[str, object]) -> str:
    return subject_label(str(row["subject_code"]))


def _yearly_columns(names: Mapping[str, str]) -> list[Column]:
    return [
        Column(_("School unit"), _named("school_unit_code", names)),
        Column(_("Subject"), _subject),
        Column(_("School year"), year()),
        Column(_("Group"), _group),
        Column(_("Students"), text("n")),
        Column(_("Lower (%)"), _share("share_lower")),
        Column(_("Same (%)"), _share("share_same")),
        Column(_("Higher (%)"), _share("share_higher")),
        Column(_("Mean difference (steps)"), number("mean_step_difference", decimals=2)),
        Column(_("Flag"), _flag),
    ]


def student_deck(report: services.StudentEquityReport) -> bytes:
    """A school's or an organizer's page as slides: the shares chart, yearly rows, patterns."""
    patterns = [
        Column(_("School unit"), _named("school_unit_code", report.names)),
        Column(_("Subject"), _subject),
        Column(_("Group"), _group),
        Column(_("Years"), text("years")),
        Column(_("Students"), text("n")),
        Column(
            _("Assessment"),
            lambda r: _("Systematic") if r.get("pattern_reason") else _("No systematic deviation"),
        ),
    ]
    return presentation(
        title=_("Grades and national tests: %(name)s") % {"name": report.title},
        charts=[(_("Share of students graded higher than tested"), report.chart)],
        tables=[
            TableSlides(_("Year by year"), report.yearly, _yearly_columns(report.names)),
            TableSlides(_("Patterns over the years"), report.patterns, patterns),
        ],
    )


def region_deck(report: services.RegionEquityReport) -> bytes:
    """A region's page as slides: the distribution chart and the released yearly rows."""
    return presentation(
        title=_("Grades and national tests across %(name)s") % {"name": report.region.name},
        charts=[(_("Spread across school units"), report.chart)],
        tables=[TableSlides(_("Year by year"), report.yearly, _yearly_columns(report.names))],
    )


def _published_columns(*, by_municipality: bool) -> list[Column]:
    first = (
        Column(_("Municipality"), text("area_code"))
        if by_municipality
        else Column(_("Subject"), text("subject"))
    )
    return [
        first,
        Column(_("School year"), year()),
        Column(_("Students with a test grade"), text("n_tested")),
        Column(_("Test grade A-E (%)"), number("test_pass_share")),
        Column(_("Subject grade A-E (%)"), number("grade_pass_share")),
        Column(_("Gap (percentage points)"), number("gap_pass")),
    ]


def published_region_deck(report: services.PublishedRegionReport) -> bytes:
    """The published comparison of a region's municipalities in one subject."""
    return presentation(
        title=_("Grades and national tests in %(name)s") % {"name": report.region.name},
        charts=[(report.subject, report.chart)],
        tables=[
            TableSlides(_("Per year"), report.yearly, _published_columns(by_municipality=True))
        ],
    )


def published_municipality_deck(report: services.PublishedMunicipalityReport) -> bytes:
    """The published comparison of one municipality, every test subject."""
    return presentation(
        title=_("Grades and national tests in %(name)s") % {"name": report.municipality.name},
        charts=[(_("Share passing the test and the subject"), report.chart)],
        tables=[
            TableSlides(_("Per year"), report.yearly, _published_columns(by_municipality=False))
        ],
    )
