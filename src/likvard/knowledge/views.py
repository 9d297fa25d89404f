"""Thin views of the knowledge bank: browse and search (public items without signing in),
an item, writing items and files, reviews, a meeting's file into the bank, topics, import."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm, BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from likvard.access.interface import signed_in_user
from likvard.access.policy import (
    KnowledgeAction,
    KnowledgeStanding,
    Viewer,
    knowledge_allowed,
    viewer_for,
)
from likvard.knowledge import selectors
from likvard.knowledge.forms import (
    FileForm,
    ImportForm,
    ItemForm,
    ReviewForm,
    SearchForm,
    TopicForm,
)
from likvard.knowledge.models import Analysis, Item, ItemFile
from likvard.knowledge.selectors import NotFoundError, Scope, may, viewer_scope
from likvard.knowledge.services.imports import ImportRejectedError, items_import
from likvard.knowledge.services.items import (
    ItemData,
    NewFile,
    attachment_defaults,
    default_review_date,
    item_create,
    item_file_add,
    item_from_attachment,
    item_review,
    item_update,
    topic_add,
)
from likvard.knowledge.services.search import Filters, knowledge_search, tag_choices
from likvard.networks.selectors import NotFoundError as AttachmentNotFoundError
from likvard.networks.selectors import attachment_get
from likvard.networks.services.previews import MAX_ATTACHMENT_BYTES, AttachmentError
from likvard.networks.views.attachments import CONTENT_TYPES
from likvard.quality.forms import SCHOOL_FORM_LABELS
from likvard.warehouse.fragments import render_version


def _item(viewer: Viewer, pk: int) -> Item:
    try:
        return selectors.item_get(viewer=viewer, pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such item in the knowledge bank.")) from error


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The bank: search with Swedish stemming, filters by kind and tag, matches highlighted."""
    viewer = viewer_for(request.user)
    scope = viewer_scope(viewer=viewer)
    form = SearchForm(request.GET or None, tags=tag_choices())
    hits = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        filters = Filters(kind=data.get("kind", ""), tag=data.get("tag", ""))
        hits = knowledge_search(
            viewer=viewer, query=data.get("q", ""), filters=filters, scope=scope
        )
    context = {
        "form": form,
        "fields": _kept_fields("search", [form], lambda: str(form.as_div())),
        "hits": hits,
        "searched": form.is_bound,
        "may_edit": scope.is_editor,
        "may_manage_topics": bool(scope.editor_regions),
    }
    return render(
        request, "knowledge/index.html", context, status=200 if hits or not form.errors else 400
    )


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: what it is, its files and links, its tags, where it was presented, its history
    (404 for anyone who may not read it, signed in or not)."""
    viewer = viewer_for(request.user)
    item = _item(viewer, pk)
    scope = viewer_scope(viewer=viewer)
    may_edit = may(viewer, scope, KnowledgeAction.EDIT, item)
    context = {
        "item": item,
        "may_edit": may_edit,
        "may_review": may_edit or (viewer.user_id is not None and viewer.user_id == item.owner_id),
        "review_form": ReviewForm(),
        "presented": list(item.presented_at.all()),
        "supersedes": [
            i for i in item.supersedes.all() if may(viewer, scope, KnowledgeAction.READ, i)
        ],
        "successor": item.superseded_by
        if item.superseded_by and may(viewer, scope, KnowledgeAction.READ, item.superseded_by)
        else None,
        "revisions": list(item.revisions.all()[:20]) if viewer.is_authenticated else [],
        "school_forms": [str(SCHOOL_FORM_LABELS.get(c, c)) for c in item.school_forms],
        "analyses": [str(Analysis(a).label) for a in item.analyses if a in Analysis.values],
    }
    return render(request, "knowledge/item_detail.html", context)


def _form(
    request: HttpRequest,
    scope: Scope,
    viewer: Viewer,
    instance: Item | None,
    initial: dict[str, Any] | None = None,
) -> ItemForm:
    regions = selectors.editable_regions(scope=scope)
    others = [
        i
        for i in selectors.readable_items(viewer=viewer, scope=scope)
        if instance is None or i.pk != instance.pk
    ]
    return ItemForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        regions=regions,
        networks=selectors.editable_networks(scope=scope),
        topics=selectors.topics_for(region_ids={r.pk for r in regions}),
        others=others,
    )


def _fields_html(form: ItemForm, file_form: FileForm | None) -> SafeString:
    """The item form's fields (and the file's) as rendered (``_kept_fields``): rendering two
    dozen fields with their hundreds of options took 50-70 ms of CPU a request (issue #16)."""

    def render() -> str:
        after = str(file_form.as_div()) if file_form is not None else ""
        return f"{form.as_div()}\n  {after}"

    return _kept_fields("item", [f for f in (form, file_form) if f is not None], render)


def _kept_fields(name: str, shown: Sequence[BaseForm], render: Callable[[], str]) -> SafeString:
    """What ``render()`` gives for the forms ``shown``: kept while they are unbound, per
    everything their fields show (each field's value, choices, label, help and attributes),
    the language and the code's version. A bound form, with its errors, is rendered every
    time."""
    if any(f.is_bound for f in shown):
        return mark_safe(render())  # noqa: S308 (Django's own rendering)
    state = repr([[_field_state(f[field]) for field in f.fields] for f in shown])
    text = json.dumps([name, state, get_language(), render_version()])
    key = "knowledge.fields:" + hashlib.sha256(text.encode()).hexdigest()
    cache = caches[settings.LIKVARD_FRAGMENT_CACHE]
    html = cache.get(key)
    if not isinstance(html, str):
        html = render()
        cache.set(key, html, timeout=settings.LIKVARD_FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (Django's own rendering, kept)


def _field_state(field: BoundField) -> tuple[object, ...]:
    """What an unbound field renders from: its name, value, choices, label and widget."""
    inner = field.field
    choices = getattr(inner, "choices", None)
    listed = [(str(value), str(label)) for value, label in choices] if choices else None
    return (field.name, repr(field.value()), listed, str(inner.label), str(inner.help_text),
            inner.required, inner.disabled, repr(inner.widget.attrs))  # fmt: skip


def _data(form: ItemForm) -> ItemData:
    data = form.cleaned_data
    many = {name: list(data[name]) for name in ("success_factors", "goals", "indicators", "topics")}
    values = {k: v for k, v in data.items() if k not in many and k != "links_text"}
    values["links"] = data["links_text"]
    return ItemData(values=values, many=many)


def _may_write(viewer: Viewer, scope: Scope, data: dict[str, Any]) -> bool:
    region, network = data["region"], data.get("network")
    probe = Item(region=region, network=network, visibility=data["visibility"])
    return may(viewer, scope, KnowledgeAction.EDIT, probe)


def _upload(request: HttpRequest, file_form: FileForm) -> list[NewFile]:
    uploaded = file_form.cleaned_data.get("file")
    if not uploaded:
        return []
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(
            _("The file is larger than %(limit)d MB.")
            % {"limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    return [NewFile(uploaded.name, uploaded.read(), file_form.cleaned_data["file_title"])]


@require_http_methods(["GET", "POST"])
@login_required
def item_create_view(request: HttpRequest) -> HttpResponse:
    """An editor adds an item with a file, links and tags."""
    viewer = viewer_for(request.user)
    scope = viewer_scope(viewer=viewer)
    if not scope.is_editor:
        raise PermissionDenied(KnowledgeAction.EDIT.value)
    form = _form(request, scope, viewer, None, {"review_on": default_review_date()})
    file_form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and file_form.is_valid():
        if not _may_write(viewer, scope, form.cleaned_data):
            raise PermissionDenied(KnowledgeAction.EDIT.value)
        try:
            item = item_create(
                data=_data(form), by=signed_in_user(request), files=_upload(request, file_form)
            )
        except AttachmentError as error:
            file_form.add_error("file", str(error))
        else:
            messages.success(request, _("The item is in the knowledge bank."))
            return redirect("knowledge:item-detail", pk=item.pk)
    context = {"form": form, "file_form": file_form, "item": None,
               "fields": _fields_html(form, file_form)}  # fmt: skip
    return render(
        request,
        "knowledge/item_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor of the owning region or network edits an item or adds a file to it."""
    viewer = viewer_for(request.user)
    item = _item(viewer, pk)
    scope = viewer_scope(viewer=viewer)
    if not may(viewer, scope, KnowledgeAction.EDIT, item):
        raise PermissionDenied(KnowledgeAction.EDIT.value)
    form = _form(request, scope, viewer, item)
    file_form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and file_form.is_valid():
        if not _may_write(viewer, scope, form.cleaned_data):
            raise PermissionDenied(KnowledgeAction.EDIT.value)
        try:
            for new in _upload(request, file_form):
                item_file_add(item=item, new=new, by=signed_in_user(request))
        except AttachmentError as error:
            file_form.add_error("file", str(error))
        else:
            item_update(item=item, data=_data(form), by=signed_in_user(request))
            messages.success(request, _("The item is saved."))
            return redirect("knowledge:item-detail", pk=item.pk)
    context = {"form": form, "file_form": file_form, "item": item,
               "fields": _fields_html(form, file_form)}  # fmt: skip
    return render(
        request,
        "knowledge/item_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def item_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner (or an editor) confirms the item is current until the next review date."""
    viewer = viewer_for(request.user)
    item = _item(viewer, pk)
    owner = viewer.user_id == item.owner_id
    if not owner and not may(viewer, viewer_scope(viewer=viewer), KnowledgeAction.EDIT, item):
        raise PermissionDenied(KnowledgeAction.EDIT.value)
    form = ReviewForm(request.POST)
    next_review = form.cleaned_data["next_review"] if form.is_valid() else None
    item_review(item=item, by=signed_in_user(request), next_review=next_review)
    messages.success(
        request,
        _("Reviewed: the item is due for review again on %(date)s.")
        % {"date": item.review_on.isoformat()},
    )
    return redirect("knowledge:item-detail", pk=item.pk)


def _file(request: HttpRequest, pk: int) -> ItemFile:
    try:
        return selectors.item_file_get(viewer=viewer_for(request.user), pk=pk)
    except NotFoundError as error:
        raise Http404(_("There is no such file.")) from error


@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    """An item's file (for whoever may read the item)."""
    stored = _file(request, pk)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=Path(stored.file.name).name,
        content_type=CONTENT_TYPES.get(stored.kind, "application/octet-stream"),  # type: ignore[call-overload]
    )


@require_GET
def file_preview(request: HttpRequest, pk: int) -> FileResponse:
    """The PNG of a file's first page or slide."""
    stored = _file(request, pk)
    if not stored.preview_image:
        raise Http404(_("This file has no picture preview."))
    return FileResponse(stored.preview_image.open("rb"), content_type="image/png")


@require_http_methods(["GET", "POST"])
@login_required
def item_from_attachment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a file presented at a meeting into the bank in one step (an editor of the network
    or its region): the form starts from the meeting, the file is copied, not uploaded again."""
    viewer = viewer_for(request.user)
    try:
        attachment = attachment_get(pk=pk)
    except AttachmentNotFoundError as error:
        raise Http404(_("There is no such attachment.")) from error
    if not attachment.is_file:
        raise Http404(_("There is no such attachment."))
    scope = viewer_scope(viewer=viewer)
    defaults = attachment_defaults(attachment=attachment)
    if not _may_write(viewer, scope, defaults):
        raise PermissionDenied(KnowledgeAction.EDIT.value)
    initial = dict(defaults.items())
    form = _form(request, scope, viewer, None, initial)
    if request.method == "POST" and form.is_valid():
        if not _may_write(viewer, scope, form.cleaned_data):
            raise PermissionDenied(KnowledgeAction.EDIT.value)
        item = item_from_attachment(
            attachment=attachment, data=_data(form), by=signed_in_user(request)
        )
        messages.success(request, _("The item is in the knowledge bank."))
        return redirect("knowledge:item-detail", pk=item.pk)
    context = {"form": form, "file_form": None, "item": None, "attachment": attachment,
               "fields": _fields_html(form, None)}  # fmt: skip
    return render(
        request,
        "knowledge/item_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """An editor imports a spreadsheet of items: every row checked first, all or nothing."""
    viewer = viewer_for(request.user)
    scope = viewer_scope(viewer=viewer)
    if not scope.is_editor:
        raise PermissionDenied(KnowledgeAction.EDIT.value)
    form = ImportForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        sheet, archive = form.cleaned_data["sheet"], form.cleaned_data["archive"]
        try:
            created = items_import(
                name=sheet.name,
                data=sheet.read(),
                files_zip=archive.read() if archive else None,
                viewer=viewer,
                by=signed_in_user(request),
            )
        except ImportRejectedError as error:
            issues = [issue.line() for issue in error.issues]
        else:
            messages.success(request, _("%(count)d items imported.") % {"count": len(created)})
            return redirect("knowledge:index")
    context = {"form": form, "issues": issues}
    return render(
        request, "knowledge/import.html", context, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def topics_view(request: HttpRequest) -> HttpResponse:
    """The region's editors keep its small list of free topics."""
    viewer = viewer_for(request.user)
    scope = viewer_scope(viewer=viewer)
    if not knowledge_allowed(
        viewer,
        KnowledgeAction.MANAGE_TOPICS,
        standing=KnowledgeStanding(region_editor=bool(scope.editor_regions)),
    ):
        raise PermissionDenied(KnowledgeAction.MANAGE_TOPICS.value)
    form = TopicForm(request.POST or None)
    form.fields["region"].queryset = selectors.topic_regions(scope=scope)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        topic_add(region=form.cleaned_data["region"], name=form.cleaned_data["name"])
        messages.success(request, _("The topic is added."))
        return redirect("knowledge:topics")
    context = {"form": form, "topics": selectors.topics_for(region_ids=set(scope.editor_regions))}
    return render(
        request, "knowledge/topics.html", context, status=400 if request.method == "POST" else 200
    )
