"""Settings for production: PostgreSQL from LIKVARD_DATABASE_URL, secure cookies."""

from likvard.settings.base import *  # noqa: F403

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
CACHES = {
    **CACHES,  # noqa: F405  # the shared ``throttle`` cache of base.py
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "likvard_cache",
    },
}
