"""Answering a survey round: a public questionnaire behind a code (a class's for pupils, a
school unit's for guardians). No login; nothing identifying is stored (``surveys.rounds``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from likvard.analyses.surveys import rounds


@require_http_methods(["GET", "POST"])
def answer_start(request: HttpRequest) -> HttpResponse:
    """Enter the code a pupil's teacher gives, or a guardian gets from the school."""
    error = ""
    if request.method == "POST":
        code = str(request.POST.get("code", "")).strip().upper()
        if rounds.round_class_for_code(code=code) is not None:
            return redirect("surveys:answer-form", code=code)
        error = _("No open survey has that code. Check it against your note, or ask the school.")
    return render(
        request, "surveys/answer_start.html", {"error": error}, status=400 if error else 200
    )


@require_http_methods(["GET", "POST"])
def answer_form(request: HttpRequest, code: str) -> HttpResponse:
    """The questionnaire of the class (or guardians) with ``code``; a POST stores it
    anonymously."""
    found = rounds.round_class_for_code(code=code)
    if found is None:
        raise Http404(_("No open survey has that code."))
    round_class, version = found
    if request.method == "POST":
        try:
            rounds.answer_submit(
                code=code,
                answers={k: str(v) for k, v in request.POST.items()},
                year_group=request.POST.get("child_year_group"),
            )
        except rounds.AnswerError:
            error = _("An answer was not one of the choices.")
            return render(request, "surveys/answer_start.html", {"error": error}, status=400)
        guardians = rounds.by_guardians(version)
        return render(
            request, "surveys/answer_done.html", {"version": version, "guardians": guardians}
        )
    questions = [
        {"question": q, "scale": version.scales[q.scale], "number": n}
        for n, q in enumerate(rounds.questions_for(version, round_class), start=1)
    ]
    context = {"version": version, "round_class": round_class, "questions": questions,
               "code": code, "guardians": rounds.by_guardians(version),
               "child_year_groups": rounds.child_year_groups(version, round_class)}  # fmt: skip
    return render(request, "surveys/answer_form.html", context)
