"""The one NinjaAPI: session or token authentication, JSON errors, each app's router mounted.

Every error the API gives, whatever raised it (a schema, a view, Django, the URL resolver), is
JSON in one shape, ``{"error": {"code", "message", "details"?}}`` (``ErrorOut``), with a
Swedish message; every operation documents the error statuses it can return.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from likvard.access.api import TokenAuth
from likvard.access.api import router as access_router
from likvard.access.schemas import ErrorOut
from likvard.analyses.api import router as analyses_router
from likvard.analyses.komvux.api import router as komvux_router
from likvard.analyses.movement.api import router as movement_router
from likvard.analyses.planning.api import router as planning_router
from likvard.analyses.surveys.api import router as surveys_router
from likvard.knowledge.api import router as knowledge_router
from likvard.networks.api import router as networks_router
from likvard.organisations.api import router as organisations_router
from likvard.quality.api import router as quality_router

logger = logging.getLogger(__name__)

ERROR_DESCRIPTIONS = {
    400: "Begäran kunde inte tolkas (till exempel en kropp som inte är JSON)",
    401: "Inloggning krävs: sessionscookie eller giltig API-nyckel",
    403: "Behörighet saknas (rollen, eller nyckelns behörigheter)",
    404: "Det som adressen pekar ut finns inte",
    409: "Begäran krockar med befintliga uppgifter",
    413: "Begäran är för stor",
    422: "Ogiltiga parametrar eller fält; details säger vilka",
    429: "För många förfrågningar: vänta så många sekunder som Retry-After säger",
    500: "Internt fel; det är loggat",
}
# Messages Django Ninja raises itself, in English, and their Swedish wording.
NINJA_MESSAGES = {
    "Cannot parse request body": "Kroppen är inte giltig JSON: rätta den och försök igen.",
    "Too many requests.": "För många förfrågningar: vänta en stund och försök igen.",
}
ERROR_CODES = {
    400: "malformed_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_input",
    429: "too_many_requests",
    500: "server_error",
}


class LikvardAPI(NinjaAPI):
    """NinjaAPI whose URL patterns and OpenAPI schema keep the error contract."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        # Anything else under /api/ is a JSON 404, not the HTML page.
        urls.append(re_path(r"^.*$", _json_not_found, name="not-found"))
        return urls

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        for operations in schema["paths"].values():
            for operation in operations.values():
                _document_errors(operation)
        return schema


def _document_errors(operation: dict[str, Any]) -> None:
    """Add the error responses an operation can give, each with the ``ErrorOut`` body."""
    parameters = operation.get("parameters", [])
    statuses = {401, 403, 429, 500}
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413}
    if operation.get("operationId", "").endswith("create_token"):
        statuses.add(409)
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        responses.setdefault(
            str(status),
            {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                },
            },
        )


api = LikvardAPI(
    title="Likvärd API",
    version="1",
    description=(
        "Likvärds JSON-API för analytiker. Logga in i webbläsaren (sessionscookie) eller skicka "
        "en personlig API-nyckel som `Authorization: Bearer <nyckel>`; nycklar skapas och "
        "återkallas på sidan Mina API-nycklar. Samma behörighetsregler gäller som i webben: "
        "elevnivådata bara för egen huvudman, övrigt med små grupper dolda. Alla fel är JSON: "
        '`{"error": {"code": ..., "message": ..., "details": [...]}}`.'
    ),
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
)

api.add_router("/v1/organisations/", organisations_router)
api.add_router("/v1/access/", access_router)
api.add_router("/v1/analyses/", analyses_router)
api.add_router("/v1/networks/", networks_router)
api.add_router("/v1/quality/", quality_router)
api.add_router("/v1/planning/", planning_router)
api.add_router("/v1/movement/", movement_router)
api.add_router("/v1/surveys/", surveys_router)
api.add_router("/v1/knowledge/", knowledge_router)
api.add_router("/v1/komvux/", komvux_router)


def _error(
    request: HttpRequest,
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": ERROR_CODES.get(status, "error"), "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a path's view so that its 405 (another method than the path's) is JSON."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            json = _error(request, 405, f"Metoden stöds inte här. Tillåtna: {allowed}.")
            json["Allow"] = allowed
            return json
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # as Ninja's own views
    return wrapper


def _json_not_found(request: HttpRequest) -> HttpResponse:
    return _error(request, 404, "Det finns ingen sådan adress i API:t.")


def _field(loc: object) -> str:
    parts = [str(p) for p in loc] if isinstance(loc, list | tuple) else [str(loc)]
    named = [p for p in parts if p not in {"query", "path", "body", "payload", "filters"}]
    return ".".join(named) or ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors
    ]
    fields = ", ".join(sorted({_field(d["loc"]) for d in details})) or "begäran"
    message = f"Ogiltigt värde för {fields}: se details för vad som tillåts."
    return _error(request, 422, message, details)


@api.exception_handler(DjangoValidationError)
def on_model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return _error(request, 422, " ".join(exc.messages))


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Inloggning krävs: logga in eller skicka en giltig API-nyckel.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = exc.args[0] if exc.args and isinstance(exc.args[0], str) else ""
    swedish = detail if detail.startswith("Nyckeln") else ""
    return _error(request, 403, swedish or "Du saknar behörighet till detta.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Hittades inte.")


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "Begäran är för stor.")


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return _error(request, 400, "Begäran kunde inte tolkas.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = NINJA_MESSAGES.get(str(exc), str(exc)) or "Begäran misslyckades."
    return _error(request, exc.status_code, message)


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API error at %s", request.path, exc_info=exc)
    return _error(request, 500, "Något gick fel hos oss. Felet är loggat; försök igen senare.")
