from django.urls import path

from likvard.access import views

app_name = "access"

urlpatterns = [
    path("konto/api-nycklar/", views.token_list, name="token-list"),
    path("konto/api-nycklar/<int:token_id>/aterkalla/", views.token_revoke, name="token-revoke"),
]
