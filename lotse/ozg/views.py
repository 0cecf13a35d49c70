"""Pages of the OZG room: services with their status (list, bulk edit, one service), dashboard, network
comparison, and the process inventory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core.charts import bar_chart, line_chart
from lotse.core.forms import id_param
from lotse.core.services import EditConflict, versioned_delete
from lotse.core.views import confirm_delete, page_or_partial, render_history, require, save_versioned_form
from lotse.ozg import selectors, services
from lotse.ozg.catalogue import CatalogueError, import_catalogue
from lotse.ozg.forms import BulkForm, CatalogueForm, FilterForm, ProcessForm, SharingForm, StatusForm
from lotse.ozg.models import LeikaService, OzgService, OzgSharing, OzgStatus, Process
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Municipality, OrgUnit, Role
from lotse.tenancy.selectors import editable_unit_ids, role_in

LIST_PAGE = 100  # services per page: bulk edit works on what is shown


def _url(name: str, municipality: Municipality, **kwargs: Any) -> str:
    return reverse(f"ozg:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _editor_units(request: HttpRequest, municipality: Municipality) -> set[int] | None:
    """The units an editor may work for; None for coordinators and admins, who may choose any."""
    if role_in(request.user, municipality.pk) == Role.EDITOR and not request.user.is_platform_admin:  # type: ignore[union-attr]
        return editable_unit_ids(request.user, municipality.pk)
    return None


def service_list(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "ozg.view_status", municipality)
    form = FilterForm(request.GET or None, municipality=municipality)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.rows(municipality, filters)
    page = Paginator(rows, LIST_PAGE).get_page(request.GET.get("page"))  # type: ignore[arg-type,var-annotated]
    query = request.GET.copy()
    query.pop("page", None)
    can_bulk = request.user.has_perm("ozg.bulk_edit", municipality)
    context = {
        "municipality": municipality,
        "form": form,
        "rows": page.object_list,
        "page": page,
        "total": page.paginator.count,
        "can_bulk": can_bulk,
        "bulk_form": BulkForm(municipality=municipality, prefix="bulk") if can_bulk else None,
        "query": query.urlencode(),
        "return_query": request.GET.urlencode(),
        "catalogue_empty": not OzgService.objects.exists(),
    }
    return page_or_partial(request, "ozg/service_list.html", "ozg/partials/service_rows.html", context)


@require_POST
def bulk_edit(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "ozg.bulk_edit", municipality)
    back = _url("list", municipality) + ("?" + request.POST["query"] if request.POST.get("query") else "")
    form = BulkForm(request.POST, municipality=municipality, prefix="bulk")
    chosen_ids = request.POST.getlist("chosen")
    if not chosen_ids:
        messages.error(request, _("Bitte wählen Sie mindestens eine Leistung aus."))
        return redirect(back)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[k].label}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
        messages.error(request, _("Nichts gespeichert: %(errors)s") % {"errors": errors})
        return redirect(back)
    if not form.changes():
        messages.error(request, _("Bitte geben Sie an, was sich ändern soll."))
        return redirect(back)
    chosen = {}
    for ozg_id in chosen_ids:
        seen = request.POST.get(f"v_{ozg_id}", "")
        chosen[ozg_id] = int(seen) if seen.isdigit() else None
    try:
        count = services.bulk_update(user=request.user, municipality=municipality, chosen=chosen, data=form.changes())
    except services.StaleRows as stale:
        messages.error(request, str(stale))
    else:
        messages.success(request, _("%(count)d Leistungen wurden geändert.") % {"count": count})
    return redirect(back)


def service_detail(request: TenantRequest, ozg_id: str) -> HttpResponse:
    municipality = request.municipality
    require(request, "ozg.view_status", municipality)
    service = get_object_or_404(OzgService.objects.select_related("life_situation__topic"), ozg_id=ozg_id)
    status = OzgStatus.objects.restrict(request.user, municipality).filter(service=service).first()
    target = status or OzgStatus(municipality=municipality, service=service)
    if status:
        can_change = request.user.has_perm("ozg.change_status", status)
    else:
        can_change = request.user.has_perm("ozg.add_status", municipality)
    form = None
    if can_change:
        editor_units = _editor_units(request, municipality)
        form = StatusForm(request.POST or None, instance=target, municipality=municipality, editable_units=editor_units)
        if request.method == "POST" and form.is_valid():
            try:
                services.status_save(
                    status,
                    user=request.user,
                    municipality=municipality,
                    service=service,
                    data=form.model_data(),
                    m2m={"projects": form.cleaned_data["projects"]},
                    expected_version=form.expected_version() if status else None,
                )
            except EditConflict as conflict:
                form.show_conflict(conflict)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": service.name})
                return redirect(_url("service", municipality, ozg_id=service.ozg_id))
    elif request.method == "POST":
        require(request, "ozg.change_status", status)
        return redirect(request.path)
    ask, ask_total = selectors.who_to_ask(request.user, municipality, service)
    context = {
        "municipality": municipality,
        "service": service,
        "status": status,
        "form": form,
        "leika": LeikaService.objects.filter(service=service).order_by("name"),
        "ask": ask,
        "ask_total": ask_total,
        "processes": Process.objects.restrict(request.user, municipality)
        .filter(service=service)
        .select_related("org_unit"),
    }
    return render(request, "ozg/service_detail.html", context)


def service_history(request: TenantRequest, ozg_id: str) -> HttpResponse:
    municipality = request.municipality
    # Outsiders must not learn which statuses exist: what they may not see is not there (404).
    status = get_for_user(
        request, OzgStatus, municipality=municipality, perm="ozg.view_history", service__ozg_id=ozg_id
    )
    return render_history(
        request,
        obj=status,
        title=_("Verlauf: %(name)s") % {"name": status.service.name},
        back_url=_url("service", municipality, ozg_id=ozg_id),
        can_restore=False,
    )


def dashboard(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "ozg.view_status", municipality)
    data = selectors.dashboard(municipality)
    charts = [
        bar_chart(
            _("Anteil online (Reifegrad 3 oder 4) je Themenfeld"),
            [(t.topic.name, t.share) for t in data.by_topic],
            unit=" %",
            value_header=_("Anteil online"),
        ),
        bar_chart(
            _("Leistungen je Reifegrad"),
            [(str(level.label), n) for level, n in data.by_level],
            value_header=_("Leistungen"),
        ),
    ]
    if len(data.over_time) >= 2:
        charts.append(line_chart(_("Anteil online im Zeitverlauf (Reifegrad 3 oder 4)"), data.over_time, unit=" %"))
    context = {"municipality": municipality, "data": data, "charts": charts}
    return render(request, "ozg/dashboard.html", context)


def network(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "ozg.view_network", municipality)
    sharing = OzgSharing.objects.filter(municipality=municipality).first()
    can_manage = request.user.has_perm("ozg.manage_sharing", municipality)
    form = SharingForm(request.POST or None, initial={"share_in_network": bool(sharing and sharing.share_in_network)})
    if request.method == "POST":
        if not can_manage:
            require(request, "ozg.manage_sharing", municipality)
            return redirect(request.path)
        if form.is_valid():
            services.set_sharing(municipality, form.cleaned_data["share_in_network"])
            messages.success(request, _("Die Freigabe wurde gespeichert."))
            return redirect(request.path)
    districts = selectors.peer_districts(request.user, municipality)
    district = None
    if (district_id := id_param(request.GET.get("district"))) is not None:
        district = districts.filter(pk=district_id).first()
    heatmap, page = selectors.heatmap(request.user, municipality, district=district, page=request.GET.get("page"))
    context = {
        "municipality": municipality,
        "heatmap": heatmap,
        "page": page,
        "districts": districts,
        "district": district,
        "query": f"district={district.pk}" if district else "",
        "form": form if can_manage else None,
        "sharing": bool(sharing and sharing.share_in_network),
    }
    return render(request, "ozg/network.html", context)


def processes(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "ozg.view_process", municipality)
    unit = None
    if (unit_id := id_param(request.GET.get("unit"))) is not None:
        unit = get_for_user(request, OrgUnit, municipality=municipality, pk=unit_id)
    ranking = selectors.process_ranking(municipality, unit)
    context = {
        "municipality": municipality,
        "unit": unit,
        "units": OrgUnit.objects.restrict(request.user, municipality).order_by("name"),
        "ranking": ranking,
        "editable": {r.process.pk for r in ranking if request.user.has_perm("ozg.change_process", r.process)},
        "can_add": request.user.has_perm("ozg.add_process", municipality),
    }
    return render(request, "ozg/processes.html", context)


def _process(request: TenantRequest, pk: int) -> Process:
    return get_for_user(request, Process, municipality=request.municipality, pk=pk)


def process_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    process = _process(request, pk) if pk else None
    require(request, "ozg.change_process" if process else "ozg.add_process", process or municipality)
    form = ProcessForm(
        request.POST or None,
        instance=process,
        municipality=municipality,
        editable_units=_editor_units(request, municipality),
    )
    saved = save_versioned_form(request, form, instance=process, extra={"municipality": municipality})
    if saved:
        messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": saved})
        return redirect(_url("processes", municipality) + f"?unit={saved.org_unit_id}")
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Prozess bearbeiten") if process else _("Prozess erfassen"),
            "back_url": _url("processes", municipality),
        },
    )


def process_delete(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    process = _process(request, pk)
    require(request, "ozg.delete_process", process)
    return confirm_delete(
        request,
        process,
        delete=lambda version: versioned_delete(process, user=request.user, expected_version=version),
        back_url=_url("processes", municipality),
        done_url=_url("processes", municipality),
    )


def catalogue_upload(request: HttpRequest) -> HttpResponse:
    """The platform admin loads or updates the installation's OZG catalogue; every row is checked, all or nothing."""
    require(request, "ozg.load_catalogue")
    form = CatalogueForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        ozg_file, leika_file = form.cleaned_data["ozg"], form.cleaned_data.get("leika")
        try:  # the table reader checks the real file type and zip bombs before opening anything
            result = import_catalogue(
                (ozg_file.read(), ozg_file.name), (leika_file.read(), leika_file.name) if leika_file else None
            )
        except CatalogueError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _(
                    "Katalog geladen: %(new)s OZG-Leistungen neu, %(changed)s geändert; "
                    "%(lnew)s LeiKa-Leistungen neu, %(lchanged)s geändert."
                )
                % {
                    "new": result.services_created,
                    "changed": result.services_updated,
                    "lnew": result.leika_created,
                    "lchanged": result.leika_updated,
                },
            )
            return redirect("ozg_catalogue")
    return render(
        request,
        "ozg/catalogue.html",
        {"form": form, "errors": errors, "count": OzgService.objects.count(), "leika": LeikaService.objects.count()},
    )
