"""Thin views of the warehouse: enrolment overview, uploads, import jobs, history, publication."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from likvard.access.models import PublicationLevel
from likvard.access.policy import (
    Action,
    Viewer,
    require,
    student_data_organizers,
    viewer_for,
)
from likvard.access.publication import (
    publication_history,
    publication_level_set,
    publication_levels,
)
from likvard.organisations import selectors as organisations
from likvard.organisations.selectors import NotFoundError
from likvard.warehouse.export_jobs import export_job_file, export_job_get
from likvard.warehouse.forms import PublicationForm, UploadForm, WithdrawForm
from likvard.warehouse.health import installation_health
from likvard.warehouse.jobs import (
    JobNotReadyError,
    import_job_allowed,
    import_job_commit,
    import_job_refresh,
    import_upload,
)
from likvard.warehouse.kinds import (
    import_kinds,
    kind_help,
    kind_label,
    regional_import_regions,
)
from likvard.warehouse.models import ExportJob, ImportJob
from likvard.warehouse.reports import organizer_enrolment_report
from likvard.warehouse.selectors import (
    batch_get,
    batch_history,
    batch_may_withdraw,
    import_job_get,
    import_job_view,
)
from likvard.warehouse.services import batch_withdraw
from likvard.warehouse.uploads import SealedUploadHandler, sealed_upload_discard


@login_required
def organizer_students(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """Enrolled students of an organizer: in full for its analysts, suppressed for others."""
    viewer = viewer_for(request.user)
    require(viewer, Action.BROWSE)
    try:
        organizer = organisations.organizer_get(organisation_number=organisation_number)
    except NotFoundError as error:
        raise Http404(_("There is no organizer with that organisation number.")) from error
    report = organizer_enrolment_report(viewer=viewer, organizer=organizer)
    chosen = request.GET.get("ar", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in report.years else None
    if year is None and report.years:
        year = report.years[-1]
    rows = report.year_rows(year) if year is not None else []
    context = {"report": report, "year": year, "rows": rows}
    return render(request, "warehouse/organizer_students.html", context)


@csrf_exempt  # the CSRF check runs in _import_start, after the upload handler is set
@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose the kind of file and upload it; validation starts in the background.

    The file is sealed as it arrives (``SealedUploadHandler``): never written in clear.
    """
    request.upload_handlers = [SealedUploadHandler(request)]
    return _import_start(request)


@csrf_protect
def _import_start(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    kinds = import_kinds(viewer=viewer)
    if not kinds:
        raise PermissionDenied(Action.IMPORT_STUDENT_DATA.value)
    owned = [
        organisations.organizer_get(organisation_number=code)
        for code in sorted(student_data_organizers(viewer))
    ]
    organizers = [(o.organisation_number, o.name) for o in owned]
    has_student = any(k.student_level for k in kinds)
    regions = [(r.code, r.name) for r in regional_import_regions(viewer)]
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        organizers=organizers if has_student else [],
        regions=regions if has_student else [],
    )
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data.get("organizer")
        region = form.cleaned_data.get("region")
        job = import_upload(
            viewer=viewer,
            by=request.user,  # type: ignore[arg-type]  # login_required: a real user
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            organizer=organisations.organizer_get(organisation_number=code) if code else None,
            region=organisations.region_get(code=region) if region else None,
        )
        return redirect("warehouse:job-detail", job_id=job.pk)
    for upload in request.FILES.values() if request.method == "POST" else []:
        sealed_upload_discard(upload)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "warehouse/import_start.html", {"form": form, "kinds": kinds}, status=status
    )


def _job_for(request: HttpRequest, job_id: uuid.UUID) -> tuple[Viewer, ImportJob]:
    viewer = viewer_for(request.user)
    if not import_kinds(viewer=viewer):
        raise PermissionDenied(Action.IMPORT_STUDENT_DATA.value)
    job = import_job_get(job_id=job_id)
    if job is None or not import_job_allowed(viewer, job):
        raise Http404(_("There is no such import."))
    return viewer, import_job_refresh(job=job)


@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """One upload: preview, progress, validation report, commit button, result."""
    _viewer, job = _job_for(request, job_id)
    return render(request, "warehouse/import_job.html", {"page": import_job_view(job=job)})


