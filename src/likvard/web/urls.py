from django.urls import path

from likvard.web import about, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/logga-in/", views.SignInView.as_view(), name="login"),
    path("konto/logga-ut/", views.sign_out, name="logout"),
    path("regioner/", views.region_list, name="region-list"),
    path("regioner/<slug:code>/", views.region_detail, name="region-detail"),
    path("kommuner/<str:code>/", views.municipality_detail, name="municipality-detail"),
    path("huvudman/<str:organisation_number>/", views.organizer_detail, name="organizer-detail"),
    path("skolenheter/<str:code>/", views.school_unit_detail, name="school-unit-detail"),
    path("granskningslogg/", views.audit_list, name="audit-list"),
    path("tillganglighet/", about.accessibility, name="accessibility"),
    path("personuppgifter/", about.privacy, name="privacy"),
]
