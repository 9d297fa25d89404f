"""Names called by their dotted path (Django settings and URLconfs, the sandbox of
likvard_core.untrusted), which vulture cannot see.

Read by vulture only (``[tool.vulture]`` in pyproject.toml); never imported.
"""

from likvard.access.apps import AccessConfig
from likvard.analyses.apps import AnalysesConfig
from likvard.knowledge.apps import KnowledgeConfig
from likvard.movement.apps import MovementConfig
from likvard.networks.apps import NetworksConfig
from likvard.opendata.apps import OpendataConfig
from likvard.organisations.apps import OrganisationsConfig
from likvard.planning.apps import PlanningConfig
from likvard.quality.apps import QualityConfig
from likvard.warehouse.apps import WarehouseConfig
from likvard.web import context, views
from likvard.web.apps import WebConfig
from likvard_core.notes.documents import read_document
from likvard_core.notes.extract import extract_unlimited

USED_BY_DJANGO: tuple[object, ...] = (
    AccessConfig, AnalysesConfig, MovementConfig, NetworksConfig, OrganisationsConfig,
    PlanningConfig, QualityConfig, WarehouseConfig, WebConfig, KnowledgeConfig, OpendataConfig,
    context.navigation,  # TEMPLATES context_processors
    views.csrf_failure,  # CSRF_FAILURE_VIEW
    views.bad_request, views.permission_denied, views.page_not_found, views.server_error,
    read_document, extract_unlimited,  # run_limited("module:function")
)  # fmt: skip
