"""The coordinator's pages of a survey round: create one, follow its answers, add a class,
print the class codes, close it (which carries its answers to the results).

Thin views: parse, authorise (``rounds.round_get`` and the services), call one service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from likvard.access.policy import Viewer, viewer_for
from likvard.analyses.surveys import progress, rounds, services, transfer
from likvard.analyses.surveys.forms import ClassForm, RoundForm
from likvard.analyses.surveys.models import SurveyRound
from likvard.warehouse.services import ImportRejectedError


def _round_form(viewer: Viewer, data: QueryDict | None = None) -> RoundForm:
    organizers, units = rounds.round_options(viewer=viewer)
    return RoundForm(data, organizers=organizers, units=units, versions=services.survey_list())


def _progress(viewer: Viewer, pk: int) -> progress.RoundProgress:
    try:
        return progress.round_progress(viewer=viewer, round_id=pk)
    except SurveyRound.DoesNotExist as error:
        raise Http404(_("No such round.")) from error


@require_http_methods(["GET", "POST"])
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """The viewer's rounds and their region's; a form to start one (for an organizer)."""
    viewer = viewer_for(request.user)
    form = _round_form(viewer, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not viewer.organizers:
            raise PermissionDenied("surveys.round")
        if form.is_valid():
            data = form.cleaned_data
            version = form.versions[data["version"]]
            specs = rounds.class_specs(
                units=data["school_units"],
                year_groups=data["year_groups"],
                enrolled=services.enrolled_for_round(version=version),
                respondents=version.respondents,
            )
            if specs:
                created = rounds.round_create(
                    viewer=viewer,
                    organizer=data["organizer"],
                    version_key=version.key,
                    title=data["title"],
                    classes=specs,
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                )
                created_text = (
                    _("The round is created with a code per school unit for its guardians.")
                    if rounds.by_guardians(version)
                    else _("The round is created with a code per class.")
                )
                messages.success(request, created_text)
                return redirect("surveys:round-detail", pk=created.pk)
            form.add_error("year_groups", _("None of the chosen units teaches these year groups."))
    own, others = rounds.round_list(viewer=viewer)
    context = {"form": form if viewer.organizers else None, "own": own, "others": others}
    return render(request, "surveys/round_list.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's progress; HTMX asks for the progress fragment alone (every 30 s)."""
    viewer = viewer_for(request.user)
    report = _progress(viewer, pk)
    context: dict[str, object] = {"progress": report}
    if getattr(request, "htmx", False):
        return render(request, "surveys/_round_progress.html", context)
    if report.runs and report.round.is_open and not report.guardians:  # guardians: per unit
        context["class_form"] = _class_form(report.round)
    return render(request, "surveys/round_detail.html", context)


def _class_form(the_round: SurveyRound, data: QueryDict | None = None) -> ClassForm:
    version = services.survey_get(
        survey=the_round.version_key.split("/")[0], version=the_round.version_key.split("/")[1]
    )
    units = sorted({c.school_unit for c in the_round.classes.select_related("school_unit")},
                   key=lambda u: u.name)  # fmt: skip
    return ClassForm(data, units=units, year_groups=list(version.year_groups))


@require_POST
@login_required
def class_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a class with its own code; HTMX gets the progress fragment back."""
    viewer = viewer_for(request.user)
    report = _progress(viewer, pk)
    if not report.runs:
        raise PermissionDenied("surveys.round")
    form = _class_form(report.round, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        spec = rounds.ClassSpec(data["school_unit"], data["label"], data["year_group"],
                                data["invited"])  # fmt: skip
        try:
            rounds.class_add(viewer=viewer, round_id=pk, spec=spec)
        except rounds.AnswerError:
            form.add_error(None, _("The round is closed."))
    if form.errors:
        context = {"progress": report, "class_form": form}
        if getattr(request, "htmx", False):  # the form again, with its errors, in its place
            response = render(request, "surveys/_class_form.html", context)
            response["HX-Retarget"] = "#class-form"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render(request, "surveys/round_detail.html", context, status=400)
    if getattr(request, "htmx", False):
        fresh = {"progress": _progress(viewer, pk)}
        return render(request, "surveys/_round_progress.html", fresh)
    return redirect("surveys:round-detail", pk=pk)


@require_POST
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the round and carry its answers to the results (its organizer's analyst)."""
    try:
        outcome = transfer.round_close(round_id=pk, by=request.user)  # type: ignore[arg-type]
    except SurveyRound.DoesNotExist as error:
        raise Http404(_("No such round.")) from error
    except ImportRejectedError as error:
        for issue in error.issues[:5]:
            messages.error(request, issue.message_sv)
        return redirect("surveys:round-detail", pk=pk)
    if outcome.batch is None:
        messages.info(request, _("The round is closed. It had no answers to carry over."))
    else:
        messages.success(
            request,
            _("The round is closed; %(n)s answers are in the results.")
            % {"n": outcome.respondents},
        )
    return redirect("surveys:round-detail", pk=pk)


@require_GET
@login_required
def round_codes(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet: one slip per class with its code and where to answer."""
    report = _progress(viewer_for(request.user), pk)
    if not report.runs:
        raise PermissionDenied("surveys.round")
    answer_url = request.build_absolute_uri("/svara/")
    context = {"progress": report, "answer_url": answer_url}
    return render(request, "surveys/round_codes.html", context)
