"""Template tags of the quality app: open follow-up actions, released figures in Swedish,
material on a subject (from the knowledge bank)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from likvard.access.policy import ANONYMOUS, Viewer, viewer_for
from likvard.quality.selectors import open_actions
from likvard.quality.services.kolada import kolada_kpi_label, kolada_kpi_titles
from likvard.quality.services.material import MaterialLink
from likvard.quality.services.material import material_on as find_material
from likvard_core.analytics.quality.assess import format_sv
from likvard_core.analytics.quality.basis import Figure
from likvard_core.analytics.quality.catalogue_model import Unit

register = template.Library()


@register.filter
def kolada_kpi(code: str | None) -> str:
    """A Kolada key figure by its id and name, ``N15419: Elever i åk 9 ...`` (``–`` for none)."""
    return kolada_kpi_label(code) if code else "–"


@register.filter
def kolada_kpi_title(code: str) -> str:
    """A Kolada key figure's name alone (empty for an id Likvärd does not know)."""
    return kolada_kpi_titles().get(code, "")


@register.inclusion_tag("quality/_open_actions.html")
def open_follow_up_actions(viewer: Viewer) -> dict[str, object]:
    """The follow-up actions of the viewer's organizers that are not done yet."""
    return {"actions": open_actions(viewer=viewer)}


@register.simple_tag
def figure(value: Figure | None, unit: Unit | None = None) -> SafeString:
    """A released figure with a decimal comma, or its mark ('.', '..') with the Swedish reason.

    A hidden figure never shows a number: only the mark and why it is hidden.
    """
    if not isinstance(value, Figure):  # None, or '' for a figure the basis does not have
        return format_html('<abbr title="{}">.</abbr>', "uppgift saknas")
    if not value.shown:
        return format_html('<abbr title="{}">{}</abbr>', value.reason_sv, value.mark)
    return format_html("{}", format_sv(value.value, unit))


@register.simple_tag
def interval(value: Figure | None) -> str:
    """The figure's 95 % interval as ``low–high`` ('' when hidden or unknown)."""
    if not isinstance(value, Figure) or not value.shown or value.low is None or value.high is None:
        return ""
    return f"{format_sv(value.low)}–{format_sv(value.high)}"


@register.simple_tag
def number(value: float | None, decimals: int = 1) -> str:
    """A number with a decimal comma ('–' when unknown)."""
    return format_sv(value, decimals=decimals)


_SENTENCE_END = re.compile(r"(?<=[.)])\s+(?=[A-ZÅÄÖ])")
_UNCERTAINTY = re.compile(
    r"konfidensintervall \((?P<low>[^()]+?) till (?P<high>[^()]+?)\)"
    r"|prognosintervall \((?P<band>[^()]+?)\)"
)


@register.filter
def flag_short(sentence: str) -> str:
    """A flag's measure and its uncertainty in one line, for the basis's overview: the
    sentence's first statement and the interval of the next (the full text is the detail's)."""
    first = _SENTENCE_END.split(sentence, maxsplit=1)[0]
    found = _UNCERTAINTY.search(sentence, len(first))
    if found is None or found.start() > len(first) + 200:
        return first
    if found["band"]:
        return f"{first} 95 % prognosintervall {found['band']}."
    return f"{first} Skillnaden {found['low']} till {found['high']} (95 % konfidensintervall)."


@register.simple_tag
def chart_for(charts: dict[str, dict[str, object]], code: str) -> dict[str, object] | None:
    """The Vega-Lite chart of indicator ``code`` (None when it has none)."""
    return charts.get(code)


@register.simple_tag(takes_context=True)
def material_on(context: template.Context, subject: str, key: object) -> list[MaterialLink]:
    """Material on a success factor, indicator or agenda item the viewer may read.

    A page rendered without its request (to be kept, ``quality.views.basis``) passes what was
    found for its reader as ``material_found``: (subject, key) → links.
    """
    found = context.get("material_found")
    if isinstance(found, dict):
        return list(found.get((subject, str(key)), []))
    request = context.get("request")
    viewer = viewer_for(request.user) if request is not None else ANONYMOUS
    return find_material(viewer=viewer, subject=subject, key=str(key))
