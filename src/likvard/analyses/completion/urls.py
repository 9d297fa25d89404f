"""URLs of the completion pages (included in the ``analyses`` namespace)."""

from django.urls import path

from likvard.analyses.completion import views

PREFIX = "fullfoljda-studier/"

urlpatterns = [
    path(PREFIX, views.index, name="completion-index"),
    path(f"{PREFIX}region/<str:code>/", views.region, name="completion-region"),
    path(
        f"{PREFIX}huvudman/<str:organisation_number>/",
        views.organizer,
        name="completion-organizer",
    ),
    path(
        f"{PREFIX}skolenhet/<str:code>/varningslista/",
        views.warning_list,
        name="completion-warning-list",
    ),
]
