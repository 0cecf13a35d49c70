from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from lotse.accounts import twofactor
from lotse.accounts.forms import CodeForm, ProfileForm
from lotse.accounts.services import profile_update
from lotse.core import ratelimit

# Reset e-mails per client and hour: enough for someone who mistyped, too few to flood a mailbox.
RESET_LIMIT = 5


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else settings.LOGIN_REDIRECT_URL


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(request.user, data=form.cleaned_data)
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return redirect("accounts:profile")
    user: Any = request.user
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "has_device": twofactor.has_device(user), "required": twofactor.required_for(user)},
    )


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer once an account is locked for this address: a German page, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the app. django-otp slows down repeated wrong codes per device."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["otp_token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("otp_token", _("Der Code stimmt nicht. Bitte geben Sie den aktuellen Code aus Ihrer App ein."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the app: scan the QR code (or type the key), confirm with the first code."""
    user: Any = request.user
    if twofactor.has_device(user) and not user.is_verified():
        return redirect("accounts:two_factor")
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(device, form.cleaned_data["otp_token"]):
            otp_login(request, device)
            messages.success(request, _("Die Anmeldung in zwei Schritten ist eingerichtet."))
            return redirect(_next(request))
        form.add_error("otp_token", _("Der Code stimmt nicht. Bitte geben Sie den aktuellen Code aus Ihrer App ein."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_for_typing(device),
            "next": _next(request),
            "required": twofactor.required_for(user),
        },
    )


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if twofactor.has_device(user) and not user.is_verified():
        return redirect("accounts:two_factor")  # the password alone never removes the second factor
    if settings.REQUIRE_SECOND_FACTOR and twofactor.required_for(user):
        messages.error(request, _("In Ihrer Rolle ist die Anmeldung in zwei Schritten Pflicht."))
    else:
        twofactor.remove(user)
        messages.success(request, _("Die Anmeldung in zwei Schritten ist ausgeschaltet."))
    return redirect("accounts:profile")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with a limit per client: each request sends an e-mail to someone."""

    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if limited := ratelimit.refused(request, "accounts.password_reset", RESET_LIMIT):
            return limited
        return super().post(request, *args, **kwargs)
