"""URLs of the quality pages (namespace ``quality``), in Swedish under ``kvalitet/``."""

from django.urls import path

from likvard.quality.views import basis, catalogue, work

app_name = "quality"

PREFIX = "kvalitet/"

urlpatterns = [
    path(PREFIX, work.index, name="index"),
    path(f"{PREFIX}katalog/", catalogue.catalogue, name="catalogue"),
    path(f"{PREFIX}katalog/ladda-upp/", catalogue.catalogue_upload, name="catalogue-upload"),
    path(
        f"{PREFIX}katalog/lokal-indikator/",
        catalogue.local_indicator_create_view,
        name="local-indicator-create",
    ),
    path(
        f"{PREFIX}katalog/skolform/<str:school_form>/",
        catalogue.catalogue_school_form,
        name="catalogue-school-form",
    ),
    path(
        f"{PREFIX}katalog/framgangsfaktor/<str:code>/",
        catalogue.success_factor_detail,
        name="success-factor-detail",
    ),
    path(
        f"{PREFIX}katalog/indikator/<str:code>/",
        catalogue.indicator_detail,
        name="indicator-detail",
    ),
    path(
        f"{PREFIX}katalog/indikator/<str:code>/varden/",
        catalogue.local_values,
        name="local-values",
    ),
    path(
        f"{PREFIX}katalog/indikator/<str:code>/redigera/",
        catalogue.indicator_edit,
        name="indicator-edit",
    ),
    path(
        f"{PREFIX}huvudman/<str:organisation_number>/sjalvvardering/",
        work.self_evaluation,
        name="self-evaluation",
    ),
    path(
        f"{PREFIX}huvudman/<str:organisation_number>/sjalvvardering/<int:year>/",
        work.self_evaluation_organizer_edit,
        name="self-evaluation-organizer-edit",
    ),
    path(
        f"{PREFIX}skolenhet/<str:code>/sjalvvardering/<int:year>/",
        work.self_evaluation_unit_edit,
        name="self-evaluation-unit-edit",
    ),
    path(
        f"{PREFIX}huvudman/<str:organisation_number>/kvalitetsdialoger/",
        work.dialogue_list,
        name="dialogue-list",
    ),
    path(
        f"{PREFIX}huvudman/<str:organisation_number>/kvalitetsdialoger/ny/",
        work.dialogue_create,
        name="dialogue-create",
    ),
    path(f"{PREFIX}kvalitetsdialog/<int:pk>/", work.dialogue_detail, name="dialogue-detail"),
    path(f"{PREFIX}kvalitetsdialog/<int:pk>/redigera/", work.dialogue_edit, name="dialogue-edit"),
    path(f"{PREFIX}atgard/<int:pk>/status/", work.action_status, name="action-status"),
    path(
        f"{PREFIX}analysunderlag/huvudman/<str:organisation_number>/",
        basis.organizer_basis,
        name="basis-organizer",
    ),
    path(
        f"{PREFIX}analysunderlag/huvudman/<str:organisation_number>/egen-analys/",
        basis.own_analysis_save,
        name="basis-analysis-save",
    ),
    path(
        f"{PREFIX}analysunderlag/huvudman/<str:organisation_number>/<str:fmt>/",
        basis.organizer_basis_download,
        name="basis-organizer-download",
    ),
    path(
        f"{PREFIX}analysunderlag/skolenhet/<str:code>/",
        basis.school_unit_basis,
        name="basis-school-unit",
    ),
    path(
        f"{PREFIX}analysunderlag/skolenhet/<str:code>/<str:fmt>/",
        basis.school_unit_basis_download,
        name="basis-school-unit-download",
    ),
    path(
        f"{PREFIX}analysunderlag/region/<str:code>/",
        basis.region_basis,
        name="basis-region",
    ),
    path(
        f"{PREFIX}analysunderlag/region/<str:code>/<str:fmt>/",
        basis.region_basis_download,
        name="basis-region-download",
    ),
]
