"""Following up the networks' work: who is represented where, and open action items.

Attendance over time per municipality in one network, representation of each municipality in
each network, and open action items per person and organisation, all over the meetings the
viewer may read. Each comes with a Vega-Lite chart (drawn by ``static/analyses/charts.js``);
the pages show the same figures as a table next to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from likvard.access.policy import Viewer
from likvard.exports.charts import Spec, chart_spec
from likvard.networks.models import ActionItem, Attendance, AttendanceStatus, Network
from likvard.networks.selectors import (
    AttendanceOverview,
    meetings_with_register,
    readable_meetings,
)
from likvard.organisations.models import Municipality


def _heatmap(spec: Spec, *, x: str, y: str, value: str, x_title: str, y_title: str) -> Spec:
    spec["height"] = {"step": 22}
    spec["mark"] = {"type": "rect", "stroke": "#ffffff"}
    spec["encoding"] = {
        "x": {"field": x, "type": "ordinal", "sort": None, "title": x_title},
        "y": {"field": y, "type": "nominal", "sort": "ascending", "title": y_title},
        "color": {
            "field": value,
            "type": "quantitative",
            "title": value,
            "scale": {"scheme": "blues", "domainMin": 0},
        },
        "tooltip": [{"field": y}, {"field": x}, {"field": value}],
    }
    return spec


def attendance_chart(overview: AttendanceOverview) -> Spec:
    """A heat map of people present per municipality (rows) and meeting (columns)."""
    municipality, meeting, present = _("Municipality"), _("Meeting"), _("Present")
    labels = [m.held_on.isoformat() if m.held_on else f"#{m.pk}" for m in overview.meetings]
    values: list[dict[str, object]] = [
        {municipality: name, meeting: label, present: count}
        for name, counts in overview.rows
        for label, count in zip(labels, counts, strict=True)
    ]
    spec = chart_spec(
        _("Attendance per municipality and meeting"),
        values,
        description=_("People present per municipality at each meeting; white where nobody came."),
    )
    return _heatmap(
        spec, x=meeting, y=municipality, value=present, x_title=meeting, y_title=municipality
    )


@dataclass(frozen=True, slots=True)
class Representation:
    """In how many of each network's meetings (those the viewer may read and whose attendance is
    registered) each municipality had someone present; ``missing`` lists, per municipality, the
    networks it never attended."""

    networks: list[Network]
    meeting_counts: list[int]
    rows: list[tuple[str, list[int]]]
    missing: list[tuple[str, list[str]]]
    chart: Spec


def representation_by_network(*, viewer: Viewer) -> Representation:
    """Each municipality's representation in each network the viewer reads minutes of."""
    meetings, _unregistered = meetings_with_register(readable_meetings(viewer=viewer))
    networks = sorted({m.network for m in meetings}, key=lambda n: n.name)
    meeting_counts = Counter(m.network_id for m in meetings)
    attended: dict[tuple[str, int], set[int]] = defaultdict(set)
    for name, network_id, meeting_id in (
        Attendance.objects.filter(meeting__in=meetings, municipality__isnull=False)
        .exclude(status=AttendanceStatus.ABSENT)
        .values_list("municipality__name", "meeting__network_id", "meeting_id")
    ):
        attended[(name, network_id)].add(meeting_id)
    regions = {n.region_id for n in networks}
    names = set(Municipality.objects.filter(regions__in=regions).values_list("name", flat=True)) | {
        name for name, _network in attended
    }
    rows = [(name, [len(attended[(name, n.pk)]) for n in networks]) for name in sorted(names)]
    missing = [
        (name, [n.name for n, count in zip(networks, counts, strict=True) if count == 0])
        for name, counts in rows
    ]
    return Representation(
        networks=networks,
        meeting_counts=[meeting_counts[n.pk] for n in networks],
        rows=rows,
        missing=[(name, gaps) for name, gaps in missing if gaps],
        chart=_representation_chart(networks, [meeting_counts[n.pk] for n in networks], rows),
    )


def _representation_chart(
    networks: list[Network], meeting_counts: list[int], rows: list[tuple[str, list[int]]]
) -> Spec:
    municipality, network, share = _("Municipality"), _("Network"), _("Share of meetings (%)")
    values: list[dict[str, object]] = [
        {municipality: name, network: n.name, share: round(100 * count / total)}
        for name, counts in rows
        for n, total, count in zip(networks, meeting_counts, counts, strict=True)
        if total
    ]
    spec = chart_spec(
        _("Representation per municipality and network"),
        values,
        description=_(
            "Share of each network's meetings where the municipality had someone present."
        ),
    )
    return _heatmap(
        spec, x=network, y=municipality, value=share, x_title=network, y_title=municipality
    )


@dataclass(frozen=True, slots=True)
class ActionItemCount:
    """Open action items of one organisation (or person): all, and those past their due date."""

    name: str
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class ActionItemSummary:
    """Open action items counted per organisation and per person, with a chart."""

    by_organisation: list[ActionItemCount]
    by_person: list[ActionItemCount]
    chart: Spec


def _counts(rows: list[ActionItem], key: str, today: dt.date, empty: str) -> list[ActionItemCount]:
    open_: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for row in rows:
        name = str(getattr(row, key)) or empty
        open_[name] += 1
        overdue[name] += row.due is not None and row.due < today
    return [ActionItemCount(name, open_[name], overdue[name]) for name in sorted(open_)]


def action_item_summary(*, rows: list[ActionItem]) -> ActionItemSummary:
    """Count ``rows`` (open action items the viewer may read) per organisation and person."""
    today = timezone.localdate()
    by_organisation = _counts(rows, "organisation_name", today, _("No organisation named"))
    organisation, count = _("Organisation"), _("Action items")
    state = pgettext("due or overdue", "State")
    values: list[dict[str, object]] = []
    for row in by_organisation:
        values.append({organisation: row.name, state: _("Overdue"), count: row.overdue})
        values.append(
            {organisation: row.name, state: _("Not yet due"), count: row.open - row.overdue}
        )
    spec = chart_spec(
        _("Open action items per organisation"),
        values,
        description=_("Open action items per organisation, overdue ones first."),
    )
    spec["height"] = {"step": 22}
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": organisation, "type": "nominal", "sort": "ascending", "title": None},
        "x": {"field": count, "type": "quantitative", "title": count, "stack": "zero"},
        "color": {
            "field": state,
            "type": "nominal",
            "title": state,
            "scale": {"range": ["#b2182b", "#2166ac"]},
        },
        "tooltip": [{"field": organisation}, {"field": state}, {"field": count}],
    }
    return ActionItemSummary(
        by_organisation=by_organisation,
        by_person=_counts(rows, "owner_name", today, _("Nobody named responsible")),
        chart=spec,
    )
