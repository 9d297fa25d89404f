"""Settings shared by every environment."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import django_stubs_ext

from likvard.settings import env

django_stubs_ext.monkeypatch()  # generic admin and queryset classes at run time

BASE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = env.DATA_DIR
DATA_DIR.mkdir(parents=True, exist_ok=True)
SHARED_DIR = env.SHARED_DIR


def _installation_secret(name: str, explicit: str) -> str:
    """An explicit secret, or one generated once per installation and kept in DATA_DIR."""
    if explicit:
        return explicit
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _installation_secret("secret_key", env.SECRET_KEY)
# The keyed hash that replaces personnummer: one key per installation (ADR 0004), read when an
# import needs it (likvard.warehouse.keys): LIKVARD_PSEUDONYM_KEY, else the file
# LIKVARD_PSEUDONYM_KEY_FILE. Development and the demo may create their own key file in the data
# folder; production requires one outside it (settings/production.py).
LIKVARD_PSEUDONYM_KEY = env.PSEUDONYM_KEY
LIKVARD_PSEUDONYM_KEY_FILE = Path(env.PSEUDONYM_KEY_FILE or DATA_DIR / "pseudonym_key")
LIKVARD_PSEUDONYM_KEY_CREATE = True
LIKVARD_PSEUDONYM_KEY_OUTSIDE_DATA = False
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "likvard.organisations",
    "likvard.access",
    "likvard.warehouse",
    "likvard.exports",
    "likvard.analyses",
    "likvard.quality",
    "likvard.networks",
    "likvard.analyses.komvux",
    "likvard.analyses.planning",
    "likvard.analyses.movement",
    "likvard.analyses.surveys",
    "likvard.knowledge",
    "likvard.opendata",
    "likvard.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "likvard.access.api_rate.ApiRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "likvard.urls"
WSGI_APPLICATION = "likvard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "likvard.web.context.navigation",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict[str, object]:
    """A Django DATABASES entry from ``postgres://user:pass@host:port/name`` or ``sqlite:///``."""
    if not url:
        # The web server and the task worker write to the same file: wait for the lock.
        # Write-ahead logging: readers never wait for a writer, and a commit (every page's
        # audit row) appends to the log instead of syncing a rollback journal twice.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "likvard.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path) or ":memory:"}
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/"),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
        }
    raise ValueError(f"unsupported LIKVARD_DATABASE_URL scheme: {parsed.scheme}")


DATABASES = {"default": _database_from_url(env.DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Login throttling (likvard.access.ratelimit): waits that double from the fourth failure of a
# username at one address; at LOGIN_RATE_LIMIT failures locked for LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = 10
LOGIN_RATE_WINDOW = 900
# The JSON API's request rate (likvard.access.api_rate): per token or signed-in user, and per
# client address, in windows of LIKVARD_API_RATE_WINDOW seconds counted in the database
# (likvard.access.counters); past a limit 429 with Retry-After. 0 switches a count off.
LIKVARD_API_RATE_LIMIT = 600
LIKVARD_API_RATE_LIMIT_ADDRESS = 1200
LIKVARD_API_RATE_WINDOW = 60
LIKVARD_API_RATE_PATHS = ["/api/"]

# Which of CACHES keeps rendered page fragments per data version and viewer kind, and how long
# (likvard.warehouse.fragments); in production the shared database cache of production.py.
LIKVARD_FRAGMENT_CACHE = "default"
LIKVARD_FRAGMENT_CACHE_SECONDS = 24 * 3600
# The running code's version in every kept fragment's key, so a deploy within a data version
# renders anew: "" derives it once per process from the package version and a digest of the
# installed code, templates and catalogues (likvard.warehouse.fragments.render_version).
LIKVARD_RENDER_VERSION = env.env_str("LIKVARD_RENDER_VERSION", "")
# ``default``: shared by the web processes and the worker on this machine (files under the data
# folder), so what the worker's warm-up decides and renders is what pages read; production.py
# shares it between machines in the database. (The sign-in and API counters are no cache: they
# are counted in the database by likvard.access.counters, so that no count is lost.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # ``answers``: the Kolada API's released answers for viewers who know no cells, kept in
    # each web process (likvard.opendata.services.values): the same for every such viewer and
    # cheap to recompute, so neither shared nor kept across restarts.
    "answers": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "likvard-kolada-answers",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 256},
    },
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "web" / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "likvard.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# Where the warehouse keeps its Parquet files (ADR 0002).
LIKVARD_WAREHOUSE_DIR = DATA_DIR / "warehouse"
# Minimum group size for released aggregates (statistics reference, section 7).
LIKVARD_MIN_GROUP_SCHOOL_UNIT = 10
LIKVARD_MIN_GROUP_AREA = 5
# Background work (ADR 0011): tasks of Django's task framework (the django-tasks backport),
# kept in the app database and run by `likvard worker` (started by `likvard serve`).
# LIKVARD_TASKS_BACKEND=immediate runs each task inside enqueue (the test suite's default).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env.TASKS_BACKEND == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["imports", "warm", "exports", "interactive"],
    }
}
# Import jobs: a step of another live process without progress for this long counts as dead;
# uploaded files (personnummer in clear) are deleted at the latest this long after upload.
LIKVARD_IMPORT_JOB_STALE_SECONDS = 900
# Reading one import file, in a child process (likvard_core.ingest.limited): its address space
# in MB and its wall clock in seconds; an overrun refuses the file with nothing imported.
LIKVARD_IMPORT_MEMORY_MB = 2048
LIKVARD_IMPORT_SECONDS = 1800
# A finished export job's file (a region's PDF, slides, Word document) is removed this many days
# after it was rendered (likvard.warehouse.retention; the worker sweeps after each export).
LIKVARD_EXPORT_RETENTION_DAYS = 7
LIKVARD_UPLOAD_RETENTION_HOURS = 1  # a validated upload not imported within an hour goes
# Compute each new data version's kept tables right after an import commits (ADR 0007).
LIKVARD_WARM_AFTER_IMPORT = True
# How many owner classes (organizers' analysts, principals: those who see their own figures in
# full) get their newest analysis basis and their regions' analysis pages decided in each
# warm-up, most recently signed in first.
LIKVARD_WARM_OWNER_CLASSES = 50
# Who runs this installation and how to reach them: named in the accessibility statement and
# the personal-data page (LIKVARD_OPERATOR_NAME, LIKVARD_CONTACT_EMAIL).
LIKVARD_OPERATOR_NAME = env.OPERATOR_NAME
LIKVARD_CONTACT_EMAIL = env.CONTACT_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
