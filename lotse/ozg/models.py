"""The OZG room's data: the catalogue (shared by all), each municipality's status per service, its progress over
time, and the process inventory.

The catalogue (Themenfeld → Lebenslage → OZG-Leistung, and LeiKa services mapped to them) is imported from CSV
and belongs to no municipality. `OzgStatus` rows exist only for services a municipality has recorded something
about; a service without one counts as level 0 (offline)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.portfolio.models import Project
from lotse.tenancy.models import Municipality, OrgUnit, TenantModel

# The maturity model the levels below belong to; the 2025 model (0-7) will be a second value.
MATURITY_MODEL = "ozg-2019"


class MaturityLevel(models.IntegerChoices):
    OFFLINE = 0, _("0 Offline")
    INFORMATION = 1, _("1 Information")
    FORM_ASSISTANT = 2, _("2 Formular-Assistent")
    ONLINE = 3, _("3 Online-Leistung")
    TRANSACTION = 4, _("4 Online-Transaktion")


ONLINE_FROM = MaturityLevel.ONLINE  # "online" in every figure: level 3 or more


class OzgTopic(models.Model):
    """Themenfeld."""

    name = models.CharField(_("Themenfeld"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OzgLifeSituation(models.Model):
    """Lebenslage (or Geschäftslage), within one Themenfeld."""

    topic = models.ForeignKey(OzgTopic, verbose_name=_("Themenfeld"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Lebenslage"), max_length=200)

    class Meta:
        verbose_name = _("Lebenslage")
        verbose_name_plural = _("Lebenslagen")
        ordering = ["topic__name", "name"]
        constraints = [models.UniqueConstraint(fields=["topic", "name"], name="ozg_life_situation_unique")]

    def __str__(self) -> str:
        return self.name


class OzgService(models.Model):
    """OZG-Leistung, identified by its OZG-ID."""

    ozg_id = models.CharField(_("OZG-ID"), max_length=20, unique=True)
    name = models.CharField(_("OZG-Leistung"), max_length=500)
    life_situation = models.ForeignKey(
        OzgLifeSituation, verbose_name=_("Lebenslage"), on_delete=models.PROTECT, related_name="services"
    )
    for_municipalities = models.BooleanField(_("relevant für Gemeinden und Städte"), default=True)
    for_districts = models.BooleanField(_("relevant für Landkreise"), default=True)

    class Meta:
        verbose_name = _("OZG-Leistung")
        verbose_name_plural = _("OZG-Leistungen")
        ordering = ["ozg_id"]

    def __str__(self) -> str:
        return f"{self.ozg_id} {self.name}"


class LeikaService(models.Model):
    """A service of the Leistungskatalog (LeiKa), mapped to one OZG-Leistung. Some have no LeiKa key."""

    key = models.CharField(_("LeiKa-Schlüssel"), max_length=20, blank=True)
    name = models.CharField(_("LeiKa-Leistung"), max_length=500)
    service = models.ForeignKey(
        OzgService, verbose_name=_("OZG-Leistung"), on_delete=models.CASCADE, related_name="leika"
    )
    leika_type = models.CharField(_("LeiKa-Typ"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("LeiKa-Leistung")
        verbose_name_plural = _("LeiKa-Leistungen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["service", "key", "name"], name="leika_unique")]

    def __str__(self) -> str:
        return f"{self.key or '–'} {self.name}"


class SolutionKind(models.TextChoices):
    EFA = "efa", _("Einer für Alle")
    REUSE = "reuse", _("Nachnutzung")
    OWN = "own", _("Eigenentwicklung")


class UserAccount(models.TextChoices):
    NONE = "", _("keines")
    BUNDID = "bundid", _("BundID")
    SERVICEKONTO = "servicekonto", _("Servicekonto")
    BOTH = "both", _("BundID und Servicekonto")


class OzgStatus(TenantModel):
    """Where one municipality stands with one OZG-Leistung."""

    service = models.ForeignKey(OzgService, verbose_name=_("OZG-Leistung"), on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zuständige Einheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    maturity = models.PositiveSmallIntegerField(_("Reifegrad"), choices=MaturityLevel.choices, default=0)
    maturity_model = models.CharField(_("Reifegradmodell"), max_length=20, default=MATURITY_MODEL, editable=False)
    solution_name = models.CharField(_("Online-Dienst"), max_length=200, blank=True)
    solution_url = models.URLField(_("Adresse des Online-Dienstes"), blank=True)
    provider = models.CharField(_("Anbieter"), max_length=200, blank=True)
    solution_kind = models.CharField(_("Art der Lösung"), max_length=10, choices=SolutionKind.choices, blank=True)
    payment = models.BooleanField(_("Bezahlfunktion angebunden"), default=False)
    user_account = models.CharField(
        _("Nutzerkonto"), max_length=20, choices=UserAccount.choices, blank=True, default=UserAccount.NONE
    )
    planned_date = models.DateField(_("geplant online ab"), null=True, blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("Projekte"), blank=True, related_name="ozg_statuses")
    notes = LimitedTextField(_("Notizen"), blank=True, max_length=limits.LONG_TEXT)

    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        verbose_name = _("OZG-Umsetzungsstand")
        verbose_name_plural = _("OZG-Umsetzungsstände")
        constraints = [models.UniqueConstraint(fields=["municipality", "service"], name="ozg_status_once")]
        indexes = [models.Index(fields=["service", "maturity"])]

    def __str__(self) -> str:
        return f"{self.service} – {self.get_maturity_display()}"


class OzgSharing(models.Model):
    """A municipality's opt-in to show its OZG statuses to the municipalities of its networks."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="ozg_sharing")
    share_in_network = models.BooleanField(_("Umsetzungsstände im Netzwerk zeigen"), default=False)

    class Meta:
        verbose_name = _("OZG-Freigabe")
        verbose_name_plural = _("OZG-Freigaben")

    def __str__(self) -> str:
        return str(self.municipality)


