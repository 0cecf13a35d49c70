"""Pages of the portfolio room: list, board, roadmap, charts, project pages, prioritisation, capacity, import."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotse.core.charts import Bubble, Span, bar_chart, bubble_matrix, grouped_bars, timeline
from lotse.core.forms import posted_version
from lotse.core.services import EditConflict, versioned_delete
from lotse.core.views import confirm_delete, page_or_partial, render_history, require, save_versioned_form
from lotse.portfolio import exporter, import_jobs, importer, selectors, services
from lotse.portfolio.forms import (
    CapacityForm,
    CriterionForm,
    ImportForm,
    ProjectFilterForm,
    ProjectForm,
    ReportingForm,
    ScoreForm,
    StatusReportForm,
    child_formsets,
    formset_rows,
)
from lotse.portfolio.models import Funding, ImportJob, PriorityCriterion, Project, Status
from lotse.strategy.selectors import strategy_of
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import editable_unit_ids

PAGE_SIZE = 50
# The ranking and the matrix show the top projects; filters narrow down to the rest.
RANKING_LIMIT = 100


def _url(name: str, municipality: Municipality, **kwargs: Any) -> str:
    return reverse(f"portfolio:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _filtered(request: TenantRequest) -> tuple[ProjectFilterForm, QuerySet[Project]]:
    municipality = request.municipality
    visible = selectors.projects_visible(request.user, municipality)
    insider = request.user.has_perm("tenancy.view_municipality_internal", municipality)
    form = ProjectFilterForm(
        request.GET or None,
        municipality=municipality,
        visible=None if insider else visible,
        strategy_visible=insider or _strategy_visible(request, municipality),
        user=request.user,
    )
    return form, selectors.filter_projects(visible, form.params())


def _strategy_visible(request: HttpRequest, municipality: Municipality) -> bool:
    """Goals belong to the strategy: outsiders see them only where the strategy is published to them."""
    return bool(request.user.has_perm("strategy.view_strategy", strategy_of(municipality) or municipality))


def _read_only(project: Project | None) -> None:
    """Copies pulled from another instance change at their source, for everyone, admins included."""
    if project is not None and project.source_url:
        raise PermissionDenied
    return None


def _project(request: TenantRequest, pk: int) -> Project:
    # What one may not see does not exist for them: an internal project answers 404, never 403.
    return get_for_user(request, Project, municipality=request.municipality, pk=pk)


# ---------------------------------------------------------------- lists


def project_list(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    form, qs = _filtered(request)
    sort = form.params().get("sort") or "key"
    page = Paginator(selectors.project_list(qs, sort), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_budgets(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "municipality": municipality,
        "filter_form": form,
        "page": page,
        "total": page.paginator.count,
        "counts": selectors.counts(qs),
        "status_labels": dict(Status.choices),
        "funding_labels": dict(Funding.choices),
        "query": query.urlencode(),
        "can_add": request.user.has_perm("portfolio.add_project", municipality),
        "can_import": request.user.has_perm("portfolio.import_projects", municipality),
        "filtered": any(v for k, v in form.params().items() if k not in ("sort", "report_every_days")),
    }
    return page_or_partial(request, "portfolio/project_list.html", "portfolio/partials/project_results.html", context)


def project_export(request: TenantRequest, fmt: str) -> HttpResponse:
    """Exactly the filtered (and sorted) list, as the council gets it."""
    municipality = request.municipality
    form, qs = _filtered(request)
    projects = selectors.project_list(qs, form.params().get("sort") or "key").prefetch_related("years")
    stamp = date.today().strftime("%Y-%m-%d")
    if fmt == "csv":
        response = HttpResponse(exporter.to_csv(projects), content_type="text/csv; charset=utf-8")
        name = f"projekte-{municipality.slug}-{stamp}.csv"
    elif fmt == "xlsx":
        response = HttpResponse(
            exporter.to_xlsx(projects, municipality),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"projekte-{municipality.slug}-{stamp}.xlsx"
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def project_template(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "portfolio.add_project", municipality)
    response = HttpResponse(
        exporter.to_xlsx([], municipality, template=True),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = _("projektliste-vorlage")
    response["Content-Disposition"] = f'attachment; filename="{name}-{municipality.slug}.xlsx"'
    return response


def board(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    form, qs = _filtered(request)
    columns = selectors.board(qs)
    editable = {
        p.pk for _s, _l, items in columns for p in items if request.user.has_perm("portfolio.change_project", p)
    }
    return render(
        request,
        "portfolio/board.html",
        {
            "municipality": municipality,
            "filter_form": form,
            "columns": columns,
            "editable": editable,
            "statuses": Status.choices,
            "query": request.GET.urlencode(),
        },
    )


@require_POST
def project_move(request: TenantRequest, pk: int) -> HttpResponse:
    """The board's status change, by drag and drop or by the per-card form (keyboard, no JavaScript)."""
    municipality = request.municipality
    project = _project(request, pk)
    require(request, "portfolio.change_project", project)
    _read_only(project)
    status = request.POST.get("status", "")
    if status not in Status.values:
        messages.error(request, _("Unbekannter Status."))
    else:
        try:
            version = posted_version(request.POST)
            services.project_set_status(project, user=request.user, expected_version=version, status=status)
        except EditConflict as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("„%(p)s“ steht jetzt auf „%(s)s“.") % {"p": project.title, "s": Status(status).label},
            )
    back = _url("board", municipality) + ("?" + request.POST["query"] if request.POST.get("query") else "")
    return redirect(back + f"#project-{project.pk}")


