"""Kolada's REST API (v3, and the older v2 paths) over Likvärd's released figures.

An existing Kolada client reaches these routes by changing only its base URL to
``<likvard>/kolada/v3/`` (or ``/kolada/v2/``). Metadata: ``kpi``, ``kpi_groups``,
``municipality``, ``municipality_groups``, ``ou``; data: ``data`` and ``oudata`` in the path
form (``data/kpi/N15504/municipality/1384/year/2024,2025``) and the query form
(``data?kpi_id=N15504&municipality_id=1384``). Answers are Kolada's envelope: ``values``,
``count`` and paging links (v3 ``next_url``/``previous_url``, v2 ``next_page``/``previous_page``)
with ``per_page`` (at most 5,000) and ``page``. See docs/kolada-api.md.

Without a token the caller is anonymous and sees what is public; with ``Authorization: Bearer
<token>`` (a personal API token) what its owner may see, as on the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.access.models import TokenScope
from likvard.access.policy import ANONYMOUS, Viewer, viewer_for
from likvard.access.tokens import api_token_check
from likvard.opendata.services import entities, kpis
from likvard.opendata.services.values import Kind, Value, kolada_values, values_updated_at

MAX_PER_PAGE = 5000
"""Kolada's largest page, and its default."""
KPI_GROUP_ID = "GLVKPI01"
KPI_GROUP_TITLE = "Likvärd: nyckeltal för grundskolan"  # a title, as Kolada's are Swedish
FILTERS = {
    "kpi": "kpi",
    "kpi_id": "kpi",
    "municipality": "municipality",
    "municipality_id": "municipality",
    "ou": "ou",
    "ou_id": "ou",
    "year": "year",
}
"""Filter names of the path and query forms (koladapy sends ``kpi_id`` ...) → filter."""
YEAR_DIGITS = 4
GENDERS = ("T", "K", "M")


