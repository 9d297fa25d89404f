"""The one NinjaAPI: session or token authentication, JSON errors, each app's router mounted."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from likvard.access.api import router as access_router
from likvard.access.tokens import api_token_user
from likvard.analyses.api import router as analyses_router
from likvard.knowledge.api import router as knowledge_router
from likvard.movement.api import router as movement_router
from likvard.networks.api import router as networks_router
from likvard.organisations.api import router as organisations_router
from likvard.planning.api import router as planning_router
from likvard.quality.api import router as quality_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        user = api_token_user(token=token)
        if user is not None:
            request.user = user  # type: ignore[assignment]  # any active user model
        return user


api = NinjaAPI(
    title="Likvärd API",
    version="1",
    description=(
        "Likvärds JSON-API för analytiker. Logga in i webbläsaren (sessionscookie) eller skicka "
        "en personlig token som `Authorization: Bearer <token>`. Samma behörighetsregler gäller "
        "som i webben: elevnivådata bara för egen huvudman, övrigt med små grupper dolda."
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
api.add_router("/v1/knowledge/", knowledge_router)


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message}}, status=status
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    message = "Ogiltiga uppgifter i begäran: se detaljerna för vilket fält som är fel."
    return api.create_response(
        request,
        {"error": {"code": "invalid_input", "message": message, "details": exc.errors}},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Inloggning krävs.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", "Du saknar behörighet till detta.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or "Hittades inte.")


SWEDISH_BY_STATUS = {
    400: (
        "malformed_request",
        "Begäran kunde inte tolkas: kontrollera att kroppen är giltig JSON.",
    ),
    405: ("method_not_allowed", "Metoden stöds inte för den här adressen."),
    413: ("too_large", "Begäran är för stor."),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = SWEDISH_BY_STATUS.get(exc.status_code, ("error", "Begäran misslyckades."))
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "detail": str(exc)}},
        status=exc.status_code,
    )
