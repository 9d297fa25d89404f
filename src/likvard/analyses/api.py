"""The analyses' JSON API: one Ninja router per analysis, mounted at ``/api/v1/analyses/``."""

from ninja import Router

from likvard.analyses.adjusted.api import router as adjusted_router
from likvard.analyses.completion.api import router as completion_router
from likvard.analyses.equity.api import router as equity_router
from likvard.analyses.incidents.api import router as incidents_router

router = Router(tags=["analyses"])
router.add_router("/equity/", equity_router)
router.add_router("/adjusted/", adjusted_router)
router.add_router("/completion/", completion_router)
router.add_router("/incidents/", incidents_router)
