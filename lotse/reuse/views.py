"""Pages of the reuse room: the solution registry and the towns' uses, a project's reuse panel, and adopting a
project or a solution into one's own portfolio."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core.forms import id_param
from lotse.core.services import EditConflict
from lotse.core.views import page_or_partial, require
from lotse.ozg.models import OzgService, OzgStatus
from lotse.portfolio.models import Project
from lotse.reuse import federation, selectors, services
from lotse.reuse.forms import AdoptForm, InterestForm, KitForm, SolutionFilterForm, SolutionForm, UseForm
from lotse.reuse.models import InterestDeclaration, ReuseKit, Solution, SolutionUse
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Municipality
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
        "interest_towns": selectors.interested_towns(request.user, project),
        "readiness": selectors.readiness(ReuseKit.objects.filter(project=project).first(), project=project),
    }
    template = "reuse/partials/panel.html" if getattr(request, "htmx", False) else "reuse/panel.html"
    return render(request, template, context)


def interest(request: TenantRequest, pk: int) -> HttpResponse:
    """ "Interesse bekunden": this municipality declares interest in project `pk` of another town (or withdraws)."""
    municipality = request.municipality
    require(request, "reuse.declare_interest", municipality)
    project = _origin(request, pk)
    existing = InterestDeclaration.objects.restrict(request.user, municipality).filter(project=project).first()
    form = InterestForm(request.POST or None)
    back = reverse("portfolio:project", kwargs={"municipality": project.municipality.slug, "pk": project.pk})
    if request.method == "POST" and request.POST.get("withdraw") and existing is not None:
        services.withdraw_interest(user=request.user, declaration=existing)
        messages.success(request, _("Die Interessenbekundung ist zurückgenommen."))
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_interest(
                user=request.user, project=project, municipality=municipality, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(town)s hat Interesse an „%(title)s“ bekundet; %(owner)s erfährt es per E-Mail.")
                % {"town": municipality.name, "title": project.title, "owner": project.municipality.name},
            )
            return redirect(back)
    context = {"form": form, "project": project, "municipality": municipality, "existing": existing, "back_url": back}
    return render(request, "reuse/interest.html", context)


def feed_json(request: TenantRequest) -> JsonResponse:
    """The municipality's open-data feed, schema 2.0 (docs/open-data.md): public projects with their origin, and
    the solutions it uses publicly. Schema 1.0 stays at projects.v1.json."""
    base = request.build_absolute_uri("/").rstrip("/")
    response = JsonResponse(
        federation.feed(request.municipality, base), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data: other instances and portals may read it
    return response


def _kit_page(
    request: HttpRequest, *, project: Project | None, solution: Solution | None, can_change: bool, back: str
) -> HttpResponse:
    kit = ReuseKit.objects.filter(project=project, solution=solution).first()
    form = KitForm(request.POST or None, instance=kit) if can_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.kit_save(
                    user=request.user,
                    project=project,
                    solution=solution,
                    data=form.model_data(),
                    expected_version=form.expected_version() if kit else None,
                )
            except EditConflict as conflict:
                form.show_conflict(conflict)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Das Nachnutzungspaket ist gespeichert."))
                return redirect(request.path)
    context = {
        "owner": project or solution,
        "readiness": selectors.readiness(kit, project=project, solution=solution),
        "form": form,
        "back_url": back,
    }
    return render(request, "reuse/kit.html", context)


def project_kit(request: TenantRequest, pk: int) -> HttpResponse:
    """The reuse kit of a project: what another town needs to reuse it, and where it is."""
    project = get_for_user(request, Project, municipality=request.municipality, pk=pk)
    back = reverse("portfolio:project", kwargs={"municipality": project.municipality.slug, "pk": project.pk})
    can_change = request.user.has_perm("portfolio.change_project", project) and not project.source_url
    return _kit_page(request, project=project, solution=None, can_change=can_change, back=back)


def solution_kit(request: HttpRequest, pk: int) -> HttpResponse:
    solution = get_for_user(request, Solution, pk=pk)
    can_change = request.user.has_perm("reuse.change_solution", solution)
    back = reverse("reuse:solution", kwargs={"pk": solution.pk})
    return _kit_page(request, project=None, solution=solution, can_change=can_change, back=back)


def capacity_credit(request: TenantRequest) -> HttpResponse:
    """ "Nachnutzung spart 2027 0,8 VZÄ": the town's savings by reuse per year, on its capacity page (HTMX)."""
    municipality = request.municipality
    require(request, "portfolio.view_capacity", municipality)
    context = {"municipality": municipality, "savings": selectors.savings_by_year(municipality)}
    template = (
        "reuse/partials/capacity_credit.html" if getattr(request, "htmx", False) else "reuse/capacity_credit.html"
    )
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


