"""Pages of the synergy room: similar projects on a project page, pair decisions, contact, search, clusters."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core import ratelimit
from lotse.core.forms import id_param
from lotse.core.views import require
from lotse.portfolio.models import Project
from lotse.synergy import federation, selectors, services
from lotse.synergy.forms import ContactForm, SearchForm
from lotse.synergy.models import PairKind
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.selectors import own_municipalities_with


def _project(request: TenantRequest, pk: int) -> Project:
    return get_for_user(request, Project, municipality=request.municipality, pk=pk)


def similar(request: TenantRequest, pk: int) -> HttpResponse:
    """The "Ähnliche Vorhaben" panel; HTMX loads it into the project page, without JavaScript it is a page."""
    project = _project(request, pk)
    own, others, embedded = selectors.similar_with_state(project, request.user)
    context = {
        # The vectors are computed by the task queue after a save: until then the lists rest on the wording alone.
        "semantic_pending": not embedded and services.embedder() is not None,
        "project": project,
        "municipality": project.municipality,
        "own": own,
        "others": others,
        "kinds": PairKind.choices,
        "can_decide": request.user.has_perm("synergy.decide_pair", project),
        # "Übernehmen" (the reuse room) for whoever may start projects somewhere
        "can_adopt": bool(own_municipalities_with(request.user, "portfolio.add_project")),
        "can_declare": request.user.has_perm("reuse.declare_interest", project.municipality),
    }
    template = "synergy/partials/similar.html" if getattr(request, "htmx", False) else "synergy/similar.html"
    return render(request, template, context)


@require_POST
def decide(request: TenantRequest, pk: int, other: int) -> HttpResponse:
    project = _project(request, pk)
    require(request, "synergy.decide_pair", project)
    other_project = get_object_or_404(Project.objects.restrict(request.user).exclude(pk=project.pk), pk=other)
    kind = request.POST.get("kind", "")
    if kind not in PairKind.values:
        messages.error(request, _("Bitte eine Einschätzung wählen."))
    else:
        services.decide(user=request.user, project=project, other=other_project, kind=kind)
        messages.success(
            request,
            _("„%(a)s“ und „%(b)s“: %(kind)s.")
            % {"a": project.title, "b": other_project.title, "kind": PairKind(kind).label},
        )
        # Kooperation leads to the reuse room: tell the other town that this one wants to work together.
        elsewhere = other_project.municipality_id != project.municipality_id and not other_project.source_url
        if (
            kind == PairKind.COOPERATION
            and elsewhere
            and request.user.has_perm("reuse.declare_interest", project.municipality)
        ):
            return redirect("reuse:interest", municipality=project.municipality.slug, pk=other_project.pk)
    return redirect(
        reverse("portfolio:project", kwargs={"municipality": project.municipality.slug, "pk": project.pk}) + "#similar"
    )


CONTACT_LIMIT = 10  # messages to other towns per client and hour: plenty for people, too few for a flood


def contact(request: TenantRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    require(request, "synergy.contact_project", project)
    about = None
    about_id = id_param(request.POST.get("about") or request.GET.get("about"))
    if about_id is not None:
        about = Project.objects.restrict(request.user).filter(pk=about_id).select_related("municipality").first()
    form = ContactForm(request.POST or None, initial={"about": about.pk if about else None})
    if request.method == "POST" and (limited := ratelimit.refused(request, "synergy.contact", CONTACT_LIMIT)):
        return limited
    if request.method == "POST" and form.is_valid():
        services.contact(user=request.user, project=project, about=about, text=form.cleaned_data["text"])
        messages.success(request, _("Ihre Nachricht an %(town)s wurde gesendet.") % {"town": project.municipality.name})
        target = about or project
        return redirect(
            reverse("portfolio:project", kwargs={"municipality": target.municipality.slug, "pk": target.pk})
        )
    return render(request, "synergy/contact.html", {"form": form, "project": project, "about": about})


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = selectors.search(request.user, form.cleaned_data["q"]) if form.is_valid() else None
    return render(request, "synergy/search.html", {"form": form, "results": results})


CLUSTERS_PAGE = 25  # groups per page, the biggest (most municipalities) first


def clusters(request: HttpRequest) -> HttpResponse:
    view = selectors.clusters(request.user)
    page = Paginator(view.clusters, CLUSTERS_PAGE).get_page(request.GET.get("page"))  # type: ignore[arg-type,var-annotated]
    # "Interesse bekunden" (the reuse room) in another town's project of a group, for the one town one works for
    towns = own_municipalities_with(request.user, "reuse.declare_interest")
    context = {
        "clusters": page.object_list,
        "page": page,
        "scoped": view.scoped,
        "learned": selectors.learned(),
        "interest_town": towns[0] if len(towns) == 1 else None,
    }
    return render(request, "synergy/clusters.html", context)


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def open_data(request: TenantRequest) -> HttpResponse:
    """What the municipality publishes, and the addresses of its feed."""
    municipality = request.municipality
    return render(
        request,
        "synergy/open_data.html",
        {"municipality": municipality, "count": federation.public_projects(municipality).count()},
    )


def feed_json(request: TenantRequest) -> JsonResponse:
    response = JsonResponse(
        federation.feed(request.municipality, _base(request)),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data: other instances and portals may read it
    return response


def feed_csv(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    response = HttpResponse(federation.feed_csv(municipality, _base(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="projekte-{municipality.slug}.csv"'
    return response


def feed_dcat(request: TenantRequest) -> JsonResponse:
    response = JsonResponse(
        federation.dcat(request.municipality, _base(request)),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
        content_type="application/ld+json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
