"""The analyses' models: one module per analysis, gathered here for Django."""

from likvard.analyses.completion.models import WarningRuleSetting

__all__ = ["WarningRuleSetting"]