class OzgProgress(models.Model):
    """The day's count of relevant and online services of a municipality, overall (topic empty) and per
    Themenfeld: written on every change, so progress over time is a read, not a reconstruction from history."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(OzgTopic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    relevant = models.PositiveIntegerField()
    online = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "topic", "day"], name="ozg_progress_once")]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}: {self.online}/{self.relevant}"


class Channel(models.TextChoices):
    PAPER = "paper", _("Papier / Post")
    IN_PERSON = "in_person", _("persönlich vor Ort")
    PHONE = "phone", _("Telefon")
    EMAIL = "email", _("E-Mail")
    ONLINE_FORM = "online_form", _("Online-Formular")
    ONLINE_SERVICE = "online_service", _("Online-Dienst mit Datenübernahme")


class Process(TenantModel):
    """A process of an org unit, inventoried to decide what to digitalise first."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("Einheit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Prozess"), max_length=200)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.DESCRIPTION)
    cases_per_year = models.PositiveIntegerField(_("Fälle pro Jahr"), default=0)
    minutes_per_case = models.PositiveIntegerField(_("Bearbeitungszeit je Fall (Minuten)"), default=0)
    channel = models.CharField(_("Hauptkanal"), max_length=20, choices=Channel.choices, default=Channel.PAPER)
    media_breaks = models.PositiveSmallIntegerField(
        _("Medienbrüche"), default=0, help_text=_("Wie oft wird gedruckt, abgetippt oder eingescannt?")
    )
    maturity = models.PositiveSmallIntegerField(_("Digitalisierungsgrad"), choices=MaturityLevel.choices, default=0)
    effort = models.PositiveSmallIntegerField(
        _("Aufwand der Digitalisierung (1–5)"), default=3, help_text=_("1 = gering, 5 = sehr hoch")
    )
    service = models.ForeignKey(
        OzgService, verbose_name=_("OZG-Leistung"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="processes"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Prozess")
        verbose_name_plural = _("Prozesse")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
