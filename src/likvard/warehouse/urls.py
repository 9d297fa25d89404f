from django.urls import path

from likvard.warehouse import views

app_name = "warehouse"

urlpatterns = [
    path(
        "huvudman/<str:organisation_number>/elever/",
        views.organizer_students,
        name="organizer-students",
    ),
    path("import/", views.import_start, name="import-start"),
    path("import/typer/<str:kind>/", views.kind_docs_page, name="kind-docs"),
    path("import/jobb/<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("import/jobb/<uuid:job_id>/forlopp/", views.job_progress, name="job-progress"),
    path("import/jobb/<uuid:job_id>/importera/", views.job_commit, name="job-commit"),
    path("import/historik/", views.import_history, name="import-history"),
    path(
        "import/batch/<uuid:batch_id>/aterkalla/",
        views.batch_withdraw_page,
        name="batch-withdraw",
    ),
    path("export/<uuid:job_id>/", views.export_detail, name="export-detail"),
    path("export/<uuid:job_id>/forlopp/", views.export_progress, name="export-progress"),
    path("export/<uuid:job_id>/fil/", views.export_download, name="export-download"),
    path("halsa/", views.health, name="health"),
    path("publicering/", views.publication_settings, name="publication-settings"),
]
