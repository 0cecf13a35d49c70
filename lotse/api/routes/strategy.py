"""Goals with their indicators and readings: read; the coordination creates and changes goals and indicators
(version-checked) and adds readings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as Reply

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import SLUG
from lotse.core.services import versioned_create, versioned_update
from lotse.strategy.models import FieldOfAction, Goal, Indicator, IndicatorReading
from lotse.tenancy.models import Municipality

router = Router(tags=["Ziele und Kennzahlen"])
ID = Path(..., ge=1, le=2_147_483_647)
READINGS: Any = Prefetch("readings", IndicatorReading.objects.order_by("measured_on"))


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "id": i.pk,
        "version": i.version,
        "name": i.name,
        "unit": i.unit,
        "baseline": i.baseline,
        "target": i.target,
        "due_date": i.due_date,
        "readings": [{"measured_on": r.measured_on, "value": r.value, "note": r.note} for r in i.readings.all()],
    }


def _reloaded(user: Any, town: Municipality, indicator: Indicator) -> Indicator:
    return Indicator.objects.restrict(user, town).prefetch_related(READINGS).get(pk=indicator.pk)


def _goals(user: Any, town: Municipality) -> QuerySet[Goal]:
    indicators = Indicator.objects.restrict(user, town).order_by("pk").prefetch_related(READINGS)
    return (
        Goal.objects.restrict(user, town)
        .select_related("field")
        .prefetch_related(Prefetch("indicators", indicators))
        .order_by("field__position", "position", "pk")
    )


def _goal(g: Goal) -> dict[str, Any]:
    return {
        "id": g.pk,
        "version": g.version,
        "title": g.title,
        "description": g.description,
        "field_id": g.field_id,
        "field": g.field.name,
        "indicators": [_indicator(i) for i in g.indicators.all()],
    }


def _field(user: Any, town: Municipality, data: dict[str, Any]) -> None:
    if "field_id" in data:
        field = FieldOfAction.objects.restrict(user, town).filter(pk=data.pop("field_id")).first()
        if field is None:
            raise ValidationError({"field_id": _("Gibt es in dieser Kommune nicht.")})
        data["field"] = field


def _writer(request: HttpRequest, slug: str) -> Municipality:
    need_write(request)
    town = municipality(slug)
    need(request, "strategy.view_strategy", town)
    need(request, "strategy.change_strategy", town)
    return town


@router.get("/municipalities/{slug}/goals", response={200: s.GoalPage, **ERRORS})
def goal_list(request: HttpRequest, pages: Query[s.PageParams], slug: str = SLUG) -> dict[str, Any]:
    """Die Ziele der Strategie je Handlungsfeld, mit Kennzahlen und Messwerten (älteste zuerst)."""
    town = municipality(slug)
    need(request, "strategy.view_strategy", town)
    count, items = page(_goals(request.user, town), pages)
    return {"count": count, "items": [_goal(g) for g in items]}


@router.post("/municipalities/{slug}/goals", response={201: s.GoalOut, **WRITE_ERRORS})
def goal_create(request: HttpRequest, payload: s.GoalIn, slug: str = SLUG) -> Reply[dict[str, Any]]:
    town = _writer(request, slug)
    data = payload.dict()
    _field(request.user, town, data)
    goal = versioned_create(Goal, user=request.user, data={**data, "municipality": town})
    return Reply(201, _goal(_goals(request.user, town).get(pk=goal.pk)))


@router.patch("/municipalities/{slug}/goals/{goal_id}", response={200: s.GoalOut, **WRITE_ERRORS})
def goal_update(request: HttpRequest, payload: s.GoalPatch, slug: str = SLUG, goal_id: int = ID) -> dict[str, Any]:
    town = _writer(request, slug)
    goal = get_object_or_404(Goal.objects.restrict(request.user, town), pk=goal_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _field(request.user, town, data)
    if "title" in data and not (data["title"] or "").strip():
        raise ValidationError({"title": _("Bitte geben Sie einen Titel an.")})
    versioned_update(goal, user=request.user, expected_version=version, data=data)
    return _goal(_goals(request.user, town).get(pk=goal.pk))


@router.post("/municipalities/{slug}/goals/{goal_id}/indicators", response={201: s.IndicatorOut, **WRITE_ERRORS})
def indicator_create(
    request: HttpRequest, payload: s.IndicatorIn, slug: str = SLUG, goal_id: int = ID
) -> Reply[dict[str, Any]]:
    town = _writer(request, slug)
    goal = get_object_or_404(Goal.objects.restrict(request.user, town), pk=goal_id)
    indicator = versioned_create(
        Indicator, user=request.user, data={**payload.dict(), "goal": goal, "municipality": town}
    )
    return Reply(201, _indicator(_reloaded(request.user, town, indicator)))


@router.patch("/municipalities/{slug}/indicators/{indicator_id}", response={200: s.IndicatorOut, **WRITE_ERRORS})
def indicator_update(
    request: HttpRequest, payload: s.IndicatorPatch, slug: str = SLUG, indicator_id: int = ID
) -> dict[str, Any]:
    town = _writer(request, slug)
    indicator = get_object_or_404(Indicator.objects.restrict(request.user, town), pk=indicator_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for required in ("name", "baseline", "target"):
        if required in data and data[required] in (None, ""):
            raise ValidationError({required: _("Dieses Feld darf nicht leer sein.")})
    versioned_update(indicator, user=request.user, expected_version=version, data=data)
    return _indicator(_reloaded(request.user, town, indicator))


@router.post(
    "/municipalities/{slug}/indicators/{indicator_id}/readings", response={201: s.IndicatorOut, **WRITE_ERRORS}
)
def reading_add(
    request: HttpRequest, payload: s.ReadingIn, slug: str = SLUG, indicator_id: int = ID
) -> Reply[dict[str, Any]]:
    """Trägt einen Messwert ein (einer je Stichtag)."""
    need_write(request)
    town = municipality(slug)
    need(request, "strategy.view_strategy", town)
    indicator = get_object_or_404(Indicator.objects.restrict(request.user, town), pk=indicator_id)
    need(request, "strategy.change_strategy", town)
    versioned_create(
        IndicatorReading, user=request.user, data={**payload.dict(), "indicator": indicator, "municipality": town}
    )
    return Reply(201, _indicator(_reloaded(request.user, town, indicator)))