def _adopt_form(request: TenantRequest, municipality: Municipality, title: str) -> AdoptForm:
    """The form of "Übernehmen": title, planned start and lead unit (editors choose one of their own)."""
    lead_units = None
    if not request.user.has_perm("portfolio.manage_portfolio", municipality):
        lead_units = set(editable_unit_ids(request.user, municipality.pk))
    return AdoptForm(
        request.POST or None,
        initial={"title": title, "start_date": date.today() + timedelta(days=30)},
        municipality=municipality,
        lead_units=lead_units,
    )


def adopt(request: TenantRequest, pk: int) -> HttpResponse:
    """Adopt project `pk` (of any town) into this municipality's portfolio as a draft."""
    municipality = request.municipality
    require(request, "portfolio.add_project", municipality)
    origin = _origin(request, pk)
    form = _adopt_form(request, municipality, origin.title)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.adopt(user=request.user, origin=origin, municipality=municipality, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
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


# --- the solution registry -------------------------------------------------------------------------------------


def _the_town_of(request: HttpRequest) -> Municipality | None:
    """The municipality a person works for, when it is one (their uses and "wie wir" are that town's)."""
    towns = selectors.adopting_towns(request.user)
    slug = request.GET.get("town", "")
    chosen = next((t for t in towns if t.slug == slug), None)
    return chosen or (towns[0] if len(towns) == 1 else None)


def solutions(request: HttpRequest) -> HttpResponse:
    """The registry: search by name or provider, filter by kind and OZG-Leistung."""
    form = SolutionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.solutions(
        request.user, q=filters.get("q", ""), kind=filters.get("kind", ""), service=filters.get("service")
    )
    page = Paginator(rows.order_by("name"), 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "network": None if getattr(request, "htmx", False) else selectors.network_savings(),
        "can_add": request.user.has_perm("reuse.add_solution"),
        "can_merge": bool(request.user.is_authenticated and request.user.is_platform_admin),
    }
    return page_or_partial(request, "reuse/solutions.html", "reuse/partials/solution_rows.html", context)


def solution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Wer nutzt X?": the entry, the towns that use it and their experiences."""
    solution = get_for_user(request, Solution, pk=pk)
    town = _the_town_of(request)
    context = {
        "solution": solution,
        "page": selectors.solution_page(solution, request.user, town),
        "town": town,
        "services": solution.ozg_services.order_by("name"),
        "readiness": selectors.readiness(ReuseKit.objects.filter(solution=solution).first(), solution=solution),
        "can_change": request.user.has_perm("reuse.change_solution", solution),
        "can_record": town is not None and request.user.has_perm("reuse.record_use", town),
        "can_adopt": town is not None and request.user.has_perm("portfolio.add_project", town),
    }
    return render(request, "reuse/solution.html", context)


def solution_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    solution = get_for_user(request, Solution, pk=pk) if pk else None
    require(request, "reuse.change_solution" if solution else "reuse.add_solution", solution)
    form = SolutionForm(request.POST or None, request.FILES or None, instance=solution)
    if request.method == "POST" and form.is_valid():
        m2m = {"ozg_services": form.cleaned_data["ozg_services"]}
        try:
            saved = services.solution_save(
                solution,
                user=request.user,
                data=form.model_data(),
                m2m=m2m,
                registered_in=_the_town_of(request),
                expected_version=form.expected_version() if solution else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("„%(name)s“ ist im Lösungsregister gespeichert.") % {"name": saved.name})
            return redirect("reuse:solution", pk=saved.pk)
    back = reverse("reuse:solution", kwargs={"pk": solution.pk}) if solution else reverse("reuse:solutions")
    title = _("Lösung bearbeiten") if solution else _("Lösung eintragen")
    context = {"form": form, "title": title, "back_url": back, "multipart": True}
    return render(request, "components/form_page.html", context)


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def use_form(request: TenantRequest, pk: int) -> HttpResponse:
    """This municipality's use of solution `pk`: record it, or change it."""
    municipality = request.municipality
    require(request, "reuse.record_use", municipality)
    solution = get_for_user(request, Solution, pk=pk)
    use = SolutionUse.objects.restrict(request.user, municipality).filter(solution=solution).first()
    form = UseForm(request.POST or None, instance=use, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.use_save(
                use,
                user=request.user,
                municipality=municipality,
                solution=solution,
                data=form.model_data(),
                m2m={"ozg_statuses": form.cleaned_data["ozg_statuses"]},
                expected_version=form.expected_version() if use else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Die Nutzung von „%(name)s“ ist gespeichert.") % {"name": solution.name})
            return redirect(reverse("reuse:solution", kwargs={"pk": solution.pk}) + f"?town={municipality.slug}")
    context = {
        "form": form,
        "title": _("Nutzung von „%(name)s“ in %(town)s") % {"name": solution.name, "town": municipality.name},
        "back_url": reverse("reuse:solution", kwargs={"pk": solution.pk}),
    }
    return render(request, "components/form_page.html", context)


def own_solutions(request: TenantRequest) -> HttpResponse:
    """The solutions this municipality uses, plans or is interested in."""
    municipality = request.municipality
    require(request, "tenancy.view_municipality_internal", municipality)
    context = {
        "municipality": municipality,
        "uses": selectors.own_uses(municipality, request.user),
        "can_record": request.user.has_perm("reuse.record_use", municipality),
    }
    return render(request, "reuse/own_solutions.html", context)


def for_service(request: HttpRequest, ozg_id: str) -> HttpResponse:
    """ "Was nutzen Kommunen wie wir für Leistung Y?" """
    service = get_object_or_404(OzgService, ozg_id=ozg_id)
    town = _the_town_of(request)
    context = {"result": selectors.for_service(request.user, service, town), "town": town}
    return render(request, "reuse/for_service.html", context)


def status_link(request: TenantRequest, pk: int) -> HttpResponse:
    """Link an OZG status's free text to a registry entry: the most similar entries are proposed."""
    municipality = request.municipality
    status = get_for_user(request, OzgStatus.objects.select_related("service"), municipality=municipality, pk=pk)
    linked = selectors.use_of_status(status, request.user)
    can_link = request.user.has_perm("reuse.record_use", municipality)
    if request.method == "POST":
        require(request, "reuse.record_use", municipality)
        solution = get_for_user(request, Solution, pk=id_param(request.POST.get("solution")) or 0)
        try:
            services.link_status(user=request.user, status=status, solution=solution)
        except (ValidationError, EditConflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("„%(s)s“ ist mit „%(name)s“ im Lösungsregister verknüpft.")
                % {"s": status.service.name, "name": solution.name},
            )
            return redirect("ozg:service", municipality=municipality.slug, ozg_id=status.service.ozg_id)
    context = {
        "municipality": municipality,
        "status": status,
        "linked": linked,
        "can_link": can_link,
        "candidates": (
            selectors.candidates_for_text(request.user, status.solution_name, status.provider, status.service)
            if can_link
            else []
        ),
    }
    template = "reuse/partials/status_link.html" if getattr(request, "htmx", False) else "reuse/status_link.html"
    return render(request, template, context)


def merge_proposals(request: HttpRequest) -> HttpResponse:
    """Entries that are probably the same solution under two spellings, for the platform admin to merge."""
    if not (request.user.is_authenticated and request.user.is_platform_admin):
        raise PermissionDenied
    if request.method == "POST":
        keep = get_for_user(request, Solution, pk=id_param(request.POST.get("keep")) or 0)
        drop = get_for_user(request, Solution, pk=id_param(request.POST.get("drop")) or 0)
        try:
            services.merge(user=request.user, keep=keep, drop=drop)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Zusammengeführt in „%(name)s“.") % {"name": keep.name})
        return redirect("reuse:merge")
    return render(request, "reuse/merge.html", {"proposals": services.merge_proposals()})


def adopt_solution(request: TenantRequest, pk: int) -> HttpResponse:
    """Start introducing solution `pk` as a draft project of this municipality."""
    municipality = request.municipality
    require(request, "portfolio.add_project", municipality)
    solution = get_for_user(request, Solution, pk=pk)
    form = _adopt_form(request, municipality, _("Einführung: %(name)s") % {"name": solution.name})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.adopt_solution(
                user=request.user, solution=solution, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Die Einführung von „%(name)s“ ist als Entwurf in Ihrem Portfolio angelegt.")
                % {"name": solution.name},
            )
            return redirect("portfolio:project", municipality=municipality.slug, pk=project.pk)
    back = reverse("reuse:solution", kwargs={"pk": solution.pk})
    context = {"form": form, "solution": solution, "municipality": municipality, "back_url": back}
    return render(request, "reuse/adopt_solution.html", context)
