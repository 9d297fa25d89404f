"""URLs of the knowledge bank (namespace ``knowledge``), in Swedish under ``kunskapsbank/``."""

from django.urls import path

from likvard.knowledge import feeds, views

app_name = "knowledge"

PREFIX = "kunskapsbank/"

urlpatterns = [
    path(PREFIX, views.index, name="index"),
    path(f"{PREFIX}ny/", views.item_create_view, name="item-create"),
    path(f"{PREFIX}import/", views.import_view, name="import"),
    path(f"{PREFIX}amnen/", views.topics_view, name="topics"),
    path(f"{PREFIX}flode.atom", feeds.PublicItemsFeed(), name="feed"),
    path(
        f"{PREFIX}fran-bilaga/<int:pk>/",
        views.item_from_attachment_view,
        name="item-from-attachment",
    ),
    path(f"{PREFIX}<int:pk>/", views.item_detail, name="item-detail"),
    path(f"{PREFIX}<int:pk>/redigera/", views.item_edit, name="item-edit"),
    path(f"{PREFIX}<int:pk>/granska/", views.item_review_view, name="item-review"),
    path(f"{PREFIX}filer/<int:pk>/", views.file_download, name="file-download"),
    path(f"{PREFIX}filer/<int:pk>/forhandsvisning.png", views.file_preview, name="file-preview"),
]
