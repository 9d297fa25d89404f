"""Embedding an analysis in an agenda item as a frozen snapshot.

The snapshot stores the released rows (already suppressed for the secretary who embedded them),
the data version they came from and a Vega-Lite spec drawn from those rows, so the minutes show
next year exactly what was shown at the meeting. The live analysis is linked beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from likvard.access.policy import Viewer
from likvard.networks.models import AgendaItem, AnalysisSnapshot, MeetingStatus
from likvard.networks.services.meetings import MeetingStateError
from likvard.organisations.models import Organizer
from likvard.warehouse.reports import organizer_enrolment_report

ENROLMENT_KEY = "warehouse.organizer_enrolment"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

JsonScalar = str | int | float | bool | None


def _json_safe(value: object) -> JsonScalar:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def enrolment_spec(rows: list[dict[str, JsonScalar]], title: str) -> dict[str, object]:
    """A Vega-Lite bar chart of students per school year and gender, with ``rows`` inlined."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "description": title,
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "x": {"field": "school_year", "type": "ordinal", "title": "Läsår"},
            "y": {
                "aggregate": "sum",
                "field": "students",
                "type": "quantitative",
                "title": "Elever",
            },
            "color": {"field": "gender", "type": "nominal", "title": "Kön"},
        },
        "config": {
            "locale": {
                "number": {
                    "decimal": ",",
                    "thousands": "\u00a0",
                    "grouping": [3],
                    "currency": ["", " kr"],
                }
            }
        },
    }


@transaction.atomic
def snapshot_enrolment_embed(
    *, item: AgendaItem, viewer: Viewer, organizer: Organizer
) -> AnalysisSnapshot:
    """Freeze the organizer's enrolment figures, as released to ``viewer``, into ``item``."""
    if item.meeting.status != MeetingStatus.DRAFT:
        raise MeetingStateError(_("Checked or published minutes can no longer be changed."))
    report = organizer_enrolment_report(viewer=viewer, organizer=organizer)
    rows = [
        {key: _json_safe(value) for key, value in row.items()} for row in report.released.rows()
    ]
    title = _("Enrolled students: %(name)s") % {"name": organizer.name}
    snapshot = AnalysisSnapshot(
        item=item,
        analysis_key=ENROLMENT_KEY,
        title=title,
        parameters={"organisation_number": organizer.organisation_number},
        data_version=report.released.data_version,
        provenance=report.released.provenance,
        rows=rows,
        spec=enrolment_spec(rows, title),
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot
