from django.urls import path

from likvard.analyses.planning import views

app_name = "planning"

urlpatterns = [
    path("planering/", views.index, name="index"),
    path("planering/region/<slug:code>/", views.region_planning, name="region"),
    path(
        "planering/region/<slug:code>/sammanfattning.<str:fmt>",
        views.region_export,
        name="region-export",
    ),
    path("planering/region/<slug:code>/scenario/", views.scenario_add, name="scenario-add"),
    path(
        "planering/region/<slug:code>/scenario/<int:pk>/ta-bort/",
        views.scenario_remove,
        name="scenario-remove",
    ),
    path("planering/region/<slug:code>/kapacitet/ny/", views.survey_open, name="survey-open"),
    path(
        "planering/region/<slug:code>/planeringsunderlag/",
        views.basis_import,
        name="basis-import",
    ),
    path("planering/kapacitet/<int:pk>/", views.survey_detail, name="survey-detail"),
    path(
        "planering/kapacitet/<int:pk>/kommun/<str:municipality>/",
        views.response_edit,
        name="response-edit",
    ),
    path(
        "planering/kapacitet/<int:pk>/kommun/<str:municipality>/oppna/",
        views.response_reopen,
        name="response-reopen",
    ),
]
