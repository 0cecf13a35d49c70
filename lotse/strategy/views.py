"""Pages of the strategy room: the strategy overview, its parts' forms, and indicator charts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lotse.core.charts import line_chart
from lotse.core.views import confirm_delete, deny, render_history, save_versioned_form
from lotse.strategy import forms, selectors, services
from lotse.strategy.models import FIELD_TEMPLATES, FieldOfAction, Goal, Indicator, IndicatorReading, Principle
from lotse.tenancy.models import Municipality

# The strategy's parts, edited with the same generic views: URL name → (model, form, singular label).
PARTS: dict[str, tuple[type, type, Any]] = {
    "principles": (Principle, forms.PrincipleForm, gettext_lazy("Leitprinzip")),
    "fields": (FieldOfAction, forms.FieldOfActionForm, gettext_lazy("Handlungsfeld")),
    "goals": (Goal, forms.GoalForm, gettext_lazy("Ziel")),
    "indicators": (Indicator, forms.IndicatorForm, gettext_lazy("Kennzahl")),
    "readings": (IndicatorReading, forms.ReadingForm, gettext_lazy("Messwert")),
}


def _m(request: HttpRequest) -> Municipality:
    return request.municipality  # type: ignore[attr-defined]


def _overview_url(municipality: Municipality, anchor: str = "") -> str:
    return reverse("strategy:overview", kwargs={"municipality": municipality.slug}) + anchor


def overview(request: HttpRequest) -> HttpResponse:
    municipality = _m(request)
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


def strategy_edit(request: HttpRequest) -> HttpResponse:
    municipality = _m(request)
    if denied := deny(request, "strategy.change_strategy", municipality):
        return denied
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


def strategy_history(request: HttpRequest) -> HttpResponse:
    municipality = _m(request)
    strategy = selectors.strategy_of(municipality)
    if strategy is None:
        raise Http404
    if denied := deny(request, "strategy.view_history", municipality):
        return denied
    return render_history(
        request,
        obj=strategy,
        title=_("Verlauf: %(name)s") % {"name": strategy.title},
        back_url=_overview_url(municipality),
        can_restore=request.user.has_perm("strategy.restore_version", municipality),
    )


@require_POST
def adopt_template(request: HttpRequest) -> HttpResponse:
    municipality = _m(request)
    if denied := deny(request, "strategy.change_strategy", municipality):
        return denied
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


def _part(request: HttpRequest, kind: str, pk: int | None) -> tuple[type, type, Any, Any]:
    if kind not in PARTS:
        raise Http404
    model, form_class, label = PARTS[kind]
    instance = get_object_or_404(model, pk=pk, municipality=_m(request)) if pk else None
    return model, form_class, label, instance


def part_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    municipality = _m(request)
    _model, form_class, label, instance = _part(request, kind, pk)
    if denied := deny(request, "strategy.change_strategy", municipality):
        return denied
    extra: dict[str, Any] = {"municipality": municipality}
    kwargs: dict[str, Any] = {} if kind in ("principles", "fields") else {"municipality": municipality}
    initial = {}
    back = _overview_url(municipality)
    if kind == "readings":
        indicator = get_object_or_404(
            Indicator,
            pk=instance.indicator_id if instance else request.GET.get("indicator") or 0,
            municipality=municipality,
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


def part_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    municipality = _m(request)
    _model, _form, _label, instance = _part(request, kind, pk)
    if denied := deny(request, "strategy.change_strategy", municipality):
        return denied
    return confirm_delete(
        request,
        instance,
        delete=lambda version: services.delete_guarded(instance, user=request.user, expected_version=version),
        back_url=_overview_url(municipality),
        done_url=_overview_url(municipality),
    )


def part_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    municipality = _m(request)
    _model, _form, _label, instance = _part(request, kind, pk)
    if denied := deny(request, "strategy.view_history", municipality):
        return denied
    return render_history(
        request,
        obj=instance,
        title=_("Verlauf: %(name)s") % {"name": instance},
        back_url=_overview_url(municipality),
        can_restore=request.user.has_perm("strategy.restore_version", municipality),
    )


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = _m(request)
    indicator = get_object_or_404(Indicator.objects.select_related("goal__field"), pk=pk, municipality=municipality)
    if not request.user.has_perm("strategy.view_strategy", selectors.strategy_of(municipality) or municipality):
        raise Http404
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
