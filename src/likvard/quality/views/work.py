"""Thin views of the quality work: self-evaluation side by side, and quality dialogues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from likvard.access.interface import signed_in_user, signed_in_viewer
from likvard.access.policy import QualityAction, quality_allowed, quality_require
from likvard.organisations.models import Organizer, SchoolUnit
from likvard.quality import selectors
from likvard.quality.forms import (
    ActionFormSet,
    ActionStatusForm,
    DialogueForm,
    YearForm,
    factor_forms,
)
from likvard.quality.models import QualityDialogue
from likvard.quality.services.basis import basis_years
from likvard.quality.services.dialogues import (
    ActionEntry,
    DialogueEntry,
    dialogue_save,
    follow_up_action_set_status,
)
from likvard.quality.services.self_evaluation import SelfEvaluationEntry, self_evaluation_save
from likvard.quality.views.access import organizer_for, school_unit_for


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The quality work's start: catalogue, and the viewer's organizers, units and regions."""
    viewer = signed_in_viewer(request)
    context = {
        "start": selectors.quality_start(viewer=viewer),
        "year": selectors.default_school_year(),
    }
    return render(request, "quality/index.html", context)


@require_GET
@login_required
def self_evaluation(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """The organizer's own and its units' answers side by side, one school year at a time."""
    viewer = signed_in_viewer(request)
    organizer = organizer_for(organisation_number)
    form = YearForm(request.GET)
    asked = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data["year"] else None
    data_years = basis_years()
    overview = selectors.self_evaluation_overview(
        viewer=viewer,
        organizer=organizer,
        school_year=int(asked) if asked else None,
        newest_data_year=data_years[0] if data_years else None,
    )
    if not overview.may_read_own and not overview.units:
        raise PermissionDenied(QualityAction.READ_SELF_EVALUATION.value)
    context = {"overview": overview, "sources": selectors.catalogue_sources()}
    return render(request, "quality/self_evaluation.html", context)


def _self_evaluation_edit(
    request: HttpRequest, organizer: Organizer, unit: SchoolUnit | None, year: int
) -> HttpResponse:
    viewer = signed_in_viewer(request)
    quality_require(
        viewer,
        QualityAction.WRITE_SELF_EVALUATION,
        organizer=organizer.organisation_number,
        school_unit=unit.code if unit else None,
    )
    saved = selectors.self_evaluation_answers(
        organizer=organizer, school_unit=unit, school_year=year
    )
    initial: dict[int, dict[str, object]] = {
        pk: {"rating": row.rating, "evidence": row.evidence, "next_steps": row.next_steps}
        for pk, row in saved.items()
    }
    forms = factor_forms(
        selectors.success_factor_list(), request.POST if request.method == "POST" else None, initial
    )
    if request.method == "POST" and all(form.is_valid() for _factor, form in forms):
        entries = [
            SelfEvaluationEntry(factor, **form.cleaned_data)
            for factor, form in forms
            if form.cleaned_data["rating"] is not None
        ]
        self_evaluation_save(
            viewer=viewer,
            by=signed_in_user(request),
            organizer=organizer,
            school_unit=unit,
            school_year=year,
            entries=entries,
        )
        messages.success(request, _("The self-evaluation has been saved."))
        url = reverse("quality:self-evaluation", args=[organizer.organisation_number])
        return redirect(f"{url}?year={year}")
    context = {
        "organizer": organizer,
        "unit": unit,
        "year": year,
        "forms": forms,
        "sources": selectors.catalogue_sources(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/self_evaluation_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def self_evaluation_organizer_edit(
    request: HttpRequest, organisation_number: str, year: int
) -> HttpResponse:
    """The organizer's own self-evaluation of a year (its organizer analysts write it)."""
    return _self_evaluation_edit(request, organizer_for(organisation_number), None, year)


@require_http_methods(["GET", "POST"])
@login_required
def self_evaluation_unit_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A school unit's self-evaluation of a year (its principal writes it)."""
    unit = school_unit_for(code)
    return _self_evaluation_edit(request, unit.organizer, unit, year)


@require_GET
@login_required
def dialogue_list(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """The organizer's quality dialogues with their follow-up actions."""
    viewer = signed_in_viewer(request)
    organizer = organizer_for(organisation_number)
    regions = selectors.organizer_regions(organizer=organizer)
    number = organizer.organisation_number
    quality_require(viewer, QualityAction.READ_DIALOGUES, organizer=number, regions=regions)
    context = {
        "organizer": organizer,
        "dialogues": selectors.dialogue_list(viewer=viewer, organizer=organizer),
        "may_write": quality_allowed(viewer, QualityAction.WRITE_DIALOGUES, organizer=number),
    }
    return render(request, "quality/dialogue_list.html", context)


def _dialogue_form(
    request: HttpRequest, organizer: Organizer, dialogue: QualityDialogue | None
) -> HttpResponse:
    viewer = signed_in_viewer(request)
    quality_require(viewer, QualityAction.WRITE_DIALOGUES, organizer=organizer.organisation_number)
    initial: dict[str, object] = {}
    actions: list[dict[str, object]] = []
    if dialogue is not None:
        initial = {
            "held_on": dialogue.held_on,
            "participants": dialogue.participants,
            "participant_users": list(dialogue.participant_users.all()),
            "indicators": list(dialogue.indicators.all()),
            "success_factors": list(dialogue.success_factors.all()),
            "development_areas": dialogue.development_areas,
            "notes": dialogue.notes,
        }
        actions = [
            {
                "description": a.description,
                "owner_name": a.owner_name,
                "due_on": a.due_on,
                "status": a.status,
            }
            for a in dialogue.actions.all()
        ]
    data = request.POST if request.method == "POST" else None
    form = DialogueForm(data, organizer=organizer, initial=initial)
    formset = ActionFormSet(data, initial=actions, prefix="actions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        entries = [
            ActionEntry(
                description=row["description"],
                owner_name=row["owner_name"],
                due_on=row["due_on"],
                status=row["status"],
            )
            for row in formset.cleaned_data
            if row.get("description")
        ]
        record = dialogue_save(
            viewer=viewer,
            by=signed_in_user(request),
            organizer=organizer,
            entry=DialogueEntry(**form.cleaned_data),
            actions=entries,
            dialogue=dialogue,
        )
        messages.success(request, _("The quality dialogue has been saved."))
        return redirect("quality:dialogue-detail", pk=record.pk)
    context = {"organizer": organizer, "dialogue": dialogue, "form": form, "formset": formset}
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/dialogue_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def dialogue_create(request: HttpRequest, organisation_number: str) -> HttpResponse:
    """Record a new quality dialogue of the organizer."""
    return _dialogue_form(request, organizer_for(organisation_number), None)


def _dialogue(pk: int) -> QualityDialogue:
    dialogue = selectors.dialogue_get(pk=pk)
    if dialogue is None:
        raise Http404(_("There is no such quality dialogue."))
    return dialogue


@require_http_methods(["GET", "POST"])
@login_required
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a quality dialogue record and its follow-up actions."""
    dialogue = _dialogue(pk)
    return _dialogue_form(request, dialogue.organizer, dialogue)


@require_GET
@login_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One quality dialogue: participants, what was discussed, agreed areas and actions."""
    viewer = signed_in_viewer(request)
    dialogue = _dialogue(pk)
    number = dialogue.organizer.organisation_number
    regions = selectors.organizer_regions(organizer=dialogue.organizer)
    quality_require(viewer, QualityAction.READ_DIALOGUES, organizer=number, regions=regions)
    context = {
        "dialogue": dialogue,
        "may_write": quality_allowed(viewer, QualityAction.WRITE_DIALOGUES, organizer=number),
        "status_form": ActionStatusForm(),
    }
    return render(request, "quality/dialogue_detail.html", context)


@require_POST
@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a follow-up action to another status (back to where the user came from)."""
    viewer = signed_in_viewer(request)
    action = selectors.follow_up_action_get(pk=pk)
    if action is None:
        raise Http404(_("There is no such follow-up action."))
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        follow_up_action_set_status(
            viewer=viewer, action=action, status=form.cleaned_data["status"]
        )
        messages.success(request, _("The status has been changed."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("quality:dialogue-detail", pk=action.dialogue_id)
