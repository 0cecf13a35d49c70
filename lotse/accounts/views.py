from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lotse.accounts.forms import ProfileForm
from lotse.accounts.services import profile_update


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(request.user, data=form.cleaned_data)
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
