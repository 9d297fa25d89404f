"""URLs of the incident follow-up pages (included in the ``analyses`` namespace)."""

from django.urls import path

from likvard.analyses.incidents import views

PREFIX = "krankningar/"

urlpatterns = [
    path(f"{PREFIX}region/<str:code>/", views.region, name="incidents-region"),
    path(f"{PREFIX}skolenhet/<str:code>/arenden/", views.cases, name="incidents-cases"),
]
