"""Names called by their dotted path (Django settings and URLconfs, the sandbox of
likvard_core.untrusted), which vulture cannot see.

Read by vulture only (``[tool.vulture]`` in pyproject.toml); never imported.
"""

from likvard.access.api_rate import ApiRateLimitMiddleware
from likvard.warehouse.uploads import SealedUploadHandler
from likvard.web import context, views
from likvard_core.ingest.limited import ingest_limited
from likvard_core.notes.documents import read_document
from likvard_core.notes.extract import extract_unlimited

USED_BY_DJANGO: tuple[object, ...] = (
    context.navigation,  # TEMPLATES context_processors
    views.csrf_failure,  # CSRF_FAILURE_VIEW
    views.bad_request, views.permission_denied, views.page_not_found, views.server_error,
    read_document, extract_unlimited, ingest_limited,  # run_limited("module:function")
    ApiRateLimitMiddleware,  # MIDDLEWARE
    SealedUploadHandler.receive_data_chunk, SealedUploadHandler.file_complete,  # upload handler
    SealedUploadHandler.upload_interrupted,
)  # fmt: skip
