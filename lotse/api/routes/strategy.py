"""Goals with their indicators and readings; adding a reading."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router
from ninja import Status as Reply

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import SLUG
from lotse.core.services import versioned_create
from lotse.strategy.models import Goal, Indicator, IndicatorReading

router = Router(tags=["Ziele und Kennzahlen"])


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "unit": i.unit,
        "baseline": i.baseline,
        "target": i.target,
        "due_date": i.due_date,
        "readings": [{"measured_on": r.measured_on, "value": r.value, "note": r.note} for r in i.readings.all()],
    }


@router.get("/municipalities/{slug}/goals", response={200: s.GoalPage, **ERRORS})
def goal_list(request: HttpRequest, pages: Query[s.PageParams], slug: str = SLUG) -> dict[str, Any]:
    """Die Ziele der Strategie je Handlungsfeld, mit Kennzahlen und Messwerten (älteste zuerst)."""
    town = municipality(slug)
    need(request, "strategy.view_strategy", town)
    goals = (
        Goal.objects.filter(municipality=town)
        .select_related("field")
        .prefetch_related(
            Prefetch(
                "indicators",
                Indicator.objects.order_by("pk").prefetch_related(
                    Prefetch("readings", IndicatorReading.objects.order_by("measured_on"))
                ),
            )
        )
        .order_by("field__position", "position", "pk")
    )
    count, items = page(goals, pages)
    return {
        "count": count,
        "items": [
            {
                "id": g.pk,
                "title": g.title,
                "field_id": g.field_id,
                "field": g.field.name,
                "indicators": [_indicator(i) for i in g.indicators.all()],
            }
            for g in items
        ],
    }


@router.post(
    "/municipalities/{slug}/indicators/{indicator_id}/readings", response={201: s.IndicatorOut, **WRITE_ERRORS}
)
def reading_add(
    request: HttpRequest,
    payload: s.ReadingIn,
    slug: str = SLUG,
    indicator_id: int = Path(..., ge=1, le=2_147_483_647),
) -> Reply[dict[str, Any]]:
    """Trägt einen Messwert ein (einer je Stichtag)."""
    need_write(request)
    town = municipality(slug)
    need(request, "strategy.view_strategy", town)
    indicator = get_object_or_404(Indicator, municipality=town, pk=indicator_id)
    need(request, "strategy.change_strategy", town)
    versioned_create(
        IndicatorReading, user=request.user, data={**payload.dict(), "indicator": indicator, "municipality": town}
    )
    readings = Prefetch("readings", IndicatorReading.objects.order_by("measured_on"))
    return Reply(201, _indicator(Indicator.objects.prefetch_related(readings).get(pk=indicator.pk)))
