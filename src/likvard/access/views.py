"""Pages of access: one's own personal API tokens (create, list, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from likvard.access.forms import TokenCreateForm
from likvard.access.interface import signed_in_user
from likvard.access.tokens import TokenError, api_token_create, api_token_list, api_token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's live tokens and a form for a new one; a new secret shown once."""
    user = signed_in_user(request)
    form = TokenCreateForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = api_token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    days=form.cleaned_data["days"],
                )
                form = TokenCreateForm()
            except (TokenError, DjangoValidationError) as error:
                message = error.args[0] if isinstance(error, TokenError) else error.messages[0]
                form.add_error(None, message)
        if created is None:
            status = 400
    context = {"form": form, "tokens": api_token_list(user=user), "created": created}
    response = render(request, "access/tokens.html", context, status=status)
    add_never_cache_headers(response)  # the secret must not stay in any cache
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponseRedirect:
    """Revoke one of one's own tokens at once."""
    if not api_token_revoke(user=signed_in_user(request), token_id=token_id):
        raise Http404(_("You have no such valid token."))
    messages.success(request, _("The token is revoked and no longer works."))
    return redirect("access:token-list")


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is the app's own (throttled) sign-in; a signed-in person without
    access to the admin gets a 403 rather than a loop between the two sign-in pages."""
    if request.user.is_authenticated:
        raise PermissionDenied
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    target = target or reverse("admin:index")
    return redirect(f"{reverse('web:login')}?next={target}")
