"""Personal API tokens: created once, stored as a hash, checked on each API request."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from likvard.access.models import ApiToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str) -> str:
    """Create a token for ``user`` and return it in clear: the only time it is shown."""
    token = "lkv_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user_id=user.pk, name=name, key_hash=_hash(token))
    return token


def api_token_user(*, token: str) -> AbstractBaseUser | None:
    """The active user a token belongs to, or ``None``."""
    found = ApiToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