def roadmap(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    form, qs = _filtered(request)
    projects = list(
        qs.filter(start_date__isnull=False, end_date__isnull=False)
        .select_related("field")
        .order_by("field__position", "field__name", "start_date", "key")
    )
    undated = (
        qs.filter(start_date__isnull=True).count() + qs.filter(end_date__isnull=True, start_date__isnull=False).count()
    )
    chart = None
    if projects:
        start = min(p.start_date for p in projects if p.start_date).year
        end = max(p.end_date for p in projects if p.end_date).year
        chart = timeline(
            _("Roadmap nach Handlungsfeld"),
            [
                Span(
                    p.field.name if p.field else _("ohne Handlungsfeld"),
                    p.title,
                    p.start_date,  # type: ignore[arg-type]
                    p.end_date,  # type: ignore[arg-type]
                    _url("project", municipality, pk=p.pk),
                )
                for p in projects
            ],
            start,
            min(end, start + 15),
        )
        chart.headers = [_("Handlungsfeld"), _("Projekt"), _("Beginn"), _("Ende")]
    return render(
        request,
        "portfolio/roadmap.html",
        {"municipality": municipality, "filter_form": form, "chart": chart, "undated": undated},
    )


def charts(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    form, qs = _filtered(request)
    c = selectors.counts(qs)
    by_status = bar_chart(
        _("Projekte nach Status"),
        [(str(s.label), c["status"].get(s.value, 0)) for s in Status],
        value_header=_("Anzahl"),
    )
    by_field = bar_chart(_("Projekte nach Handlungsfeld"), selectors.by_field(qs), value_header=_("Anzahl"))
    by_funding = bar_chart(
        _("Projekte nach Finanzierung"),
        [(str(f.label), c["funding"].get(f.value, 0)) for f in Funding],
        value_header=_("Anzahl"),
    )
    years = selectors.budget_by_year(qs)
    budget = grouped_bars(
        _("Budget nach Jahr (EUR)"),
        [str(y["year"]) for y in years],
        [
            (_("geplant"), [float(y["planned"] or 0) for y in years]),
            (_("bewilligt"), [float(y["approved"] or 0) for y in years]),
            (_("ausgegeben"), [float(y["spent"] or 0) for y in years]),
        ],
        unit=" €",
        axis="EUR",
    )
    return render(
        request,
        "portfolio/charts.html",
        {
            "municipality": municipality,
            "filter_form": form,
            "charts": [by_status, by_field, by_funding, budget],
            "total": qs.count(),
            "query": request.GET.urlencode(),
        },
    )


# ---------------------------------------------------------------- one project


def project_detail(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    project = _project(request, pk)
    insider = request.user.has_perm("portfolio.view_priorities", municipality)
    context: dict[str, Any] = {
        "municipality": municipality,
        "project": project,
        **selectors.project_detail(project),
        "show_goals": insider or _strategy_visible(request, municipality),
        "can_change": request.user.has_perm("portfolio.change_project", project) and not project.source_url,
        "can_delete": request.user.has_perm("portfolio.delete_project", project),
        "can_history": request.user.has_perm("portfolio.view_history", project),
        "insider": insider,
    }
    if insider:
        single = Project.objects.restrict(request.user).filter(pk=project.pk)
        _criteria, ranked, _total = selectors.ranking(single, municipality)
        context["evaluation"] = ranked[0]
        context["rank"], context["ranked_total"] = selectors.rank_of(project)
        context["status_report"] = project.status_reports.first()
    years = context["years"]
    context["totals"] = {
        f: sum(getattr(y, f) for y in years) for f in ("budget_planned", "budget_approved", "budget_spent", "staff_fte")
    }
    return render(request, "portfolio/project_detail.html", context)


def project_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    project = _project(request, pk) if pk else None
    perm = "portfolio.change_project" if project else "portfolio.add_project"
    require(request, perm, project or municipality)
    _read_only(project)
    data = request.POST if request.method == "POST" else None
    lead_units = None  # the choices an editor has; project_save checks the same rule for every way in
    if not request.user.has_perm("portfolio.manage_portfolio", municipality):
        lead_units = set(editable_unit_ids(request.user, municipality.pk))  # a copy: the set is cached
        if project is not None and project.lead_unit_id:
            lead_units.add(project.lead_unit_id)  # an involved unit's editor may keep the lead where it is
    form = ProjectForm(data, instance=project, municipality=municipality, lead_units=lead_units)
    formsets = child_formsets(data, project, municipality)
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        m2m = {n: form.cleaned_data[n] for n in ("involved_units", "further_fields", "goals", "shared_with")}
        m2m["tags"] = services.tags_from_text(municipality, form.cleaned_data["tag_text"])
        try:
            project = services.project_save(
                project,
                user=request.user,
                municipality=municipality,
                data=form.model_data(),
                m2m=m2m,
                children={name: formset_rows(fs) for name, fs in formsets.items()},
                expected_version=form.expected_version() if project else None,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("„%(p)s“ wurde gespeichert.") % {"p": project})
            return redirect(_url("project", municipality, pk=project.pk))
    return render(
        request,
        "portfolio/project_form.html",
        {
            "municipality": municipality,
            "project": project,
            "form": form,
            "formsets": formsets,
            "back_url": _url("project", municipality, pk=project.pk) if project else _url("list", municipality),
        },
    )


def project_delete(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    project = _project(request, pk)
    require(request, "portfolio.delete_project", project)
    return confirm_delete(
        request,
        project,
        delete=lambda version: versioned_delete(project, user=request.user, expected_version=version),
        back_url=_url("project", municipality, pk=project.pk),
        done_url=_url("list", municipality),
    )


def project_history(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    project = _project(request, pk)
    require(request, "portfolio.view_history", project)
    return render_history(
        request,
        obj=project,
        title=_("Verlauf: %(name)s") % {"name": project},
        back_url=_url("project", municipality, pk=project.pk),
        can_restore=request.user.has_perm("portfolio.restore_version", project),
    )


def project_scores(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    project = _project(request, pk)
    require(request, "portfolio.change_project", project)
    _read_only(project)
    criteria = selectors.criteria_of(municipality)
    existing = {s.criterion_id: s for s in project.scores.all()}
    data = request.POST if request.method == "POST" else None
    rows = [
        (
            c,
            ScoreForm(
                data,
                prefix=f"c{c.pk}",
                initial={"score": existing[c.pk].score, "justification": existing[c.pk].justification}
                if c.pk in existing
                else None,
            ),
        )
        for c in criteria
    ]
    version = project.version
    error = None
    if data is not None and all(f.is_valid() for _c, f in rows):
        try:
            version = posted_version(data)
            services.scores_save(
                project,
                user=request.user,
                expected_version=version,
                rows={c.pk: (f.cleaned_data["score"], f.cleaned_data["justification"]) for c, f in rows},
            )
        except EditConflict as conflict:
            error = str(conflict)
            version = getattr(conflict.instance, "version", version)
        except ValidationError as invalid:
            error = invalid.messages[0]
        else:
            messages.success(request, _("Die Bewertung von „%(p)s“ wurde gespeichert.") % {"p": project.title})
            return redirect(_url("project", municipality, pk=project.pk) + "#priority")
    return render(
        request,
        "portfolio/project_scores.html",
        {"municipality": municipality, "project": project, "rows": rows, "version": version, "error": error},
    )


# ---------------------------------------------------------------- prioritisation and capacity


def _what_if_weights(request: HttpRequest, criteria: list[PriorityCriterion]) -> dict[int, int]:
    weights = {}
    for c in criteria:
        raw = request.GET.get(f"w{c.pk}")
        if raw is not None and raw.isdigit():
            weights[c.pk] = min(10, int(raw))
    return weights


def priorities(request: TenantRequest) -> HttpResponse:
    """The ranking with its reasons, and a what-if: weights from the URL change the picture, nothing is saved."""
    municipality = request.municipality
    require(request, "portfolio.view_priorities", municipality)
    form, qs = _filtered(request)
    criteria = selectors.criteria_of(municipality)
    weights = _what_if_weights(request, criteria)
    _criteria, shown, total = selectors.ranking(
        qs.exclude(status__in=selectors.CLOSED_STATUSES), municipality, weights, limit=RANKING_LIMIT
    )
    scored = [r for r in shown if r.priority is not None]
    matrix = bubble_matrix(
        _("Nutzen und Aufwand (Blasengröße: geplantes Budget)"),
        [
            Bubble(
                r.project.title,
                r.effort,
                r.value,
                float(r.budget) or 1.0,
                _url("project", municipality, pk=r.project.pk),
                key=r.project.key,
            )
            for r in scored
        ],
        x_label=_("Aufwand →"),
        y_label=_("Nutzen →"),
        quadrants=[
            _("Großer Nutzen, wenig Aufwand"),
            _("Großer Nutzen, viel Aufwand"),
            _("Wenig Aufwand, wenig Nutzen"),
            _("Viel Aufwand, wenig Nutzen"),
        ],
    )
    changed = {c.pk for c in criteria if weights.get(c.pk, c.weight) != c.weight}
    context = {
        "municipality": municipality,
        "filter_form": form,
        "criteria": [(c, weights.get(c.pk, c.weight)) for c in criteria],
        "ranked": shown,
        "ranked_total": total,
        "matrix": matrix,
        "scored": scored,
        "what_if": bool(changed),
        # The list filters travel with the what-if form, so both narrow the same picture.
        "filter_params": [(k, v) for k, values in request.GET.lists() if not k.startswith("w") for v in values],
        "can_manage": request.user.has_perm("portfolio.manage_portfolio", municipality),
    }
    return page_or_partial(request, "portfolio/priorities.html", "portfolio/partials/priority_results.html", context)


def criteria(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "portfolio.manage_portfolio", municipality)
    items = selectors.criteria_of(municipality)
    if request.method == "POST" and request.POST.get("action") == "defaults":
        created = services.default_criteria(user=request.user, municipality=municipality)
        messages.success(
            request,
            ngettext("%(n)s Standardkriterium angelegt.", "%(n)s Standardkriterien angelegt.", len(created))
            % {"n": len(created)},
        )
        return redirect(_url("criteria", municipality))
    error = None
    if request.method == "POST" and request.POST.get("action") == "weights":
        try:
            rows = {
                c.pk: (int(request.POST[f"w{c.pk}"]), int(request.POST[f"v{c.pk}"]))
                for c in items
                if f"w{c.pk}" in request.POST
            }
            if any(not 0 <= w <= 10 for w, _v in rows.values()):
                raise ValueError
            services.weights_save(user=request.user, municipality=municipality, rows=rows)
        except (KeyError, ValueError):
            error = _("Gewichte müssen ganze Zahlen von 0 bis 10 sein.")
        except EditConflict as conflict:
            error = str(conflict)
        else:
            messages.success(request, _("Die Gewichte wurden gespeichert."))
            return redirect(_url("priorities", municipality))
    return render(
        request,
        "portfolio/criteria.html",
        {"municipality": municipality, "criteria": items, "error": error},
    )


def criterion_form(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    require(request, "portfolio.manage_portfolio", municipality)
    criterion = get_for_user(request, PriorityCriterion, municipality=municipality, pk=pk) if pk else None
    form = CriterionForm(request.POST or None, instance=criterion)
    saved = save_versioned_form(request, form, instance=criterion, extra={"municipality": municipality})
    if saved:
        messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": saved})
        return redirect(_url("criteria", municipality))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Kriterium bearbeiten") if criterion else _("Kriterium anlegen"),
            "back_url": _url("criteria", municipality),
        },
    )


def capacity(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "portfolio.view_capacity", municipality)
    can_manage = request.user.has_perm("portfolio.manage_portfolio", municipality)
    form = CapacityForm(request.POST or None, initial={"year": date.today().year})
    if request.method == "POST":
        if not can_manage:
            require(request, "portfolio.manage_portfolio", municipality)
            return redirect(_url("capacity", municipality))
        if form.is_valid():
            services.capacity_save(user=request.user, municipality=municipality, **form.cleaned_data)
            messages.success(request, _("Die Kapazität für %(year)s wurde gespeichert.") % form.cleaned_data)
            return redirect(_url("capacity", municipality))
    rows = selectors.capacity(municipality)
    return render(
        request,
        "portfolio/capacity.html",
        {
            "municipality": municipality,
            "rows": rows,
            "warnings": [r for r in rows if r.staff_over or r.budget_over],
            "form": form,
            "can_manage": can_manage,
            "chart": grouped_bars(
                _("Personal: verfügbar und benötigt (VZÄ)"),
                [str(r.year) for r in rows],
                [
                    (_("verfügbar"), [float(r.staff_available) for r in rows]),
                    (_("benötigt"), [float(r.staff_demand) for r in rows]),
                ],
                axis=_("VZÄ"),
            ),
        },
    )


# ---------------------------------------------------------------- import


def project_import(request: TenantRequest) -> HttpResponse:
    """Upload: the file is kept and queued for its check; the job's page shows the preview."""
    municipality = request.municipality
    require(request, "portfolio.import_projects", municipality)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_jobs.start(
            user=request.user, municipality=municipality, data=upload.read(importer.MAX_BYTES + 1), filename=upload.name
        )
        return redirect(_url("import_job", municipality, pk=job.pk))
    jobs = ImportJob.objects.restrict(request.user, municipality).select_related("created_by")[:5]
    return render(request, "portfolio/import.html", {"municipality": municipality, "form": form, "jobs": jobs})


def import_job(request: TenantRequest, pk: int) -> HttpResponse:
    """An import's progress, its preview with every error, the confirmation and the outcome. While a task
    works on it, HTMX asks again every two seconds (without JavaScript, a link does)."""
    municipality = request.municipality
    require(request, "portfolio.import_projects", municipality)
    job = get_for_user(request, ImportJob.objects.select_related("created_by"), municipality=municipality, pk=pk)
    if request.method == "POST":
        try:
            import_jobs.confirm(job, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_url("import_job", municipality, pk=job.pk))
    context = {
        "municipality": municipality,
        "job": job,
        "result": job.preview,
        "mine": job.created_by_id == request.user.pk,
    }
    template = "portfolio/partials/import_job.html" if getattr(request, "htmx", False) else "portfolio/import_job.html"
    return render(request, template, context)


# ---------------------------------------------------------------- status reports


def _light_chart(project: Project, reports: list[Any]) -> Any:
    from lotse.core.charts import light_history

    dims = [str(_("Zeitplan")), str(_("Budget")), str(_("Umfang"))]
    points = [(r.reported_on, [(v, label) for _d, v, label in r.lights()]) for r in reversed(reports[:12])]
    return light_history(_("Ampeln von %(title)s über die Zeit") % {"title": project.title}, dims, points)


def status_report(request: TenantRequest, pk: int) -> HttpResponse:
    """A project's status reports: the history with its chart, and (for those who may edit it) a new one."""
    municipality = request.municipality
    project = _project(request, pk)
    require(request, "portfolio.view_priorities", municipality)
    can_report = request.user.has_perm("portfolio.change_project", project) and not project.source_url
    last = project.status_reports.first()
    initial: dict[str, Any] = {"reported_on": date.today()}
    if last is not None:
        initial.update({"schedule": last.schedule, "budget": last.budget, "scope": last.scope})
    form = StatusReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            services.status_report_add(project, user=request.user, data=form.cleaned_data)
            messages.success(request, _("Danke! Der Statusbericht ist gespeichert."))
            return redirect(_url("status_report", municipality, pk=project.pk))
    reports = list(project.status_reports.select_related("author"))
    context = {
        "municipality": municipality,
        "project": project,
        "reports": reports,
        "chart": _light_chart(project, reports) if reports else None,
        "form": form if can_report else None,
        "every_days": selectors.report_every_days(municipality.pk),
    }
    return render(request, "portfolio/status_reports.html", context)


def reports_overdue(request: TenantRequest) -> HttpResponse:
    """Projects owing a status report; coordinators set the cadence and send reminders."""
    municipality = request.municipality
    require(request, "portfolio.view_priorities", municipality)
    can_manage = request.user.has_perm("portfolio.manage_portfolio", municipality)
    every = selectors.report_every_days(municipality.pk)
    form = ReportingForm(
        request.POST if request.POST.get("action") == "cadence" else None, initial={"every_days": every}
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if request.POST.get("action") == "remind":
            sent = services.send_report_reminders(municipality)
            messages.success(
                request,
                ngettext("%(n)s Erinnerung verschickt.", "%(n)s Erinnerungen verschickt.", sent) % {"n": sent},
            )
            return redirect(_url("reports_overdue", municipality))
        if form.is_valid():
            services.reporting_save(
                user=request.user, municipality=municipality, every_days=form.cleaned_data["every_days"]
            )
            messages.success(request, _("Der Berichtsturnus ist gespeichert."))
            return redirect(_url("reports_overdue", municipality))
    rows = selectors.overdue_reports(Project.objects.restrict(request.user, municipality), every)
    return render(
        request,
        "portfolio/reports_overdue.html",
        {"municipality": municipality, "rows": rows, "every_days": every, "form": form, "can_manage": can_manage},
    )
