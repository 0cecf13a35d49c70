"""Reads of the strategy room."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from lotse.strategy.models import FieldOfAction, Goal, Indicator, IndicatorReading, Principle, Strategy
from lotse.tenancy.models import Municipality


def strategy_of(municipality: Municipality) -> Strategy | None:
    return Strategy.objects.filter(municipality=municipality).first()


def principles_of(municipality: Municipality) -> list[Principle]:
    return list(Principle.objects.filter(municipality=municipality))


@dataclass
class IndicatorStatus:
    indicator: Indicator
    latest: IndicatorReading | None
    progress: int | None


def _status(indicator: Indicator) -> IndicatorStatus:
    readings = list(indicator.readings.all())
    latest = readings[-1] if readings else None
    return IndicatorStatus(indicator, latest, indicator.progress(latest.value if latest else None))


def strategy_tree(municipality: Municipality) -> list[tuple[FieldOfAction, list[tuple[Goal, list[IndicatorStatus]]]]]:
    """Fields → goals → indicators with their latest reading, in four queries whatever the size."""
    # (typed loosely: django-stubs cannot follow a Prefetch over a custom queryset's related managers)
    readings: Any = Prefetch("readings", queryset=IndicatorReading.objects.order_by("measured_on"))
    indicators: Any = Prefetch("indicators", queryset=Indicator.objects.prefetch_related(readings))
    goals = Goal.objects.prefetch_related(indicators)
    fields = FieldOfAction.objects.filter(municipality=municipality).prefetch_related(Prefetch("goals", queryset=goals))
    return [(f, [(g, [_status(i) for i in g.indicators.all()]) for g in f.goals.all()]) for f in fields]
