"""Sends people who need a second factor to enter (or first set up) their code before anything else."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from lotse.accounts import twofactor

# Reachable before the second factor: the factor's own pages, logging out, the language switch, static files.
NOT_NEEDED = "_lotse_second_factor_not_needed"
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/", "/healthz", "/readyz")


def _provider_did_mfa(request: HttpRequest) -> bool:
    """Signed in through an OIDC provider that enforces its own second factor (OIDC_PROVIDER_ENFORCES_MFA)."""
    backend = request.session.get(BACKEND_SESSION_KEY, "")
    return bool(settings.OIDC_PROVIDER_ENFORCES_MFA) and backend.endswith(".ProviderBackend")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not _provider_did_mfa(request)
            and not request.session.get(NOT_NEEDED)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            has_device = twofactor.has_device(user)
            if has_device or (settings.REQUIRE_SECOND_FACTOR and twofactor.required_for(user)):
                target = reverse("accounts:two_factor" if has_device else "accounts:two_factor_setup")
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            # Decided once per session (a login starts a new one): no query on every later request.
            request.session[NOT_NEEDED] = True
        return self.get_response(request)
