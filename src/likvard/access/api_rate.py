"""The JSON API's request rate limit, counted in the database every process shares.

Each request to the API counts once against its caller (the bearer token, or the signed-in
user) and once against its client address, in fixed windows of ``LIKVARD_API_RATE_WINDOW``
seconds kept in ``likvard.access.counters`` (the database: every gunicorn worker and every
server behind the same database sees the same counts). A caller past ``LIKVARD_API_RATE_LIMIT``
requests in a window, or an address past ``LIKVARD_API_RATE_LIMIT_ADDRESS``, gets 429 with
``Retry-After`` (the seconds until the window ends) and the API's JSON error shape; refused
requests are not counted. Requests without a token or session count against their address
only, before authentication, so a flood of bad tokens is held back as well.

Every request let through is counted, and the check is the count: one conditional ``UPDATE``
per key in one transaction (``counters.claim_events``), so processes answering the same caller
at the same moment never let more than the limit through. A limit of 0 switches that count off.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from likvard.access import counters

MESSAGE = "För många förfrågningar: vänta {seconds} sekunder och försök igen."


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def api_request_wait(*, caller: str | None, address: str, now: float | None = None) -> int:
    """Count one API request; the seconds it must wait instead (0: answer it now).

    ``caller`` names the token or user (None: anonymous), ``address`` the client address.
    """
    window = max(int(settings.LIKVARD_API_RATE_WINDOW), 1)
    moment = time.time() if now is None else now
    slot = int(moment // window)
    limits: dict[str, int] = {}
    if caller and settings.LIKVARD_API_RATE_LIMIT:
        limits[f"api-rate:caller:{_digest(caller)}:{slot}"] = int(settings.LIKVARD_API_RATE_LIMIT)
    if settings.LIKVARD_API_RATE_LIMIT_ADDRESS:
        limit = int(settings.LIKVARD_API_RATE_LIMIT_ADDRESS)
        limits[f"api-rate:address:{_digest(address)}:{slot}"] = limit
    if not limits:
        return 0
    # a window's key lasts until the window ends
    if not counters.claim_events(limits, now=moment, window=(slot + 1) * window - moment + 1):
        return max(math.ceil((slot + 1) * window - moment), 1)
    counters.forget_over(now=moment)
    return 0


def _caller(request: HttpRequest) -> str | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + token.strip()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


class ApiRateLimitMiddleware:
    """Answer 429 to API requests past their caller's or address's limit (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefixes = tuple(settings.LIKVARD_API_RATE_PATHS)
        if prefixes and request.path.startswith(prefixes):
            address = str(request.META.get("REMOTE_ADDR", "-"))
            wait = api_request_wait(caller=_caller(request), address=address)
            if wait:
                body = {
                    "error": {"code": "too_many_requests", "message": MESSAGE.format(seconds=wait)}
                }
                response = JsonResponse(body, status=429)
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
