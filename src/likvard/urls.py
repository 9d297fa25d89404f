"""Root URLs: the web shell, the API and Django's admin (in Swedish)."""

from django.contrib import admin
from django.urls import include, path

from likvard.access import views as access_views
from likvard.api import api

urlpatterns = [
    # The admin signs in through the app's own throttled sign-in page.
    path("admin/login/", access_views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("likvard.warehouse.urls")),
    path("", include("likvard.networks.urls")),
    path("", include("likvard.analyses.urls")),
    path("", include("likvard.analyses.komvux.urls")),
    path("", include("likvard.analyses.planning.urls")),
    path("", include("likvard.analyses.movement.urls")),
    path("", include("likvard.analyses.surveys.urls")),
    path("", include("likvard.quality.urls")),
    path("", include("likvard.knowledge.urls")),
    path("", include("likvard.access.urls")),
    path("", include("likvard.opendata.urls")),
    path("", include("likvard.web.urls")),
]

handler400 = "likvard.web.views.bad_request"
handler403 = "likvard.web.views.permission_denied"
handler404 = "likvard.web.views.page_not_found"
handler500 = "likvard.web.views.server_error"
