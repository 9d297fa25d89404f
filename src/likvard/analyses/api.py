"""The analyses' JSON API: one Ninja router per analysis, mounted at ``/api/v1/analyses/``."""

from ninja import Router

from likvard.analyses.equity.api import router as equity_router

router = Router(tags=["analyses"])
router.add_router("/equity/", equity_router)
