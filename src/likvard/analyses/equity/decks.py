"""The PPTX deck of each equity view: the page's charts and tables, from the page's report."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from likvard.analyses.equity import services
from likvard.analyses.equity.forms import GROUP_LABELS
from likvard.analyses.equity.pptx import Column, TableSlides, number, presentation, text, year


def _flag(row: Mapping[str, object]) -> str:
    if row.get("n") is None:
        return ".."
    return _("Deviates") if row.get("flag_reason") else _("Within what chance explains")


def _group(row: Mapping[str, object]) -> str:
    return str(GROUP_LABELS.get(str(row["group"]), _("All")))


def _yearly_columns() -> list[Column]:
    return [
        Column(_("School unit"), text("school_unit_code")),
        Column(_("Subject"), text("subject_code")),
        Column(_("School year"), year()),
        Column(_("Group"), _group),
        Column(_("Students"), text("n")),
        Column(_("Lower (%)"), number("share_lower", decimals=0, percent=True)),
        Column(_("Same (%)"), number("share_same", decimals=0, percent=True)),
        Column(_("Higher (%)"), number("share_higher", decimals=0, percent=True)),
        Column(_("Mean difference (steps)"), number("mean_step_difference", decimals=2)),
        Column(_("Flag"), _flag),
    ]


def student_deck(report: services.StudentEquityReport) -> bytes:
    """A school's or an organizer's page as slides: the shares chart, yearly rows, patterns."""
    patterns = [
        Column(_("School unit"), text("school_unit_code")),
        Column(_("Subject"), text("subject_code")),
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
            TableSlides(_("Year by year"), report.yearly, _yearly_columns()),
            TableSlides(_("Patterns over the years"), report.patterns, patterns),
        ],
    )


def region_deck(report: services.RegionEquityReport) -> bytes:
    """A region's page as slides: the distribution chart and the released yearly rows."""
    return presentation(
        title=_("Grades and national tests across %(name)s") % {"name": report.region.name},
        charts=[(_("Spread across school units"), report.chart)],
        tables=[TableSlides(_("Year by year"), report.yearly, _yearly_columns())],
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
