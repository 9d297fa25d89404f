from django.urls import path

from likvard.warehouse import views

app_name = "warehouse"

urlpatterns = [
    path(
        "huvudman/<str:organisation_number>/elever/",
        views.organizer_students,
        name="organizer-students",
    ),
    path("import/historik/", views.import_history, name="import-history"),
]
