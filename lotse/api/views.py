"""Managing one's own API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.api import services
from lotse.api.forms import TokenForm
from lotse.api.models import ApiToken


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = services.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            valid_days=form.cleaned_data["valid_days"],
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user_id=int(request.user.pk or 0))
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens,
            "schema_url": reverse("api-v1:openapi-json"),
            "docs_url": reverse("api-v1:openapi-view"),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token)
    messages.success(request, _("Der API-Zugang „%(name)s“ wurde widerrufen.") % {"name": token.name})
    return redirect("api:tokens")
