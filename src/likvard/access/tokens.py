"""Personal API tokens: created once with scopes and an expiry, stored as a hash, checked on each
API request, listed and revoked by their owner."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from likvard.access.models import ApiToken, TokenScope

logger = logging.getLogger(__name__)

TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365
# At most this many live tokens per person: enough for every script, not a store of secrets.
TOKENS_PER_USER_MAX = 20


class TokenError(ValueError):
    """A token cannot be created as asked (the message is Swedish, for the page and the API)."""


@dataclass(frozen=True, slots=True)
class CreatedToken:
    """A new token: its row and the secret, which is shown this once and never again."""

    token: ApiToken
    secret: str


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """A presented token that matched: its owner and what it may do."""

    user: AbstractBaseUser
    scopes: frozenset[str]


TokenCreatedHook = Callable[[ApiToken], object]
_ON_CREATED: dict[str, TokenCreatedHook] = {}


def register_token_created(name: str, hook: TokenCreatedHook) -> None:
    """Call ``hook(token)`` after every new token (idempotent by name), from an app above this
    one that prepares what the token's first request reads: the Kolada API queues the release
    of the owner's viewer class (``likvard.opendata.tasks``). A failing hook is logged and
    never fails the token."""
    _ON_CREATED[name] = hook


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    scopes: Iterable[str] = (TokenScope.READ,),
    days: int = TOKEN_DAYS_DEFAULT,
) -> CreatedToken:
    """Create a token for ``user`` valid ``days`` days with ``scopes``; the secret is returned
    in clear this once. Raises ``TokenError`` for unknown scopes, a bad lifetime or too many
    live tokens, and Django's ``ValidationError`` for a bad name."""
    chosen = sorted(set(scopes))
    if not chosen or any(s not in TokenScope.values for s in chosen):
        raise TokenError("Välj minst en giltig behörighet för nyckeln.")
    if not 1 <= days <= TOKEN_DAYS_MAX:
        raise TokenError(f"En nyckel gäller 1–{TOKEN_DAYS_MAX} dagar.")
    secret = "lkv_" + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        if len(api_token_list(user=user)) >= TOKENS_PER_USER_MAX:
            raise TokenError(
                f"Du har redan {TOKENS_PER_USER_MAX} giltiga nycklar: återkalla någon först."
            )
        token = ApiToken(
            user_id=user.pk,
            name=name.strip(),
            key_hash=_hash(secret),
            prefix=secret[:10],
            scopes=chosen,
            expires_at=now + timedelta(days=days),
        )
        token.full_clean()
        token.save()
    for hook_name, hook in _ON_CREATED.items():
        try:
            hook(token)
        except Exception as error:  # the token is made; its first request decides instead
            logger.warning("token hook %s failed: %s", hook_name, type(error).__name__)
    return CreatedToken(token=token, secret=secret)


def api_token_list(*, user: AbstractBaseUser) -> list[ApiToken]:
    """``user``'s tokens that are neither revoked nor expired, newest first."""
    return list(
        ApiToken.objects.filter(
            user_id=user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
    )


def api_token_revoke(*, user: AbstractBaseUser, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when ``user`` has no such live token."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(
            pk=token_id, user_id=user.pk, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    return updated == 1


def api_token_check(*, token: str) -> TokenCheck | None:
    """The active user and scopes of a live token, or ``None`` (unknown, revoked, expired)."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return TokenCheck(user=found.user, scopes=frozenset(found.scopes))
