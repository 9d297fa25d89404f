"""Settings for `make demo` and local development."""

from likvard.settings.base import *  # noqa: F403
