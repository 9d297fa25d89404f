"""Names called by their dotted path (Django settings and URLconfs, the sandbox of
likvard_core.untrusted), which vulture cannot see.

Read by vulture only (``[tool.vulture]`` in pyproject.toml); never imported.
"""

from likvard.web import context, views
from likvard_core.notes.documents import read_document
from likvard_core.notes.extract import extract_unlimited

USED_BY_DJANGO: tuple[object, ...] = (
    context.navigation,  # TEMPLATES context_processors
    views.csrf_failure,  # CSRF_FAILURE_VIEW
    views.bad_request, views.permission_denied, views.page_not_found, views.server_error,
    read_document, extract_unlimited,  # run_limited("module:function")
)  # fmt: skip
