"""URLs of open data: the Kolada-compatible API (v3 and v2) and the open data sets."""

from django.urls import path, re_path

from likvard.opendata.views import datasets, kolada, kolada_schema

app_name = "opendata"

V = r"^kolada/(?P<version>v2|v3)/"

urlpatterns = [
    re_path(V + r"kpi/?$", kolada.kpi, name="kolada-kpi"),
    re_path(V + r"kpi/(?P<ids>[^/]+)/?$", kolada.kpi, name="kolada-kpi-ids"),
    re_path(V + r"kpi_groups/?$", kolada.kpi_groups, name="kolada-kpi-groups"),
    re_path(V + r"kpi_groups/(?P<ids>[^/]+)/?$", kolada.kpi_groups, name="kolada-kpi-groups-ids"),
    re_path(V + r"municipality/?$", kolada.municipality, name="kolada-municipality"),
    re_path(
        V + r"municipality/(?P<ids>[^/]+)/?$", kolada.municipality, name="kolada-municipality-ids"
    ),
    re_path(
        V + r"municipality_groups/?$", kolada.municipality_groups, name="kolada-municipality-groups"
    ),
    re_path(
        V + r"municipality_groups/(?P<ids>[^/]+)/?$",
        kolada.municipality_groups,
        name="kolada-municipality-groups-ids",
    ),
    re_path(V + r"ou/?$", kolada.ou, name="kolada-ou"),
    re_path(V + r"ou/(?P<ids>[^/]+)/?$", kolada.ou, name="kolada-ou-ids"),
    re_path(V + r"data/?(?P<rest>[\s\S]*)$", kolada.data, name="kolada-data"),
    re_path(V + r"oudata/?(?P<rest>[\s\S]*)$", kolada.oudata, name="kolada-oudata"),
    re_path(V + r"openapi\.json$", kolada_schema.openapi, name="kolada-openapi"),
    re_path(V + r"(?P<rest>[\s\S]*)$", kolada.not_found, name="kolada-not-found"),
    path("oppna-data/", datasets.dataset_list, name="dataset-list"),
    path("oppna-data/katalog.jsonld", datasets.catalogue, name="dataset-catalogue"),
    path(
        "oppna-data/<slug:analysis>/<int:year>.<str:fmt>",
        datasets.dataset_file,
        name="dataset-file",
    ),
    path(
        "oppna-data/<slug:analysis>/<int:year>-beskrivning.json",
        datasets.dataset_description,
        name="dataset-description",
    ),
]
