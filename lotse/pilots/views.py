"""Pages of the pilots room: the directory with the offices still lacking a pilot, a pilot's home page, the
appointment form, and a network's coverage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core.charts import line_chart
from lotse.core.services import EditConflict
from lotse.core.views import confirm_delete, render_history, require
from lotse.pilots import selectors, services
from lotse.pilots.forms import PilotForm
from lotse.pilots.models import DigitalPilot, Programme
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Municipality, Network


def _url(name: str, municipality: Municipality, **kwargs: Any) -> str:
    return reverse(f"pilots:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _pilot(request: TenantRequest, pk: int) -> DigitalPilot:
    return get_for_user(
        request, DigitalPilot.objects.select_related("person"), municipality=request.municipality, pk=pk
    )


def directory(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "pilots.view_pilot", municipality)
    coverage = selectors.coverage(municipality)
    context = {
        "municipality": municipality,
        "pilots": selectors.pilots(municipality),
        "coverage": coverage,
        "uncovered": [c for c in coverage if not c.pilots],
        "covered_count": sum(1 for c in coverage if c.pilots),
        "can_manage": request.user.has_perm("pilots.manage_pilot", municipality),
        "networks": municipality.networks.order_by("name"),
    }
    return render(request, "pilots/directory.html", context)


def pilot_home(request: TenantRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk)
    context = {
        "municipality": request.municipality,
        "pilot": pilot,
        "home": selectors.home(pilot),
        "can_manage": request.user.has_perm("pilots.manage_pilot", pilot),
    }
    return render(request, "pilots/home.html", context)


def pilot_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    pilot = _pilot(request, pk) if pk else None
    require(request, "pilots.manage_pilot", pilot or municipality)
    form = PilotForm(request.POST or None, instance=pilot, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("topics", "phone", "since")}
        try:
            saved = services.pilot_save(
                pilot,
                user=request.user,
                municipality=municipality,
                person=form.cleaned_data["person"],
                data=data,
                org_units=form.cleaned_data["org_units"],
                projects=form.cleaned_data["projects"],
                expected_version=form.expected_version() if pilot else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s ist Digitallotse/Digitallotsin.") % {"name": saved})
            return redirect(_url("pilot", municipality, pk=saved.pk))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Digitallotsen bearbeiten") if pilot else _("Digitallotsen benennen"),
            "back_url": _url("directory", municipality),
        },
    )


def pilot_delete(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    pilot = _pilot(request, pk)
    require(request, "pilots.manage_pilot", pilot)
    return confirm_delete(
        request,
        pilot,
        delete=lambda version: services.pilot_delete(pilot, user=request.user, expected_version=version),
        back_url=_url("pilot", municipality, pk=pilot.pk),
        done_url=_url("directory", municipality),
    )


def pilot_history(request: TenantRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk)
    require(request, "pilots.view_history", pilot)
    return render_history(
        request,
        obj=pilot,
        title=_("Verlauf: %(name)s") % {"name": pilot},
        back_url=_url("pilot", request.municipality, pk=pilot.pk),
        can_restore=False,
    )


def network_coverage(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(request, "pilots.view_coverage", network)
    groups = selectors.network_coverage(network)
    trained = selectors.trained_over_time(network)
    title = _("Qualifizierte Digitallotsen (alle Module abgeschlossen)")
    chart = line_chart(title, trained, integer=True) if trained else None
    context = {
        "network": network,
        "groups": groups,
        "without": selectors.without_pilot(groups),
        "trained": trained,
        "chart": chart,
        "programme": Programme.objects.filter(network=network).first(),
    }
    return render(request, "pilots/network.html", context)
