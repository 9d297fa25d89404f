"""Answering a survey round: a public questionnaire behind a class code, and the organizer's
response rates. No login for pupils; nothing identifying is stored (``surveys.rounds``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from likvard.analyses.surveys import rounds


@require_http_methods(["GET", "POST"])
def answer_start(request: HttpRequest) -> HttpResponse:
    """Enter the class code the teacher gives."""
    error = ""
    if request.method == "POST":
        code = str(request.POST.get("code", "")).strip().upper()
        if rounds.round_class_for_code(code=code) is not None:
            return redirect("surveys:answer-form", code=code)
        error = _("No open survey has that code. Check it with your teacher.")
    return render(
        request, "surveys/answer_start.html", {"error": error}, status=400 if error else 200
    )


@require_http_methods(["GET", "POST"])
def answer_form(request: HttpRequest, code: str) -> HttpResponse:
    """The questionnaire of the class with ``code``; a POST stores it anonymously."""
    found = rounds.round_class_for_code(code=code)
    if found is None:
        raise Http404(_("No open survey has that code."))
    round_class, version = found
    if request.method == "POST":
        try:
            rounds.answer_submit(code=code, answers={k: str(v) for k, v in request.POST.items()})
        except rounds.AnswerError:
            error = _("An answer was not one of the choices.")
            return render(request, "surveys/answer_start.html", {"error": error}, status=400)
        return render(request, "surveys/answer_done.html", {"version": version})
    questions = [
        {"question": q, "scale": version.scales[q.scale], "number": n}
        for n, q in enumerate(rounds.questions_for(version, round_class), start=1)
    ]
    context = {"version": version, "round_class": round_class, "questions": questions,
               "code": code}  # fmt: skip
    return render(request, "surveys/answer_form.html", context)