@login_required
def job_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The progress fragment, polled by htmx; tells htmx to reload the page once finished."""
    _viewer, job = _job_for(request, job_id)
    response = render(request, "warehouse/_job_progress.html", {"job": job})
    if request.headers.get("HX-Request") == "true" and not job.active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_commit(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Import a validated upload (in the background) and show its page."""
    _viewer, job = _job_for(request, job_id)
    try:
        import_job_commit(job=job)
    except JobNotReadyError:
        messages.error(request, _("This file cannot be imported: it has not passed validation."))
    return redirect("warehouse:job-detail", job_id=job_id)


@login_required
def kind_docs_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The column documentation of one import kind."""
    require(viewer_for(request.user), Action.BROWSE)
    help_ = kind_help(kind)
    if help_ is None:
        raise Http404(_("There is no such kind of file."))
    return render(request, "warehouse/kind_docs.html", {"help": help_})


@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    """Import batches: all for administrators, their own organizers' for organizer analysts."""
    viewer = viewer_for(request.user)
    if not import_kinds(viewer=viewer):
        raise PermissionDenied(Action.IMPORT_PUBLIC_DATA.value)
    batches = [
        (b, batch_may_withdraw(viewer, b), kind_label(b.kind),
         [(kind_label(table), n) for table, n in b.rows.items()])
        for b in batch_history(viewer=viewer)
    ]  # fmt: skip
    return render(request, "warehouse/import_history.html", {"batches": batches})


@login_required
@require_http_methods(["GET", "POST"])
def batch_withdraw_page(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    """Confirm, then withdraw a batch: its rows disappear from analyses in a new data version."""
    viewer = viewer_for(request.user)
    if not import_kinds(viewer=viewer):
        raise PermissionDenied(Action.IMPORT_PUBLIC_DATA.value)
    batch = batch_get(batch_id=batch_id)
    if batch is None or not batch_may_withdraw(viewer, batch):
        raise Http404(_("There is no such import."))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = batch_withdraw(batch=batch, by=request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            _("The batch %(file)s is withdrawn; data version %(version)s no longer has it.")
            % {"file": batch.file_name, "version": version.label},
        )
        return redirect("warehouse:import-history")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "warehouse/batch_withdraw.html", {"batch": batch, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_settings(request: HttpRequest) -> HttpResponse:
    """Withdraw or republish a whole publication level (administrators); every change logged."""
    viewer = viewer_for(request.user)
    require(viewer, Action.MANAGE_REFERENCE)
    form = PublicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = publication_level_set(
            viewer=viewer,
            level=PublicationLevel(form.cleaned_data["level"]),
            withdrawn=form.cleaned_data["withdrawn"],
            reason=form.cleaned_data["reason"],
        )
        if change is None:
            messages.info(request, _("The setting was already so; nothing changed."))
        else:
            messages.success(request, _("The publication setting is changed and logged."))
        return redirect("warehouse:publication-settings")
    context = {
        "form": form,
        "levels": publication_levels(),
        "history": publication_history(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "warehouse/publication.html", context, status=status)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The installation's health as JSON: 200 when it can serve pages, else 503 (no sign-in)."""
    state = installation_health()
    return JsonResponse(state.as_json(), status=200 if state.ok else 503)


def _export_for(request: HttpRequest, job_id: uuid.UUID) -> ExportJob:
    job = export_job_get(job_id=job_id, user=request.user)  # type: ignore[arg-type]
    if job is None:  # someone else's export, or none: not even its existence is shown
        raise Http404(_("There is no such export."))
    return job


@require_GET
@login_required
def export_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """An export being rendered by the worker; the file once it is ready."""
    return render(request, "warehouse/export_job.html", {"job": _export_for(request, job_id)})


@require_GET
@login_required
def export_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The export's progress fragment, polled by htmx; reloads the page once finished."""
    job = _export_for(request, job_id)
    response = render(request, "warehouse/_export_progress.html", {"job": job})
    if request.headers.get("HX-Request") == "true" and not job.active:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@login_required
def export_download(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    """The rendered file of a finished export (to the person who asked for it)."""
    job = _export_for(request, job_id)
    path = export_job_file(job)
    if path is None:
        raise Http404(_("The file is not ready."))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type=job.content_type
    )
