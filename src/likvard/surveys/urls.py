"""URLs of the survey pages (namespace ``surveys``)."""

from django.urls import path

from likvard.surveys import views

app_name = "surveys"

urlpatterns = [
    path("enkater/", views.index, name="survey-index"),
    path("enkater/<str:survey>/region/<str:code>/", views.region, name="survey-region"),
]
