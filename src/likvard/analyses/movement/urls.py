"""URLs of the movement pages (namespace ``movement``)."""

from django.urls import path

from likvard.analyses.movement import views

app_name = "movement"
PREFIX = "elevstrommar/"

urlpatterns = [
    path(PREFIX, views.index, name="index"),
    path(f"{PREFIX}region/<str:code>/", views.region, name="region"),
    path(f"{PREFIX}region/<str:code>/antagning/", views.admissions, name="admissions"),
    path(f"{PREFIX}kommun/<str:code>/", views.municipality, name="municipality"),
]
