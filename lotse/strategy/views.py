"""Pages of the strategy room: the strategy overview, its parts' forms, and indicator charts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lotse.core.charts import line_chart
from lotse.core.forms import id_param
from lotse.core.views import confirm_delete, render_history, require, save_versioned_form
from lotse.strategy import forms, selectors, services
from lotse.strategy.models import FIELD_TEMPLATES, FieldOfAction, Goal, Indicator, IndicatorReading, Principle
from lotse.tenancy.access import get_for_user
from lotse.tenancy.http import TenantRequest
from lotse.tenancy.models import Municipality

# The strategy's parts, edited with the same generic views: URL name → (model, form, singular label).
PARTS: dict[str, tuple[type, type, Any]] = {
    "principles": (Principle, forms.PrincipleForm, gettext_lazy("Leitprinzip")),
    "fields": (FieldOfAction, forms.FieldOfActionForm, gettext_lazy("Handlungsfeld")),
    "goals": (Goal, forms.GoalForm, gettext_lazy("Ziel")),
    "indicators": (Indicator, forms.IndicatorForm, gettext_lazy("Kennzahl")),
    "readings": (IndicatorReading, forms.ReadingForm, gettext_lazy("Messwert")),
}


def _overview_url(municipality: Municipality, anchor: str = "") -> str:
    return reverse("strategy:overview", kwargs={"municipality": municipality.slug}) + anchor


def overview(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    strategy = selectors.strategy_of(municipality)
    if not request.user.has_perm("strategy.view_strategy", strategy or municipality):
        return render(request, "strategy/not_published.html", {"municipality": municipality})
    return render(
        request,
        "strategy/overview.html",
        {
            "municipality": municipality,
            "strategy": strategy,
            "principles": selectors.principles_of(municipality),
            "tree": selectors.strategy_tree(municipality),
            "can_change": request.user.has_perm("strategy.change_strategy", municipality),
            "can_history": request.user.has_perm("strategy.view_history", municipality),
            "templates": FIELD_TEMPLATES,
        },
    )


def strategy_edit(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "strategy.change_strategy", municipality)
    strategy = selectors.strategy_of(municipality)
    form = forms.StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and strategy is None and form.is_valid():
        services.strategy_create(user=request.user, municipality=municipality, data=form.model_data())
        saved: Any = True
    else:
        saved = save_versioned_form(request, form, instance=strategy)
    if saved:
        messages.success(request, _("Die Strategie wurde gespeichert."))
        return redirect(_overview_url(municipality))
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": _("Strategie und Leitbild"), "back_url": _overview_url(municipality)},
    )


def strategy_history(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    strategy = selectors.strategy_of(municipality)
    if strategy is None:
        raise Http404
    require(request, "strategy.view_history", municipality)
    return render_history(
        request,
        obj=strategy,
        title=_("Verlauf: %(name)s") % {"name": strategy.title},
        back_url=_overview_url(municipality),
        can_restore=request.user.has_perm("strategy.restore_version", municipality),
    )


@require_POST
def adopt_template(request: TenantRequest) -> HttpResponse:
    municipality = request.municipality
    require(request, "strategy.change_strategy", municipality)
    try:
        created = services.fields_from_template(
            user=request.user, municipality=municipality, template=request.POST.get("template", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            ngettext("%(n)s Handlungsfeld übernommen.", "%(n)s Handlungsfelder übernommen.", len(created))
            % {"n": len(created)},
        )
    return redirect(_overview_url(municipality, "#fields"))


def _part(request: TenantRequest, kind: str, pk: int | None) -> tuple[type, type, Any, Any]:
    if kind not in PARTS:
        raise Http404
    model, form_class, label = PARTS[kind]
    instance = get_for_user(request, model, municipality=request.municipality, pk=pk) if pk else None
    return model, form_class, label, instance


def part_form(request: TenantRequest, kind: str, pk: int | None = None) -> HttpResponse:
    municipality = request.municipality
    _model, form_class, label, instance = _part(request, kind, pk)
    require(request, "strategy.change_strategy", municipality)
    extra: dict[str, Any] = {"municipality": municipality}
    kwargs: dict[str, Any] = {} if kind in ("principles", "fields") else {"municipality": municipality}
    initial = {}
    back = _overview_url(municipality)
    if kind == "readings":
        indicator = get_for_user(
            request,
            Indicator,
            municipality=municipality,
            pk=instance.indicator_id if instance else id_param(request.GET.get("indicator")) or 0,
        )
        extra["indicator"] = indicator
        back = reverse("strategy:indicator", kwargs={"municipality": municipality.slug, "pk": indicator.pk})
    elif instance is None and kind in ("goals", "indicators"):
        # "Ziel anlegen" under a field (or "Kennzahl" under a goal) preselects it; an edit keeps the record's own.
        parent = "field" if kind == "goals" else "goal"
        if request.GET.get(parent):
            initial[parent] = request.GET[parent]
    form = form_class(request.POST or None, instance=instance, initial=initial, **kwargs)
    saved = save_versioned_form(request, form, instance=instance, extra=extra)
    if saved:
        messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": saved})
        return redirect(back if kind == "readings" else _overview_url(municipality, f"#{kind}"))
    title = _("%(kind)s bearbeiten") % {"kind": label} if instance else _("%(kind)s anlegen") % {"kind": label}
    return render(request, "components/form_page.html", {"form": form, "title": title, "back_url": back})


def part_delete(request: TenantRequest, kind: str, pk: int) -> HttpResponse:
    municipality = request.municipality
    _model, _form, _label, instance = _part(request, kind, pk)
    require(request, "strategy.change_strategy", municipality)
    return confirm_delete(
        request,
        instance,
        delete=lambda version: services.delete_guarded(instance, user=request.user, expected_version=version),
        back_url=_overview_url(municipality),
        done_url=_overview_url(municipality),
    )


def part_history(request: TenantRequest, kind: str, pk: int) -> HttpResponse:
    municipality = request.municipality
    _model, _form, _label, instance = _part(request, kind, pk)
    require(request, "strategy.view_history", municipality)
    return render_history(
        request,
        obj=instance,
        title=_("Verlauf: %(name)s") % {"name": instance},
        back_url=_overview_url(municipality),
        can_restore=request.user.has_perm("strategy.restore_version", municipality),
    )


def indicator_detail(request: TenantRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    indicator = get_for_user(request, Indicator.objects.select_related("goal__field"), municipality=municipality, pk=pk)
    readings = list(indicator.readings.order_by("measured_on"))
    unit = f" {indicator.unit}" if indicator.unit else ""
    chart = line_chart(
        _("Verlauf der Kennzahl „%(name)s“") % {"name": indicator.name},
        [(r.measured_on, float(r.value)) for r in readings],
        baseline=float(indicator.baseline),
        target=float(indicator.target),
        unit=unit,
    )
    chart.headers = [_("Stichtag"), _("Wert")]
    latest = readings[-1] if readings else None
    return render(
        request,
        "strategy/indicator_detail.html",
        {
            "municipality": municipality,
            "indicator": indicator,
            "readings": readings,
            "chart": chart,
            "progress": indicator.progress(latest.value if latest else None),
            "can_change": request.user.has_perm("strategy.change_strategy", municipality),
        },
    )
