from __future__ import annotations

from typing import Any

from lotse.core.forms import DateInput, VersionedModelForm
from lotse.strategy.models import FieldOfAction, Goal, Indicator, IndicatorReading, Principle, Strategy
from lotse.tenancy.models import Municipality


class StrategyForm(VersionedModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "vision", "adopted_on", "visibility"]
        widgets = {"adopted_on": DateInput()}


class PrincipleForm(VersionedModelForm):
    class Meta:
        model = Principle
        fields = ["title", "description", "position"]


class FieldOfActionForm(VersionedModelForm):
    class Meta:
        model = FieldOfAction
        fields = ["name", "description", "position"]


class GoalForm(VersionedModelForm):
    class Meta:
        model = Goal
        fields = ["field", "title", "description", "position"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = FieldOfAction.objects.filter(municipality=municipality)  # type: ignore[attr-defined]


class IndicatorForm(VersionedModelForm):
    class Meta:
        model = Indicator
        fields = ["goal", "name", "unit", "baseline", "baseline_date", "target", "due_date"]
        widgets = {"baseline_date": DateInput(), "due_date": DateInput()}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(municipality=municipality)  # type: ignore[attr-defined]


class ReadingForm(VersionedModelForm):
    class Meta:
        model = IndicatorReading
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": DateInput()}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
