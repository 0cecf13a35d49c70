"""Pages of the reports room: the municipality's dashboard and the council report."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.core.views import page_or_partial, require, save_versioned_form
from lotse.participation.forms import ResponseForm
from lotse.participation.selectors import running_public
from lotse.pilots.models import Programme
from lotse.portfolio.importer import MAX_BYTES as IMPORT_MAX_BYTES
from lotse.reports import council as council_service
from lotse.reports import maturity as maturity_service
from lotse.reports import revisions as revision_service
from lotse.reports import selectors
from lotse.reports import start as start_selectors
from lotse.reports import waves as wave_service
from lotse.reports.council import template_of
from lotse.reports.forms import (
    CompareForm,
    CouncilTemplateForm,
    DocumentForm,
    MaturityForm,
    PeriodForm,
    ProjectRows,
    RevisionDecisionForm,
    RevisionForm,
    WaveForm,
)
from lotse.reports.models import Revision, SurveyWave, WaveDocument
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.middleware import SESSION_KEY
from lotse.tenancy.models import Municipality, Network, OrgUnit, Role
from lotse.tenancy.selectors import municipalities_for_switcher


def home(request: HttpRequest) -> HttpResponse:
    """The site's start. Members go to the municipality they worked in last (or their only one); the platform,
    a network's or a programme's operators see what they run; everyone else the public start page."""
    user = request.user
    if user.is_authenticated:
        mine = municipalities_for_switcher(user)
        slugs = [m.slug for m, _role in mine]
        last = request.session.get(SESSION_KEY)
        if last in slugs:
            return redirect("tenancy:municipality", municipality=last)
        if len(mine) == 1 and not user.is_platform_admin:
            return redirect("tenancy:municipality", municipality=slugs[0])
        programmes = list(Programme.objects.filter(operators=user).select_related("network"))
        networks = list(Network.objects.filter(operators=user))
        if not mine and not user.is_platform_admin and len(programmes) == 1 and not networks:
            return redirect("programme:overview", slug=programmes[0].network.slug)
        context: dict[str, Any] = {"programmes": programmes, "networks": networks}
        if user.is_platform_admin:
            context["platform"] = start_selectors.platform(user)
        return render(request, "reports/home_signed_in.html", context)
    campaigns, polls = running_public()
    return render(
        request,
        "reports/home.html",
        {"campaigns": campaigns, "polls": polls, "municipality_count": Municipality.objects.count()},
    )


def start(request: TenantRequest) -> HttpResponse:
    """What this person does first in this municipality (loaded into its home page; a page of its own too)."""
    municipality = request.municipality
    require(request, "reports.view_start", municipality)
    s = start_selectors.start(municipality, request.user)
    context: dict[str, Any] = {"municipality": municipality, "s": s}
    admin = getattr(request.user, "is_platform_admin", False)
    if (s.role in (Role.COORDINATOR, Role.READER) or admin) and not s.steps_open:
        context["d"] = selectors.dashboard(municipality, request.user)
    return page_or_partial(request, "reports/start.html", "reports/partials/start.html", context)


def dashboard(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    context = {"municipality": municipality, "d": selectors.dashboard(municipality, request.user)}
    return page_or_partial(request, "reports/dashboard.html", "reports/partials/dashboard.html", context)


def council(request: TenantRequest) -> HttpResponse:
    """The council report: choose the year, download PDF or Excel; coordinators edit the texts."""
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
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


def council_file(request: TenantRequest, year: int, fmt: str) -> HttpResponse:
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    if not 2000 <= year <= 2100 or fmt not in ("pdf", "xlsx"):
        raise Http404
    if fmt == "pdf":
        content, kind = council_service.render_pdf(municipality, year, request.LANGUAGE_CODE), "application/pdf"
    else:
        content = council_service.render_xlsx(municipality, year, request.LANGUAGE_CODE)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=kind)
    name = "sachstandsbericht" if fmt == "pdf" else "sachstandsbericht-anlage"
    response["Content-Disposition"] = f'attachment; filename="{name}-{municipality.slug}-{year}.{fmt}"'
    return response


def council_template(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "reports.edit_template", municipality)
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


def revisions(request: TenantRequest) -> HttpResponse:
    """The yearly revisions: freeze today's strategy and portfolio with the council's decision; list them."""
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    can_freeze = request.user.has_perm("reports.freeze_revision", municipality)
    form = RevisionForm(
        request.POST or None,
        initial={"frozen_on": date.today(), "title": _("Fortschreibung %(year)s") % {"year": date.today().year}},
    )
    if request.method == "POST":
        if not can_freeze:
            raise PermissionDenied
        if form.is_valid():
            revision = revision_service.freeze(user=request.user, municipality=municipality, data=form.cleaned_data)
            messages.success(request, _("„%(title)s“ ist eingefroren.") % {"title": revision.title})
            return redirect(reverse("reports:revisions", kwargs={"municipality": municipality.slug}))
    items = list(Revision.objects.restrict(request.user, municipality).defer("snapshot"))
    return render(
        request,
        "reports/revisions.html",
        {"municipality": municipality, "revisions": items, "form": form if can_freeze else None},
    )


def revision_edit(request: TenantRequest, pk: int) -> HttpResponse:
    """A revision is frozen before the council decides; its decision is recorded here afterwards."""
    municipality = request.municipality
    require(request, "reports.freeze_revision", municipality)
    revision = get_for_user(request, Revision.objects.defer("snapshot"), municipality=municipality, pk=pk)
    form = RevisionDecisionForm(request.POST or None, instance=revision)
    if save_versioned_form(request, form, instance=revision) is not None:
        messages.success(request, _("„%(title)s“ wurde gespeichert.") % {"title": form.instance.title})
        return redirect(reverse("reports:revisions", kwargs={"municipality": municipality.slug}))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Beschluss zu „%(title)s“") % {"title": revision.title},
            "back_url": reverse("reports:revisions", kwargs={"municipality": municipality.slug}),
        },
    )


def compare(request: TenantRequest) -> HttpResponse:
    """Any two versions side by side (`a`, `b`: a revision's id or "today")."""
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    items = {str(r.pk): r for r in Revision.objects.restrict(request.user, municipality)}
    choices = [("today", revision_service.today_label())] + [
        (pk, f"{r.title} ({r.frozen_on:%d.%m.%Y})") for pk, r in items.items()
    ]
    default_a = next(iter(items), "today")
    form = CompareForm(request.GET or {"a": default_a, "b": "today"}, choices=choices)
    comparison = labels = None
    if form.is_valid():

        def version(key: str) -> tuple[dict[str, Any], str]:
            if key == "today":
                return revision_service.snapshot(municipality), revision_service.today_label()
            r = items[key]
            return r.snapshot, f"{r.title} ({r.frozen_on:%d.%m.%Y})"

        (before, label_a), (after, label_b) = version(form.cleaned_data["a"]), version(form.cleaned_data["b"])
        comparison, labels = revision_service.compare(before, after), (label_a, label_b)
    return render(
        request,
        "reports/compare.html",
        {"municipality": municipality, "form": form, "comparison": comparison, "labels": labels},
    )


def maturity(request: TenantRequest) -> HttpResponse:
    """Every unit's latest self-assessment, the municipality's average and, anonymised, the network's."""
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    mine = maturity_service.municipality_average(municipality)
    network = maturity_service.network_average(municipality)
    series = [(municipality.name, mine)]
    if network is not None:
        series.append(
            (_("Durchschnitt von %(n)s Kommunen im Netzwerk") % {"n": network.municipalities}, network.values)
        )
    context = {
        "municipality": municipality,
        "rows": maturity_service.overview(municipality),
        "labels": maturity_service.labels(),
        "chart": maturity_service.radar_for(_("Reifegrad im Mittel der Einheiten"), series) if mine else None,
        "network": network,
        "min_peers": maturity_service.MIN_PEERS,
    }
    return render(request, "reports/maturity.html", context)


def maturity_unit(request: TenantRequest, pk: int) -> HttpResponse:

    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    unit = get_for_user(request, OrgUnit, municipality=municipality, pk=pk)
    can_assess = request.user.has_perm("reports.assess_unit", unit)
    form = MaturityForm(request.POST or None, initial={"assessed_on": date.today()})
    if request.method == "POST":
        if not can_assess:
            raise PermissionDenied
        if form.is_valid():
            maturity_service.assess(user=request.user, unit=unit, data=form.cleaned_data)
            messages.success(request, _("Die Selbsteinschätzung ist gespeichert."))
            return redirect(reverse("reports:maturity_unit", kwargs={"municipality": municipality.slug, "pk": unit.pk}))
    past = maturity_service.history(unit)
    series = [(f"{a.assessed_on:%d.%m.%Y}", [float(v) for v in a.values()]) for a in past[-3:]]
    context = {
        "municipality": municipality,
        "unit": unit,
        "history": list(reversed(past)),
        "labels": maturity_service.labels(),
        "chart": maturity_service.radar_for(_("Reifegrad von %(unit)s über die Zeit") % {"unit": unit}, series)
        if past
        else None,
        "form": form if can_assess else None,
    }
    return render(request, "reports/maturity_unit.html", context)


# --- the status-quo survey in waves --------------------------------------------------------------------------


def _wave(request: TenantRequest, pk: int) -> Any:

    return get_for_user(request, SurveyWave, municipality=request.municipality, pk=pk)


def waves(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    can_manage = request.user.has_perm("reports.manage_waves", municipality)
    action = request.POST.get("action")
    form = WaveForm(request.POST if action == "wave" else None, municipality=municipality)
    document_form = DocumentForm(
        request.POST if action == "document" else None,
        request.FILES if action == "document" else None,
        prefix="material",  # the wave form on the same page has a title field too
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        wave = save_versioned_form(request, form, extra={"municipality": municipality}) if action == "wave" else None
        if wave is not None:
            messages.success(request, _("Die Staffel „%(title)s“ ist angelegt.") % {"title": wave.title})
            return redirect(reverse("reports:wave", kwargs={"municipality": municipality.slug, "pk": wave.pk}))
        if action == "document" and document_form.is_valid():
            doc = wave_service.add_document(municipality, user=request.user, **document_form.cleaned_data)
            messages.success(request, _("„%(doc)s“ ist hochgeladen.") % {"doc": doc})
            return redirect(reverse("reports:waves", kwargs={"municipality": municipality.slug}))
    items = [(w, wave_service.progress(w)) for w in SurveyWave.objects.restrict(request.user, municipality)]
    return render(
        request,
        "reports/waves.html",
        {
            "municipality": municipality,
            "waves": [(w, sum(1 for p in rows if p.state != "open"), len(rows)) for w, rows in items],
            "documents": WaveDocument.objects.restrict(request.user, municipality),
            "form": form if can_manage else None,
            "document_form": document_form if can_manage else None,
        },
    )


def wave_document(request: TenantRequest, pk: int) -> HttpResponse | FileResponse:
    """Workshop material is internal: served by Lotse after the permission check, never straight from /media/."""
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    document = get_for_user(request, WaveDocument, municipality=municipality, pk=pk)
    suffix = document.file.name.rsplit(".", 1)[-1].lower()
    name = f"{slugify(document.title)}-v{document.number}.{suffix}"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


def wave_edit(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    require(request, "reports.manage_waves", municipality)
    wave = _wave(request, pk)
    form = WaveForm(request.POST or None, instance=wave, municipality=municipality)
    if save_versioned_form(request, form, instance=wave) is not None:
        messages.success(request, _("„%(title)s“ wurde gespeichert.") % {"title": form.instance.title})
        return redirect(reverse("reports:wave", kwargs={"municipality": municipality.slug, "pk": wave.pk}))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("Staffel bearbeiten"),
            "back_url": reverse("reports:wave", kwargs={"municipality": municipality.slug, "pk": wave.pk}),
        },
    )


def wave_detail(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    wave = _wave(request, pk)
    can_manage = request.user.has_perm("reports.manage_waves", municipality)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if request.POST.get("action") == "remind":
            sent = wave_service.remind(wave)
            messages.success(
                request, ngettext("%(n)s Erinnerung verschickt.", "%(n)s Erinnerungen verschickt.", sent) % {"n": sent}
            )
        else:
            submission = wave.submissions.filter(pk=request.POST.get("submission") or 0).first()
            try:
                if submission is None:
                    raise ValidationError(_("Diese Rückmeldung gibt es nicht."))
                saved = wave_service.review(submission, user=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    ngettext("%(n)s Vorhaben ist im Portfolio.", "%(n)s Vorhaben sind im Portfolio.", len(saved))
                    % {"n": len(saved)},
                )
        return redirect(reverse("reports:wave", kwargs={"municipality": municipality.slug, "pk": wave.pk}))
    return render(
        request,
        "reports/wave.html",
        {
            "municipality": municipality,
            "wave": wave,
            "rows": wave_service.progress(wave),
            "can_manage": can_manage,
            "today": date.today(),
        },
    )


def wave_unit(request: TenantRequest, pk: int, unit: int) -> HttpResponse:
    """A unit's answer: the questionnaire and its list of digital projects."""

    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    wave = _wave(request, pk)
    org_unit = get_object_or_404(wave.units.all(), pk=unit)
    can_answer = request.user.has_perm("reports.assess_unit", org_unit)
    submission = wave.submissions.filter(org_unit=org_unit).first()
    data = request.POST if request.method == "POST" and request.POST.get("action") != "excel" else None
    questions = None
    if wave.questionnaire is not None:
        initial = {f"q{k}": v for k, v in (submission.answers if submission else {}).items()}
        questions = ResponseForm(data, poll=wave.questionnaire, citizen=False, guard=False, initial=initial, prefix="a")
        questions.fields.pop("consent", None)
    rows = ProjectRows(data, initial=(submission.projects if submission else []), prefix="p")
    excel_errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "excel":
        upload = request.FILES.get("file")
        if not can_answer:
            raise PermissionDenied
        try:
            if upload is None:
                raise ValidationError(_("Bitte eine Datei wählen."))
            # At most one byte past the limit is read: the importer refuses the file as too large.
            table = wave_service.rows_from_excel(upload.read(IMPORT_MAX_BYTES + 1), upload.name or "", municipality)
            wave_service.submit(
                wave, org_unit, user=request.user, answers=submission.answers if submission else {}, rows=table
            )
        except ValidationError as error:
            excel_errors = error.messages
        else:
            messages.success(request, _("Danke! Die Rückmeldung von %(unit)s ist eingegangen.") % {"unit": org_unit})
            return redirect(reverse("reports:wave", kwargs={"municipality": municipality.slug, "pk": wave.pk}))
    elif request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if (questions is None or questions.is_valid()) and rows.is_valid():
            answers = {str(q.pk): v for q, v in questions.answers().items()} if questions is not None else {}
            try:
                wave_service.submit(
                    wave, org_unit, user=request.user, answers=answers, rows=[r for r in rows.cleaned_data if r]
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request, _("Danke! Die Rückmeldung von %(unit)s ist eingegangen.") % {"unit": org_unit}
                )
                return redirect(reverse("reports:wave", kwargs={"municipality": municipality.slug, "pk": wave.pk}))
    return render(
        request,
        "reports/wave_unit.html",
        {
            "municipality": municipality,
            "wave": wave,
            "unit": org_unit,
            "questions": questions,
            "rows": rows,
            "submission": submission,
            "can_answer": can_answer and not (submission and submission.reviewed_at),
            "excel_errors": excel_errors,
        },
    )


def concept(request: TenantRequest, unit: int) -> HttpResponse:
    """A unit's live Digitalisierungskonzept."""

    municipality = request.municipality
    require(request, "reports.view_dashboard", municipality)
    org_unit = get_for_user(request, OrgUnit, municipality=municipality, pk=unit)
    return render(
        request,
        "reports/concept.html",
        {"municipality": municipality, "unit": org_unit, **wave_service.concept(org_unit)},
    )
