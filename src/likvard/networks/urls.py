from django.urls import path

from likvard.networks.views import (
    attachments,
    forwarding,
    imports,
    manage,
    meetings,
    members,
    networks,
)

app_name = "networks"

urlpatterns = [
    path("natverk/", networks.network_index, name="network-list"),
    path("natverk/nytt/", manage.network_new, name="network-create"),
    path("natverk/sok/", networks.search, name="search"),
    path("natverk/atgarder/", networks.action_items, name="action-items"),
    path("natverk/narvaro/", networks.representation, name="representation"),
    path("natverk/import/", imports.notes_import, name="notes-import"),
    path("natverk/import/<int:pk>/", imports.notes_review, name="notes-review"),
    path("natverk/import/<int:pk>/forlopp/", imports.notes_reading, name="notes-reading"),
    path("natverk/moten/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("natverk/moten/<int:pk>/narvaro/", meetings.meeting_attendance, name="meeting-attendance"),
    path("natverk/moten/<int:pk>/punkter/ny/", meetings.item_create, name="item-create"),
    path("natverk/moten/<int:pk>/justera/", meetings.meeting_check, name="meeting-check"),
    path("natverk/moten/<int:pk>/publicera/", meetings.meeting_publish, name="meeting-publish"),
    path(
        "natverk/moten/<int:pk>/anteckningar.<str:fmt>",
        meetings.meeting_export,
        name="meeting-export",
    ),
    path("natverk/punkter/<int:pk>/", meetings.item_edit, name="item-edit"),
    path("natverk/punkter/<int:pk>/analys/", meetings.item_snapshot, name="item-snapshot"),
    path(
        "natverk/punkter/<int:pk>/bilagor/ny/",
        attachments.attachment_upload,
        name="attachment-upload",
    ),
    path("natverk/bilagor/<int:pk>/", attachments.attachment_detail, name="attachment-detail"),
    path(
        "natverk/bilagor/<int:pk>/ta-bort/",
        attachments.attachment_remove_view,
        name="attachment-remove",
    ),
    path(
        "natverk/bilagor/<int:pk>/fil/", attachments.attachment_download, name="attachment-download"
    ),
    path(
        "natverk/bilagor/<int:pk>/forhandsvisning.png",
        attachments.attachment_preview,
        name="attachment-preview",
    ),
    path(
        "natverk/beslut/<int:pk>/vidarebefordra/",
        forwarding.decision_forward,
        name="decision-forward",
    ),
    path(
        "natverk/atgarder/<int:pk>/vidarebefordra/",
        forwarding.action_item_forward,
        name="action-item-forward",
    ),
    path("natverk/atgarder/<int:pk>/klar/", meetings.action_item_done, name="action-item-done"),
    path("natverk/moten/<int:pk>/dela/", meetings.meeting_share, name="meeting-share"),
    path(
        "natverk/medlemskap/<int:pk>/avsluta/",
        members.membership_end_view,
        name="membership-end",
    ),
    path("natverk/<slug:code>/", networks.network_detail, name="network-detail"),
    path("natverk/<slug:code>/narvaro/", networks.attendance_overview, name="attendance-overview"),
    path("natverk/<slug:code>/moten/nytt/", meetings.meeting_create, name="meeting-create"),
    path("natverk/<slug:code>/medlemmar/", members.members, name="members"),
    path("natverk/<slug:code>/sekreterare/", manage.secretaries, name="secretaries"),
    path("natverk/<slug:code>/inkommande/", forwarding.incoming, name="incoming"),
]
