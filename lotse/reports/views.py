"""Pages of the reports room: the municipality's dashboard and the council report."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core.views import deny, page_or_partial, save_versioned_form
from lotse.reports import selectors


def dashboard(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "reports.view_dashboard", municipality):
        return denied
    context = {"municipality": municipality, "d": selectors.dashboard(municipality, request.user)}
    return page_or_partial(request, "reports/dashboard.html", "reports/partials/dashboard.html", context)


def council(request: HttpRequest) -> HttpResponse:
    """The council report: choose the year, download PDF or Excel; coordinators edit the texts."""
    from lotse.reports.council import template_of
    from lotse.reports.forms import PeriodForm

    municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "reports.view_dashboard", municipality):
        return denied
    form = PeriodForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() else date.today().year
    context = {
        "municipality": municipality,
        "form": form,
        "year": year,
        "template": template_of(municipality),
        "can_edit": request.user.has_perm("reports.edit_template", municipality),
    }
    return render(request, "reports/council.html", context)


def council_file(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    from lotse.reports import council

    municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "reports.view_dashboard", municipality):
        return denied
    if not 2000 <= year <= 2100 or fmt not in ("pdf", "xlsx"):
        raise Http404
    if fmt == "pdf":
        content, kind = council.render_pdf(municipality, year), "application/pdf"
    else:
        content = council.render_xlsx(municipality, year)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=kind)
    name = "sachstandsbericht" if fmt == "pdf" else "sachstandsbericht-anlage"
    response["Content-Disposition"] = f'attachment; filename="{name}-{municipality.slug}-{year}.{fmt}"'
    return response


def council_template(request: HttpRequest) -> HttpResponse:
    from lotse.reports.council import template_of
    from lotse.reports.forms import CouncilTemplateForm

    municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "reports.edit_template", municipality):
        return denied
    template = template_of(municipality)
    form = CouncilTemplateForm(request.POST or None, instance=template if template.pk else None)
    saved = save_versioned_form(
        request, form, instance=template if template.pk else None, extra={"municipality": municipality}
    )
    if saved is not None:
        messages.success(request, _("Die Vorlage ist gespeichert."))
        return redirect(reverse("reports:council", kwargs={"municipality": municipality.slug}))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Vorlage des Sachstandsberichts"),
            "back_url": reverse("reports:council", kwargs={"municipality": municipality.slug}),
        },
    )
