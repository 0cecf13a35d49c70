"""The strategy room: Leitbild, Leitprinzipien, Handlungsfelder, Ziele and their Kennzahlen.

One `Strategy` per municipality. Its visibility governs everything below it, so a town publishes
its strategy in one step. Every child carries `municipality` so that permissions and queries stay flat.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.tenancy.models import Municipality, ShareableModel, TenantModel


class Strategy(ShareableModel):
    municipality = models.OneToOneField(
        Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="strategy"
    )
    title = models.CharField(_("Titel"), max_length=200, default=_("Digitalisierungsstrategie"))
    vision = LimitedTextField(
        _("Leitbild"), blank=True, help_text=_("Das Leitbild in wenigen Sätzen."), max_length=limits.LONG_TEXT
    )
    adopted_on = models.DateField(_("beschlossen am"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Strategie")
        verbose_name_plural = _("Strategien")

    def __str__(self) -> str:
        return f"{self.title} – {self.municipality}"


class StrategyPart(TenantModel):
    """Leitbild, Handlungsfelder, Ziele and Kennzahlen: seen by whoever may see the municipality's strategy."""

    class Meta:
        abstract = True

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        own = super().restriction(user, action)
        if action != "view":
            return own
        return own | Q(municipality_id__in=Strategy.objects.restrict(user).values("municipality_id"))


class Principle(StrategyPart):
    title = models.CharField(_("Leitprinzip"), max_length=200)
    description = LimitedTextField(_("Erläuterung"), blank=True, max_length=limits.DESCRIPTION)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Leitprinzip")
        verbose_name_plural = _("Leitprinzipien")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class FieldOfAction(StrategyPart):
    name = models.CharField(_("Name"), max_length=200)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.DESCRIPTION)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="field_unique_name")]

    def __str__(self) -> str:
        return self.name


class Goal(StrategyPart):
    field = models.ForeignKey(
        FieldOfAction, verbose_name=_("Handlungsfeld"), on_delete=models.PROTECT, related_name="goals"
    )
    title = models.CharField(_("Ziel"), max_length=300)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.DESCRIPTION)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["field__position", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(StrategyPart):
    goal = models.ForeignKey(Goal, verbose_name=_("Ziel"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("Kennzahl"), max_length=200)
    unit = models.CharField(_("Einheit"), max_length=40, blank=True, help_text=_("z. B. %, Anzahl, Tage"))
    baseline = models.DecimalField(_("Ausgangswert"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("Stand des Ausgangswerts"), null=True, blank=True)
    target = models.DecimalField(_("Zielwert"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("Zieldatum"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        ordering = ["goal", "pk"]

    def __str__(self) -> str:
        return self.name

    def progress(self, current: Decimal | None) -> int | None:
        """Share of the way from baseline to target, in percent (0–100), for the latest reading."""
        if current is None or self.target == self.baseline:
            return None
        share = (current - self.baseline) / (self.target - self.baseline) * 100
        return max(0, min(100, round(share)))


class IndicatorReading(StrategyPart):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("Kennzahl"), on_delete=models.CASCADE, related_name="readings"
    )
    measured_on = models.DateField(_("Stichtag"))
    value = models.DecimalField(_("Wert"), max_digits=14, decimal_places=2)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="reading_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on:%d.%m.%Y})"


# Starting points a town can adopt in one click and then edit.
FIELD_TEMPLATES: dict[str, list[str]] = {
    "mittelstadt": [
        "Infrastruktur und Standortentwicklung",
        "Nachhaltigkeit und Mobilität",
        "Bildung, Kultur, Ehrenamt",
        "Digitaler Kulturwandel in der Verwaltung",
        "Digitale Bürgerdienste",
    ],
}
