"""Settings for production: PostgreSQL from LIKVARD_DATABASE_URL, secure cookies."""

from likvard.settings.base import *  # noqa: F403

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
CACHES = {
    **CACHES,  # noqa: F405  # base.py's ``answers``
    # Django's default of 300 entries would cull the gate's decisions and the kept pages a
    # warm-up wrote (a warmed demo keeps about 1,400): the sweep after each warm-up, not the
    # cull, decides what goes (likvard.warehouse.retention).
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "likvard_cache",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
}
# Behind the reverse proxy that terminates TLS (deploy/nginx.conf.example sets the header):
# without it Django sees http and refuses the https Origin of every form post.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The pseudonym key lives apart from the data it protects and is never created here (ADR 0004).
LIKVARD_PSEUDONYM_KEY_CREATE = False
LIKVARD_PSEUDONYM_KEY_OUTSIDE_DATA = True
