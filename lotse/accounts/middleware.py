"""Sends people who need a second factor to enter (or first set up) their code before anything else."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from lotse.accounts import twofactor

# Reachable before the second factor: entering or setting up the code (never removing it), logging out, the
# language switch, static files.
NO_DEVICE = "_lotse_no_second_factor_device"
OPEN_PATHS = ("/accounts/two-factor/", "/accounts/two-factor/setup/")
OPEN_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/healthz", "/readyz")


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
            and request.path not in OPEN_PATHS
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            # Whether a device exists is remembered for the session (it is set up in this session's own pages);
            # whether the role demands one is asked on every request, from the roles every permission check
            # reads anyway: someone made coordinator during a session is asked at their next click.
            has_device = not request.session.get(NO_DEVICE) and twofactor.has_device(user)
            if not has_device:
                request.session[NO_DEVICE] = True
            if has_device or (settings.REQUIRE_SECOND_FACTOR and twofactor.required_for(user)):
                target = reverse("accounts:two_factor" if has_device else "accounts:two_factor_setup")
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
