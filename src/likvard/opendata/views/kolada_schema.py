"""The OpenAPI description of the Kolada-compatible API, one per version (v3 and v2).

Kolada publishes no machine-readable schema of its own that we could check against, so this
one describes what Likvärd's routes (``views/kolada.py``) answer: the paths, their filters,
Kolada's envelopes (v3 ``next_url``/``previous_url``, v2 ``next_page``/``previous_page``) and
the ``{"detail": ...}`` errors. Served at ``/kolada/<version>/openapi.json``; the test suite
fuzzes it with schemathesis (``tests/app/opendata/test_kolada_schemathesis.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from likvard.opendata.views.kolada import MAX_PER_PAGE

Schema = dict[str, Any]

_STRING: Schema = {"type": "string"}
_IDS: Schema = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
_NULLABLE_STRING: Schema = {"anyOf": [{"type": "string"}, {"type": "null"}]}

ERROR: Schema = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string", "description": "The reason, in Swedish."}},
}

KPI: Schema = {
    "type": "object",
    "required": ["id", "title", "description", "operating_area", "is_divided_by_gender"],
    "properties": {
        "id": {"type": "string", "description": "Kolada's id (N/U + 5 digits) or L + 5 digits."},
        "title": _STRING,
        "description": _STRING,
        "operating_area": _STRING,
        "perspective": _STRING,
        "auspice": _STRING,
        "municipality_type": _STRING,
        "is_divided_by_gender": {"type": "integer", "enum": [0, 1]},
        "has_ou_data": {"type": "boolean"},
        "publication_date": _NULLABLE_STRING,
        "ou_publication_date": _NULLABLE_STRING,
        "prel_publication_date": _NULLABLE_STRING,
        "publ_period": _NULLABLE_STRING,
        "unit": _STRING,
        "source": _STRING,
        "likvard_code": _STRING,
    },
}
MEMBER: Schema = {
    "type": "object",
    "required": ["member_id", "member_title"],
    "properties": {"member_id": _STRING, "member_title": _STRING},
}
KPI_GROUP: Schema = {
    "type": "object",
    "required": ["id", "title", "members"],
    "properties": {"id": _STRING, "title": _STRING, "members": {"type": "array", "items": MEMBER}},
}
AREA: Schema = {
    "type": "object",
    "required": ["id", "title", "type"],
    "properties": {
        "id": {"type": "string", "description": "Kommunkod, 0000 (Riket) or LV + region code."},
        "title": _STRING,
        "type": {"type": "string", "enum": ["K", "L"]},
    },
}
AREA_GROUP: Schema = {
    "type": "object",
    "required": ["id", "title", "members"],
    "properties": {
        "id": _STRING,
        "title": _STRING,
        "members": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title"],
                "properties": {"id": _STRING, "title": _STRING},
            },
        },
    },
}
UNIT: Schema = {
    "type": "object",
    "required": ["id", "title", "municipality"],
    "properties": {"id": _STRING, "title": _STRING, "municipality": _STRING},
}


def _value(version: str) -> Schema:
    properties: Schema = {
        "gender": {"type": "string", "enum": ["T", "K", "M"]},
        "count": {"type": "integer", "minimum": 0},
        "status": {
            "type": "string",
            "description": "'' when shown; else Saknas, För få, Skyddad, Tillbakadragen or "
            "Ej tillämpligt, and value is null.",
        },
        "value": {"anyOf": [{"type": "number"}, {"type": "null"}]},
    }
    if version == "v3":
        properties["isdeleted"] = {"type": "boolean"}
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _record(version: str, key: str) -> Schema:
    return {
        "type": "object",
        "required": ["kpi", key, "period", "values"],
        "properties": {
            "kpi": _STRING,
            key: _STRING,
            "period": {"type": "integer", "description": "The school year's spring year."},
            "values": {"type": "array", "minItems": 1, "items": _value(version)},
        },
        "additionalProperties": False,
    }


def _envelope(version: str, item: Schema) -> Schema:
    if version == "v2":
        return {
            "type": "object",
            "required": ["count", "values"],
            "properties": {
                "count": {"type": "integer", "description": "Records on this page."},
                "values": {"type": "array", "items": item},
                "next_page": _STRING,
                "previous_page": _STRING,
            },
            "additionalProperties": False,
        }
    return {
        "type": "object",
        "required": ["count", "values", "next_url", "previous_url"],
        "properties": {
            "count": {"type": "integer", "description": "All records of the answer."},
            "values": {"type": "array", "items": item},
            "next_url": _NULLABLE_STRING,
            "previous_url": _NULLABLE_STRING,
        },
        "additionalProperties": False,
    }


def _query(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or _STRING,
    }


PAGING = [
    _query("per_page", "Records per page (Kolada's largest page is the default).",
           {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
    _query("page", "The page, from 1.", {"type": "integer", "minimum": 1, "maximum": 10**6}),
]  # fmt: skip
TITLE = _query("title", "Part of the title, any case.")


def _responses(version: str, item: Schema) -> Schema:
    def body(schema: Schema, description: str) -> Schema:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    return {
        "200": body(_envelope(version, item), "Kolada's envelope; an empty one when none match."),
        "400": body(ERROR, "A parameter out of range or malformed."),
        "401": body(ERROR, "A bearer token that does not exist or may not read."),
        "404": body(ERROR, "An address Kolada does not have."),
    }


def _operation(version: str, summary: str, item: Schema, parameters: list[Schema]) -> Schema:
    return {
        "get": {
            "summary": summary,
            "parameters": [*parameters, *PAGING],
            "responses": _responses(version, item),
            "security": [{}, {"bearer": []}],
        }
    }


def _ids(description: str) -> Schema:
    return {"name": "ids", "in": "path", "required": True, "description": description,
            "schema": _IDS}  # fmt: skip


def _path(name: str, description: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": _IDS}  # fmt: skip


def _metadata(version: str) -> dict[str, Schema]:
    prefix = f"/kolada/{version}"
    kinds = {
        "kpi": ("Likvärd's indicators as KPIs.", KPI,
                [TITLE, _query("id", "Comma-separated ids."),
                 _query("operating_area", "Part of the operating area.")]),
        "kpi_groups": ("One group holding every KPI.", KPI_GROUP, [TITLE]),
        "municipality": ("Riket, municipalities and Likvärd's regions.", AREA,
                         [TITLE, _query("type", "K (municipality) or L (region, Riket).")]),
        "municipality_groups": ("Likvärd's regions as municipality groups.", AREA_GROUP,
                                [TITLE]),
        "ou": ("School units.", UNIT,
               [TITLE, _query("municipality", "Comma-separated municipality codes.")]),
    }  # fmt: skip
    paths: dict[str, Schema] = {}
    for name, (summary, item, parameters) in kinds.items():
        paths[f"{prefix}/{name}"] = _operation(version, summary, item, parameters)
        paths[f"{prefix}/{name}/{{ids}}"] = _operation(
            version, f"{summary} By comma-separated ids.", item,
            [_ids("Comma-separated ids."), *parameters],
        )  # fmt: skip
    return paths


def _data(version: str, route: str, key: str) -> dict[str, Schema]:
    prefix = f"/kolada/{version}/{route}"
    item = _record(version, key)
    common = [
        _query("gender", "T (all), K (girls), M (boys), or several: K,M,T; none: every gender."),
        _query("from_date", "YYYY-MM-DD: values changed on or after it.",
               {"type": "string", "format": "date"}),
    ]  # fmt: skip
    query = [
        _query("kpi_id", "Comma-separated KPI ids."),
        _query(f"{key}_id", "Comma-separated ids."),
        _query("kpi", "Comma-separated KPI ids."),
        _query(key, "Comma-separated ids."),
        _query("year", "Comma-separated school years (spring year, four digits)."),
    ]
    kpi = _path("kpi", "Comma-separated KPI ids.")
    place = _path(key, "Comma-separated ids.")
    year = _path("year", "Comma-separated years of four digits.")
    forms = {
        "": ("Values by query parameters (at least one of kpi, area, year).", query),
        "/kpi/{kpi}": ("Values of KPIs.", [kpi]),
        "/kpi/{kpi}/year/{year}": ("Values of KPIs in years.", [kpi, year]),
        f"/kpi/{{kpi}}/{key}/{{{key}}}": ("Values of KPIs for places.", [kpi, place]),
        f"/kpi/{{kpi}}/{key}/{{{key}}}/year/{{year}}": ("Values of KPIs for places in years.",
                                                       [kpi, place, year]),
        f"/{key}/{{{key}}}/year/{{year}}": ("Every KPI's values for places in years.",
                                            [place, year]),
    }  # fmt: skip
    return {
        prefix + suffix: _operation(version, summary, item, [*parameters, *common])
        for suffix, (summary, parameters) in forms.items()
    }


def kolada_openapi(version: str) -> Schema:
    """The OpenAPI 3.1 document of the Kolada-compatible API ``version`` (``v3`` or ``v2``)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Likvärd: Kolada-compatible API {version}",
            "version": version,
            "description": "Kolada's routes and shapes over Likvärd's released figures; see "
            "docs/kolada-api.md. Anonymous callers see what is public; a bearer token what "
            "its owner may see.",
        },
        "paths": {
            **_metadata(version),
            **_data(version, "data", "municipality"),
            **_data(version, "oudata", "ou"),
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@require_GET
def openapi(request: HttpRequest, version: str) -> JsonResponse:
    """The OpenAPI document of this version of the Kolada-compatible API."""
    return JsonResponse(kolada_openapi(version), json_dumps_params={"ensure_ascii": False})
