"""The suite runs on the test settings, whatever the shell exported.

The Makefile exports ``likvard.settings.dev`` for its django-admin commands and pytest-django
prefers the environment to ``pyproject.toml``; on the development settings every test user
was hashed with PBKDF2 and every import warmed its data version, which made ``make test``
two to three times slower than the same tests run by hand.
"""

from __future__ import annotations

from django.conf import settings


def test_the_suite_runs_on_the_test_settings() -> None:
    assert settings.SETTINGS_MODULE == "likvard.settings.test", (
        f"tests run on {settings.SETTINGS_MODULE}; set DJANGO_SETTINGS_MODULE="
        "likvard.settings.test (scripts/run_tests.sh does)"
    )
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.LIKVARD_WARM_AFTER_IMPORT is False
