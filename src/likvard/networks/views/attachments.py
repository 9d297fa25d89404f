"""Slides and documents of an agenda item: upload (secretary), preview and download (readers)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from likvard.access.interface import signed_in_user
from likvard.access.policy import NetworkAction
from likvard.networks.forms import AttachmentForm
from likvard.networks.models import Attachment, AttachmentKind
from likvard.networks.selectors import NotFoundError, attachment_get
from likvard.networks.services.attachments import attachment_add, attachment_remove
from likvard.networks.services.meetings import MeetingStateError, meeting_require_draft
from likvard.networks.services.previews import MAX_ATTACHMENT_BYTES, AttachmentError
from likvard.networks.views.access import item_for, meeting_for

CONTENT_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.PPTX: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@require_http_methods(["GET", "POST"])
@login_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach slides (PDF, PPTX) or a document (DOCX) to an item of draft minutes."""
    _viewer, item = item_for(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > MAX_ATTACHMENT_BYTES:  # refuse before reading it into memory
                raise AttachmentError(
                    _("The file is larger than %(limit)d MB.")
                    % {"limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
                )
            attachment_add(
                item=item,
                name=uploaded.name,
                data=uploaded.read(),
                by=signed_in_user(request),
                title=form.cleaned_data["title"],
            )
        except (AttachmentError, MeetingStateError) as error:
            form.add_error("file", str(error))
        else:
            return redirect(
                reverse("networks:meeting-detail", args=[item.meeting_id]) + f"#item-{item.pk}"
            )
    return render(
        request,
        "networks/attachment_form.html",
        {"form": form, "item": item, "meeting": item.meeting},
        status=400 if request.method == "POST" else 200,
    )


def _readable_attachment(request: HttpRequest, pk: int) -> Attachment:
    try:
        attachment = attachment_get(pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such attachment.")) from error
    meeting_for(request, attachment.item.meeting_id, NetworkAction.READ_MINUTES)
    return attachment


@require_GET
@login_required
def attachment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment's preview (first page or slide, or its slide titles) and its text."""
    attachment = _readable_attachment(request, pk)
    return render(
        request,
        "networks/attachment_detail.html",
        {"attachment": attachment, "meeting": attachment.item.meeting},
    )


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The attached file itself."""
    attachment = _readable_attachment(request, pk)
    if not attachment.is_file:
        raise Http404(_("Only a mention of these slides was imported; there is no file."))
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=Path(attachment.file.name).name,
        content_type=CONTENT_TYPES.get(AttachmentKind(attachment.kind), "application/octet-stream"),
    )


@require_GET
@login_required
def attachment_preview(request: HttpRequest, pk: int) -> FileResponse:
    """The PNG of the attachment's first page or slide."""
    attachment = _readable_attachment(request, pk)
    if not attachment.preview_image:
        raise Http404(_("This attachment has no picture preview."))
    return FileResponse(attachment.preview_image.open("rb"), content_type="image/png")


@require_http_methods(["GET", "POST"])
@login_required
def attachment_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove an attachment from draft minutes (the secretary; replace = remove and
    attach again)."""
    try:
        attachment = attachment_get(pk=pk)
    except NotFoundError as missing:
        raise Http404(_("There is no such attachment.")) from missing
    _viewer, item = item_for(request, attachment.item_id)
    refusal = ""
    try:
        meeting_require_draft(item.meeting)
    except MeetingStateError as state:
        refusal = str(state)
    if request.method == "POST" and not refusal:
        attachment_remove(attachment=attachment, by=signed_in_user(request))
        return redirect(
            reverse("networks:meeting-detail", args=[item.meeting_id]) + f"#item-{item.pk}"
        )
    return render(
        request,
        "networks/attachment_remove.html",
        {"attachment": attachment, "meeting": item.meeting, "error": refusal},
        status=400 if request.method == "POST" else 200,
    )
