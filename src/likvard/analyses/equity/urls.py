"""URLs of the equity pages (included in the ``analyses`` namespace)."""

from django.urls import path

from likvard.analyses.equity import views

PREFIX = "likvardig-betygssattning/"

urlpatterns = [
    path(PREFIX, views.index, name="equity-index"),
    path(
        f"{PREFIX}publicerat/region/<str:code>/",
        views.published_region,
        name="equity-published-region",
    ),
    path(
        f"{PREFIX}publicerat/kommun/<str:code>/",
        views.published_municipality,
        name="equity-published-municipality",
    ),
    path(f"{PREFIX}skolenhet/<str:code>/", views.school, name="equity-school"),
    path(
        f"{PREFIX}huvudman/<str:organisation_number>/",
        views.organizer,
        name="equity-organizer",
    ),
    path(f"{PREFIX}region/<str:code>/", views.region, name="equity-region"),
]
