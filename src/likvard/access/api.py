"""API for access: token authentication, who am I, and one's personal API tokens.

``TokenAuth`` is the API's bearer authentication: a live token (not revoked, not expired) of an
active user that holds the operation's scope. Tokens are managed only from a signed-in browser
session: a token can neither create nor list nor revoke tokens.
"""

from __future__ import annotations

from typing import Annotated

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from likvard.access.models import RoleAssignment, TokenScope
from likvard.access.policy import student_data_organizers, student_data_school_units, viewer_for
from likvard.access.schemas import MeOut, RoleOut, TokenIn, TokenListOut, TokenOut
from likvard.access.tokens import (
    TokenError,
    api_token_check,
    api_token_create,
    api_token_list,
    api_token_revoke,
)

SCOPE_NAMES = {
    TokenScope.READ: "läsa analyser",
    TokenScope.IMPORT: "importera data",
    TokenScope.MANAGE: "administrera",
}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token holding ``scope``."""

    def __init__(self, scope: TokenScope = TokenScope.READ) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        check = api_token_check(token=token)
        if check is None:
            return None
        if self.scope not in check.scopes:
            raise PermissionDenied(
                f"Nyckeln saknar behörigheten {SCOPE_NAMES[self.scope]!r} som krävs här."
            )
        request.user = check.user  # type: ignore[assignment]  # any active user model
        return check.user


router = Router(tags=["access"])


@router.get("/me", response=MeOut, summary="Den inloggade användaren och dess roller")
def me(request: HttpRequest) -> MeOut:
    viewer = viewer_for(request.user)
    assignments = RoleAssignment.objects.filter(user__username=viewer.username).select_related(
        "region", "organizer", "school_unit"
    )
    return MeOut(
        username=viewer.username,
        roles=[
            RoleOut(
                role=a.role,
                region=a.region.code if a.region else None,
                organizer=a.organizer.organisation_number if a.organizer else None,
                school_unit=a.school_unit.code if a.school_unit else None,
            )
            for a in assignments
        ],
        student_data_organizers=sorted(student_data_organizers(viewer)),
        student_data_school_units=sorted(student_data_school_units(viewer)),
    )


@router.get(
    "/tokens",
    response=list[TokenListOut],
    auth=django_auth,
    summary="Dina giltiga API-nycklar (bara i inloggad webbläsare)",
)
def list_tokens(request: HttpRequest) -> list[TokenListOut]:
    return [TokenListOut.of(t) for t in api_token_list(user=request.user)]  # type: ignore[arg-type]


@router.post(
    "/tokens",
    response={201: TokenOut},
    auth=django_auth,
    summary="Skapa en personlig API-nyckel (bara i inloggad webbläsare, inte med en nyckel)",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    try:
        created = api_token_create(
            user=request.user,  # type: ignore[arg-type]
            name=payload.name,
            scopes=[s.value for s in payload.scopes],
            days=payload.days,
        )
    except (TokenError, DjangoValidationError) as error:
        message = error.args[0] if isinstance(error, TokenError) else error.messages[0]
        raise HttpError(409 if isinstance(error, TokenError) else 422, message) from error
    token = created.token
    return Status(
        201,
        TokenOut(
            id=token.pk,
            name=token.name,
            scopes=list(token.scopes),
            expires_at=token.expires_at,  # type: ignore[arg-type]  # set on creation
            token=created.secret,
        ),
    )


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    auth=django_auth,
    summary="Återkalla en av dina API-nycklar (bara i inloggad webbläsare)",
)
def revoke_token(
    request: HttpRequest, token_id: Annotated[int, Path(ge=1, le=2**53)]
) -> Status[None]:
    if not api_token_revoke(user=request.user, token_id=token_id):  # type: ignore[arg-type]
        raise Http404(_("There is no such valid token."))
    return Status(204, None)
