"""The survey report as an export document (XLSX, PDF, PPTX through ``likvard.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from likvard.analyses.surveys.rows import rate_definition
from likvard.analyses.surveys.services import SurveyReport
from likvard.exports.document import Document, Kind, Paragraph, Section
from likvard.exports.released import Spec, released_table

SPECS = {
    "index_key": Spec(gettext_lazy("Index")),
    "year_group": Spec(gettext_lazy("Year group"), Kind.COUNT),
    "gender": Spec(gettext_lazy("Gender")),
    "n": Spec(gettext_lazy("Respondents"), Kind.COUNT),
    "index_value": Spec(gettext_lazy("Index"), Kind.DECIMAL),
    "ci_low": Spec(gettext_lazy("Interval, low"), Kind.DECIMAL),
    "ci_high": Spec(gettext_lazy("Interval, high"), Kind.DECIMAL),
    "response_rate": Spec(gettext_lazy("Response rate"), Kind.PERCENT),
    "effect": Spec(gettext_lazy("Effect"), Kind.DECIMAL, decimals=2),
}
TITLES = {
    "region": gettext_lazy("The region"),
    "municipality": gettext_lazy("Municipalities"),
    "organizer": gettext_lazy("Organizers"),
    "school_unit": gettext_lazy("School units"),
}


def survey_document(report: SurveyReport) -> Document:
    """The report's released tables, one section each with what its response rate divides,
    plus the priority matrix."""
    genders = {"F": _("Girls"), "M": _("Boys")}
    names = {**report.names, "index_key": report.indices, "gender": genders}
    specs = {
        **SPECS,
        "index_key": Spec(gettext_lazy("Index"), words=report.indices),
        "gender": Spec(gettext_lazy("Gender"), words=genders),
    }
    definition = Paragraph(rate_definition(report.version), note=True)
    sections = [
        Section(
            str(TITLES[key]),
            [
                released_table(
                    table, extra=specs, names_of=names, hide=("response_ok",), total=_("All")
                ),
                definition,
            ],
        )
        for key, table in report.tables.items()
    ]
    sections.append(
        Section(
            _("Priority matrix"),
            [released_table(report.priority, extra=specs, names_of=names)],
        )
    )
    return Document(
        title=f"{report.version.name} {report.version.version}: {report.region.name}",
        sections=sections,
        sources=[report.tables["region"].provenance],
        filename=f"enkat-{report.version.survey}-{report.version.version}-{report.region.code}",
    )
