"""URLs of the komvux pages."""

from django.urls import path

from likvard.analyses.komvux import views

app_name = "komvux"

urlpatterns = [
    path("komvux/", views.index, name="index"),
    path("komvux/region/<str:code>/", views.region, name="region"),
    path("komvux/huvudman/<str:organisation_number>/", views.organizer, name="organizer"),
]
