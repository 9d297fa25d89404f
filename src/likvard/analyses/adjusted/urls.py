"""URLs of the adjusted-results pages (included in the ``analyses`` namespace)."""

from django.urls import path

from likvard.analyses.adjusted import views
from likvard.analyses.adjusted.services import Stage

PREFIX = "justerade-resultat/"
STAGES = (
    ("arskurs-9", Stage.YEAR9, "year9"),
    ("gymnasieskola", Stage.UPPER_SECONDARY, "upper-secondary"),
)

urlpatterns = [
    route
    for segment, stage, name in STAGES
    for route in (
        path(
            f"{PREFIX}{segment}/region/<str:code>/",
            views.region,
            {"stage": stage.value},
            name=f"adjusted-{name}-region",
        ),
        path(
            f"{PREFIX}{segment}/huvudman/<str:organisation_number>/",
            views.organizer,
            {"stage": stage.value},
            name=f"adjusted-{name}-organizer",
        ),
        path(
            f"{PREFIX}{segment}/skolenhet/<str:code>/",
            views.school,
            {"stage": stage.value},
            name=f"adjusted-{name}-school",
        ),
    )
]