class KoladaError(Exception):
    """A request Kolada would refuse: answered with ``status`` and ``{"detail": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _viewer(request: HttpRequest) -> Viewer:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        check = api_token_check(token=token.strip()) if scheme.lower() == "bearer" else None
        if check is None or TokenScope.READ not in check.scopes:
            raise KoladaError(401, _("Invalid token."))
        return viewer_for(check.user)
    return viewer_for(request.user) if request.user.is_authenticated else ANONYMOUS


def _ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError as error:
        raise KoladaError(400, _("%(name)s must be a whole number.") % {"name": name}) from error
    if not low <= number <= high:
        raise KoladaError(
            400,
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return number


def _page(request: HttpRequest, version: str, items: Sequence[dict[str, Any]]) -> JsonResponse:
    """Kolada's envelope around one page of ``items``, with its paging links."""
    per_page = _int(request, "per_page", MAX_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int(request, "page", 1, 1, 10**6)
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        query["per_page"] = str(per_page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = link(page + 1) if start + per_page < len(items) else None
    previous = link(page - 1) if page > 1 else None
    if version == "v2":
        body: dict[str, Any] = {"count": len(chunk), "values": chunk}
        if following:
            body["next_page"] = following
        if previous:
            body["previous_page"] = previous
    else:
        body = {"count": len(items), "values": chunk,
                "next_url": following, "previous_url": previous}  # fmt: skip
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _kolada_view(
    handler: Callable[..., Sequence[dict[str, Any]]],
) -> Callable[..., JsonResponse]:
    @require_GET
    def view(request: HttpRequest, version: str, **kwargs: str) -> JsonResponse:
        try:
            return _page(request, version, handler(request, version, **kwargs))
        except KoladaError as error:
            return _error(error.status, str(error))

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _title_match(request: HttpRequest, title: str) -> bool:
    query = (request.GET.get("title") or "").strip().lower()
    return not query or query in title.lower()


@_kolada_view
def kpi(request: HttpRequest, version: str, ids: str = "") -> list[dict[str, Any]]:
    """Likvärd's indicators as KPIs: all, by ``title`` (substring), or by comma-separated ids."""
    wanted = set(_ids(ids)) | set(_ids(request.GET.get("id")))
    area = (request.GET.get("operating_area") or "").lower()
    published = values_updated_at()
    return [
        k.as_kolada(publication_date=published)
        for k in kpis.kpi_list()
        if (not wanted or k.id in wanted)
        and _title_match(request, k.title)
        and area in k.operating_area.lower()
    ]


@_kolada_view
def kpi_groups(request: HttpRequest, version: str, ids: str = "") -> list[dict[str, Any]]:
    """One group holding every Likvärd KPI (Kolada's ``kpi_groups`` shape)."""
    wanted = set(_ids(ids))
    group = {
        "id": KPI_GROUP_ID,
        "title": KPI_GROUP_TITLE,
        "members": [{"member_id": k.id, "member_title": k.title} for k in kpis.kpi_list()],
    }
    if (wanted and KPI_GROUP_ID not in wanted) or not _title_match(request, KPI_GROUP_TITLE):
        return []
    return [group]


@_kolada_view
def municipality(request: HttpRequest, version: str, ids: str = "") -> list[dict[str, Any]]:
    """Riket, municipalities and Likvärd's regions (type ``L``), by id, ``title`` or ``type``."""
    wanted = set(_ids(ids))
    kind = (request.GET.get("type") or "").upper()
    return [
        a.as_kolada()
        for a in entities.area_list()
        if (not wanted or a.id in wanted)
        and _title_match(request, a.title)
        and (not kind or a.type == kind)
    ]


@_kolada_view
def municipality_groups(request: HttpRequest, version: str, ids: str = "") -> list[dict[str, Any]]:
    """Likvärd's regions as municipality groups with their members."""
    wanted = set(_ids(ids))
    return [
        g.as_kolada()
        for g in entities.group_list()
        if (not wanted or g.id in wanted) and _title_match(request, g.title)
    ]


@_kolada_view
def ou(request: HttpRequest, version: str, ids: str = "") -> list[dict[str, Any]]:
    """School units under their skolenhetskod, by id, ``title`` or ``municipality``."""
    wanted = set(_ids(ids))
    places = _ids(request.GET.get("municipality"))
    return [
        u.as_kolada()
        for u in entities.unit_list(municipalities=places or None)
        if (not wanted or u.id in wanted) and _title_match(request, u.title)
    ]


def _filters(request: HttpRequest, rest: str) -> dict[str, list[str]]:
    """The kpi/municipality/ou/year filters of the path form and the query form."""
    found: dict[str, list[str]] = {}
    parts = [p for p in rest.split("/") if p]
    if len(parts) % 2:
        raise KoladaError(
            404, _("Unknown address: give key/value pairs, e.g. kpi/N15504/year/2025.")
        )
    for key, value in zip(parts[::2], parts[1::2], strict=True):
        if key not in FILTERS:
            raise KoladaError(404, _("Unknown part of the address: %(key)s.") % {"key": key})
        found.setdefault(FILTERS[key], []).extend(_ids(value))
    for key, name in FILTERS.items():
        for value in request.GET.getlist(key):
            found.setdefault(name, []).extend(_ids(value))
    return found


def _years(texts: list[str] | None) -> list[int] | None:
    if texts is None:
        return None
    if not all(t.isdigit() and len(t) == YEAR_DIGITS for t in texts):
        raise KoladaError(400, _("year must be years of four digits, separated by commas."))
    return [int(t) for t in texts]


def _fresh(request: HttpRequest) -> bool:
    """False when ``from_date`` is after the data version's date: nothing changed since."""
    raw = request.GET.get("from_date")
    if not raw:
        return True
    try:
        since = dt.date.fromisoformat(raw)
    except ValueError as error:
        raise KoladaError(400, _("from_date must be a date, YYYY-MM-DD.")) from error
    updated = values_updated_at()
    return updated is not None and dt.date.fromisoformat(updated) >= since


def _inner(value: Value, version: str) -> dict[str, Any]:
    inner: dict[str, Any] = {
        "gender": value.gender,
        "count": value.count,
        "status": value.kolada_status,
        "value": value.value,
    }
    if version == "v3":
        inner["isdeleted"] = False
    return inner


def _records(values: Sequence[Value], key: str, version: str) -> list[dict[str, Any]]:
    """One Kolada record per KPI, entity and period, its genders' values inside."""
    records: dict[tuple[str, str, int], dict[str, Any]] = {}
    for value in values:
        record = records.setdefault(
            (value.kpi, value.entity, value.period),
            {"kpi": value.kpi, key: value.entity, "period": value.period, "values": []},
        )
        record["values"].append(_inner(value, version))
    return list(records.values())


def _genders(request: HttpRequest) -> list[str]:
    """Kolada's ``gender`` filter: ``T`` (all students), ``K`` (girls), ``M`` (boys), or
    several separated by commas; none named is every gender, as Kolada answers."""
    asked = [g.upper() for g in _ids(request.GET.get("gender"))] or list(GENDERS)
    if not set(asked) <= set(GENDERS):
        raise KoladaError(400, _("gender must be T, K or M."))
    return sorted(set(asked))


def _data(request: HttpRequest, version: str, rest: str, kind: Kind) -> list[dict[str, Any]]:
    found = _filters(request, rest)
    other = "ou" if kind is Kind.AREA else "municipality"
    if other in found:
        raise KoladaError(404, _("%(name)s does not belong to this address.") % {"name": other})
    key = kind.value
    if not any(found.get(name) for name in ("kpi", key, "year")):
        raise KoladaError(400, _("Give at least one of kpi, %(name)s and year.") % {"name": key})
    genders = _genders(request)
    years = _years(found.get("year"))
    if not _fresh(request):
        return []
    values = kolada_values(
        viewer=_viewer(request), kind=kind, kpis=found.get("kpi"),
        entities=found.get(key), years=years, genders=genders,
    )  # fmt: skip
    return _records(values, key, version)


@_kolada_view
def data(request: HttpRequest, version: str, rest: str = "") -> list[dict[str, Any]]:
    """Values of KPIs for municipalities, Likvärd's regions (entity and group) and Riket."""
    return _data(request, version, rest, Kind.AREA)


@_kolada_view
def oudata(request: HttpRequest, version: str, rest: str = "") -> list[dict[str, Any]]:
    """Values of KPIs for school units."""
    return _data(request, version, rest, Kind.UNIT)


def not_found(request: HttpRequest, version: str, rest: str = "") -> JsonResponse:
    """Kolada's answer to an address it does not have."""
    return _error(404, _("The address does not exist in the Kolada API."))
