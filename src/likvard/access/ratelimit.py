"""Login rate limiting: failed attempts per username and per client address, in the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{digest}", f"login-fail:addr:{address}"]


def login_blocked(*, username: str, address: str) -> bool:
    """True when the username or the address has too many recent failed logins."""
    limit = int(settings.LOGIN_RATE_LIMIT)
    return any(int(cache.get(key, 0)) >= limit for key in _keys(username, address))


def login_failed(*, username: str, address: str) -> None:
    """Count one failed login for the username and the address."""
    window = int(settings.LOGIN_RATE_WINDOW)
    for key in _keys(username, address):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def login_succeeded(*, username: str, address: str) -> None:
    """Forget the username's failed logins after a successful one."""
    cache.delete(_keys(username, address)[0])
