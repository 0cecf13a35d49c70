"""Pages of the reuse room: a project's reuse panel, and adopting a project into one's own portfolio."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core.views import require
from lotse.portfolio.models import Project
from lotse.reuse import selectors, services
from lotse.reuse.forms import AdoptForm
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.selectors import editable_unit_ids


def _origin(request: HttpRequest, pk: int) -> Project:
    """Any project the person may see, in any municipality (pulled copies of other instances included)."""
    return get_for_user(request, Project.objects.select_related("municipality"), pk=pk)


def panel(request: TenantRequest, pk: int) -> HttpResponse:
    """ "Nachnutzung" on the project page (HTMX loads it; without JavaScript it is a page)."""
    project = get_for_user(request, Project, municipality=request.municipality, pk=pk)
    context = {
        "project": project,
        "municipality": request.municipality,
        "reuse": selectors.reuse_of(project, request.user),
        "can_adopt": bool(selectors.adopting_towns(request.user)),
    }
    template = "reuse/partials/panel.html" if getattr(request, "htmx", False) else "reuse/panel.html"
    return render(request, template, context)


def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Übernehmen": straight to the form when the person may start projects in one municipality, else a choice."""
    origin = _origin(request, pk)
    towns = selectors.adopting_towns(request.user)
    if not towns:
        raise PermissionDenied
    if len(towns) == 1:
        return redirect("reuse:adopt", municipality=towns[0].slug, pk=origin.pk)
    return render(request, "reuse/choose.html", {"origin": origin, "towns": towns})


def adopt(request: TenantRequest, pk: int) -> HttpResponse:
    """Adopt project `pk` (of any town) into this municipality's portfolio as a draft."""
    municipality = request.municipality
    require(request, "portfolio.add_project", municipality)
    origin = _origin(request, pk)
    lead_units = None
    if not request.user.has_perm("portfolio.manage_portfolio", municipality):
        lead_units = set(editable_unit_ids(request.user, municipality.pk))
    form = AdoptForm(
        request.POST or None,
        initial={"title": origin.title, "start_date": date.today() + timedelta(days=30)},
        municipality=municipality,
        lead_units=lead_units,
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.adopt(
                user=request.user,
                origin=origin,
                municipality=municipality,
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
                lead_unit=form.cleaned_data["lead_unit"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _(
                    "„%(t)s“ ist als Entwurf in Ihr Portfolio übernommen. Bitte Projektleitung, Handlungsfeld und "
                    "Ziele ergänzen und die Planung prüfen."
                )
                % {"t": project.title},
            )
            return redirect("portfolio:project", municipality=municipality.slug, pk=project.pk)
    back = reverse("portfolio:project", kwargs={"municipality": origin.municipality.slug, "pk": origin.pk})
    context = {"form": form, "origin": origin, "municipality": municipality, "back_url": back}
    return render(request, "reuse/adopt.html", context)
