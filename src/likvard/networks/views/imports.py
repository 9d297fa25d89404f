"""Importing old notes on the web: upload, review the parsed structure beside the text, commit."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from likvard.access.interface import signed_in_user
from likvard.access.policy import NetworkAction, network_require, viewer_for
from likvard.networks.forms import NotesReviewForm, NotesUploadForm
from likvard.networks.models import Network, NotesUpload, ReadingStatus
from likvard.networks.selectors import networks_importable, writer_standing
from likvard.networks.services.imports import (
    NotesImportError,
    NotesPreview,
    notes_commit,
    notes_upload,
    notes_upload_get,
    upload_preview,
)

SUFFIXES = {".txt", ".md", ".docx", ".pdf"}


@require_http_methods(["GET", "POST"])
@login_required
def notes_import(request: HttpRequest) -> HttpResponse:
    """Upload an old notes file (secretaries)."""
    viewer = viewer_for(request.user)
    network_require(viewer, NetworkAction.IMPORT_NOTES, standing=writer_standing(viewer=viewer))
    form = NotesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        suffix = Path(uploaded.name).suffix.lower()
        if suffix not in SUFFIXES:
            form.add_error("file", _("Upload a TXT, DOCX or PDF file."))
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"notes{suffix}"
                path.write_bytes(uploaded.read())
                try:
                    upload = notes_upload(
                        path=path, file_name=uploaded.name, by=signed_in_user(request)
                    )
                except NotesImportError as error:  # refused: a bomb, a spoofed or broken file
                    form.add_error("file", str(error))
                    upload = None
            if upload is not None:
                return redirect("networks:notes-review", pk=upload.pk)
    return render(
        request,
        "networks/notes_upload.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def notes_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The parsed structure beside the text; the secretary corrects, re-reads, commits."""
    viewer = viewer_for(request.user)
    upload = _upload_for(request, pk)
    if upload.status != ReadingStatus.DONE:  # a scan being read by OCR, or refused
        return render(request, "networks/notes_reading.html", {"upload": upload})
    choices = networks_importable(viewer=viewer)
    form = NotesReviewForm(request.POST or None, initial={"text": upload.text})
    form.fields["network"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
        pk__in=[n.pk for n in choices]
    )
    text = form.cleaned_data["text"] if form.is_bound and form.is_valid() else None
    preview = upload_preview(upload=upload, text=text)
    if not form.is_bound:
        found = (preview.parsed.network or "").casefold()
        named = [n for n in choices if n.name.casefold() == found]
        form.initial["network"] = named[0].code if named else None
    if request.method == "POST" and form.is_valid() and "commit" in request.POST:
        return _commit(request, form, preview)
    return render(
        request,
        "networks/notes_review.html",
        {"form": form, "upload": upload, "preview": preview},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@login_required
def notes_reading(request: HttpRequest, pk: int) -> HttpResponse:
    """A scan's reading progress, polled by htmx; reloads the page once it is read."""
    upload = _upload_for(request, pk)
    response = render(request, "networks/_notes_reading.html", {"upload": upload})
    if request.headers.get("HX-Request") == "true" and not upload.active:
        response["HX-Refresh"] = "true"
    return response


def _upload_for(request: HttpRequest, pk: int) -> NotesUpload:
    """The signed-in user's own upload ``pk`` (404 for anyone else's: not even its existence
    is shown)."""
    upload = notes_upload_get(upload_id=pk, user=signed_in_user(request))
    if upload is None:
        raise Http404(_("There is no such upload."))
    return upload


def _commit(request: HttpRequest, form: NotesReviewForm, preview: NotesPreview) -> HttpResponse:
    network = form.cleaned_data["network"]
    if network is None:
        form.add_error("network", _("Choose the network the notes belong to."))
        return render(
            request, "networks/notes_review.html", {"form": form, "preview": preview}, status=400
        )
    try:
        outcome = notes_commit(preview=preview, by=signed_in_user(request), network=network)
    except NotesImportError as error:
        form.add_error("network", str(error))
        return render(
            request, "networks/notes_review.html", {"form": form, "preview": preview}, status=400
        )
    if not outcome.created:
        messages.info(request, _("These notes were imported before; nothing changed."))
    return redirect("networks:meeting-detail", pk=outcome.meeting.pk)
