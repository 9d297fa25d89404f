"""The quality system: catalogue, self-evaluation, quality dialogues, the organizer's analysis."""

from likvard.quality.models.catalogue import (
    CatalogueVersion,
    Condition,
    DataSource,
    Direction,
    Goal,
    Indicator,
    IndicatorKind,
    IndicatorRevision,
    LocalIndicatorValue,
    Status,
    SubGoal,
    SuccessFactor,
    Unit,
)
from likvard.quality.models.work import (
    ActionStatus,
    BasisAnalysis,
    FollowUpAction,
    QualityDialogue,
    Rating,
    SelfEvaluation,
)

__all__ = [
    "ActionStatus",
    "BasisAnalysis",
    "CatalogueVersion",
    "Condition",
    "DataSource",
    "Direction",
    "FollowUpAction",
    "Goal",
    "Indicator",
    "IndicatorKind",
    "IndicatorRevision",
    "LocalIndicatorValue",
    "QualityDialogue",
    "Rating",
    "SelfEvaluation",
    "Status",
    "SubGoal",
    "SuccessFactor",
    "Unit",
]
