"""The one place that reads the environment. Every variable is named ``LIKVARD_*``."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def env_str(name: str, default: str) -> str:
    """The environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean environment variable: 1/true/yes/on are true."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env_str("LIKVARD_DATA_DIR", str(REPO_ROOT / "var")))
SECRET_KEY = env_str("LIKVARD_SECRET_KEY", "")
PSEUDONYM_KEY = env_str("LIKVARD_PSEUDONYM_KEY", "")
PSEUDONYM_KEY_FILE = env_str("LIKVARD_PSEUDONYM_KEY_FILE", "")
DATABASE_URL = env_str("LIKVARD_DATABASE_URL", "")
SHARED_DIR = Path(env_str("LIKVARD_SHARED_DIR", str(REPO_ROOT.parent / "shared")))
OPERATOR_NAME = env_str("LIKVARD_OPERATOR_NAME", "")
CONTACT_EMAIL = env_str("LIKVARD_CONTACT_EMAIL", "")
TASKS_BACKEND = env_str("LIKVARD_TASKS_BACKEND", "database")
DEBUG = env_bool("LIKVARD_DEBUG", default=False)
ALLOWED_HOSTS = [h for h in env_str("LIKVARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
