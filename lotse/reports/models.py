"""The reports room's data: the texts of the council report, editable by the coordination."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.tenancy.models import TenantModel


class CouncilReportTemplate(TenantModel):
    """What the municipality writes around the figures of its Sachstandsbericht; the figures come from Lotse."""

    title = models.CharField(
        _("Titel"),
        max_length=200,
        default=_("Sachstandsbericht Digitalisierung"),
        help_text=_("Das Jahr und der Name der Kommune werden angehängt."),
    )
    addressee = models.CharField(_("Vorlage an"), max_length=200, default=_("Gemeinderat"), blank=True)
    paper_number = models.CharField(
        _("Drucksache"),
        max_length=60,
        blank=True,
        help_text=_("Nummer der Vorlage im Ratsinformationssystem, z. B. 2026/145"),
    )
    author_unit = models.CharField(
        _("Verfasst von"), max_length=200, blank=True, help_text=_("z. B. Stabsstelle Digitalisierung")
    )
    resolution = LimitedTextField(
        _("Beschlussvorschlag"),
        blank=True,
        help_text=_("Steht auf dem Deckblatt, z. B. „Der Gemeinderat nimmt den Sachstandsbericht zur Kenntnis.“"),
        max_length=limits.LONG_TEXT,
    )
    preface = LimitedTextField(
        _("Einleitung"),
        blank=True,
        default=_(
            "Dieser Bericht gibt den Stand der Digitalisierung der Verwaltung wieder: die Projekte, ihre "
            "Finanzierung, die Kennzahlen der Ziele und was sich im Berichtsjahr geändert hat."
        ),
        max_length=limits.LONG_TEXT,
    )
    closing = LimitedTextField(
        _("Ausblick"), blank=True, help_text=_("Absätze durch eine Leerzeile trennen."), max_length=limits.LONG_TEXT
    )
    show_projects = models.BooleanField(_("Projekttabelle aufnehmen"), default=True)
    show_indicators = models.BooleanField(_("Kennzahlen mit Diagrammen aufnehmen"), default=True)
    show_changes = models.BooleanField(_("Änderungen im Berichtsjahr aufnehmen"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Vorlage des Sachstandsberichts")
        verbose_name_plural = _("Vorlagen des Sachstandsberichts")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="council_template_once")]

    def __str__(self) -> str:
        return self.title


class Revision(TenantModel):
    """A frozen version of strategy and portfolio (the yearly *Fortschreibung*), with the council's decision.
    The snapshot is data, not references: later edits and deletions never change what was decided."""

    title = models.CharField(_("Bezeichnung"), max_length=200, help_text=_("z. B. Fortschreibung 2026"))
    frozen_on = models.DateField(_("Stand vom"))
    decision = models.CharField(
        _("Beschluss"), max_length=300, blank=True, help_text=_("z. B. Gemeinderat, Drucksache 2026/045")
    )
    decided_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    snapshot = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = _("Fortschreibung")
        verbose_name_plural = _("Fortschreibungen")
        ordering = ["-frozen_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class MaturityAssessment(TenantModel):
    """An org unit's self-assessment of its digital maturity, 1 (am Anfang) to 5 (vorbildlich) per dimension."""

    DIMENSIONS = ("people", "processes", "it", "data", "services")

    org_unit = models.ForeignKey(
        "tenancy.OrgUnit", verbose_name=_("Einheit"), on_delete=models.CASCADE, related_name="maturity_assessments"
    )
    assessed_on = models.DateField(_("Stand vom"))
    people = models.PositiveSmallIntegerField(_("Menschen und Kompetenzen"), choices=[(i, str(i)) for i in range(1, 6)])
    processes = models.PositiveSmallIntegerField(_("Prozesse"), choices=[(i, str(i)) for i in range(1, 6)])
    it = models.PositiveSmallIntegerField(_("IT und Ausstattung"), choices=[(i, str(i)) for i in range(1, 6)])
    data = models.PositiveSmallIntegerField(_("Daten"), choices=[(i, str(i)) for i in range(1, 6)])
    services = models.PositiveSmallIntegerField(_("Digitale Dienste"), choices=[(i, str(i)) for i in range(1, 6)])
    note = LimitedTextField(_("Anmerkungen"), blank=True, max_length=limits.LONG_TEXT)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("Reifegrad-Selbsteinschätzung")
        verbose_name_plural = _("Reifegrad-Selbsteinschätzungen")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "org_unit", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.assessed_on:%d.%m.%Y}"

    def values(self) -> list[int]:
        return [getattr(self, d) for d in self.DIMENSIONS]

    @property
    def average(self) -> float:
        return sum(self.values()) / len(self.DIMENSIONS)


class SurveyWave(TenantModel):
    """A wave (*Staffel*) of the status-quo survey: assigned org units (e.g. two Dezernate) answer a questionnaire
    and list their digital projects by a deadline; the coordination reviews the answers into the portfolio."""

    title = models.CharField(_("Bezeichnung"), max_length=200, help_text=_("z. B. Staffel 1: Dezernate I und II"))
    questionnaire = models.ForeignKey(
        "participation.Poll",
        verbose_name=_("Fragebogen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Eine Umfrage für Beschäftigte als Vorlage: Prozesse, Bedarfe, Kompetenzen."),
    )
    deadline = models.DateField(_("Rückmeldung bis"))
    units = models.ManyToManyField("tenancy.OrgUnit", verbose_name=_("beteiligte Einheiten"), related_name="waves")
    instructions = LimitedTextField(_("Hinweise für die Einheiten"), blank=True, max_length=limits.LONG_TEXT)

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("Staffel der Status-quo-Erhebung")
        verbose_name_plural = _("Staffeln der Status-quo-Erhebung")
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title


class WaveSubmission(models.Model):
    """One unit's answer in a wave: the questionnaire's answers and its list of digital projects."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="submissions")
    org_unit = models.ForeignKey("tenancy.OrgUnit", on_delete=models.CASCADE, related_name="wave_submissions")
    answers = models.JSONField(default=dict)  # question id → value, as the poll's answers
    projects = models.JSONField(default=list)  # [{title, summary, status, funding, budget}]
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Rückmeldung einer Einheit")
        verbose_name_plural = _("Rückmeldungen der Einheiten")
        constraints = [models.UniqueConstraint(fields=["wave", "org_unit"], name="wave_submission_once")]

    def __str__(self) -> str:
        return f"{self.wave}: {self.org_unit}"


class WaveDocument(TenantModel):
    """Workshop material (templates, the Handreichung), versioned: a new upload under the same title is the next
    version; earlier versions stay available."""

    title = models.CharField(_("Titel"), max_length=200)
    number = models.PositiveIntegerField(_("Version"), default=1)
    file = models.FileField(_("Datei"), upload_to="private/waves/")  # served only via the view
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Workshop-Material")
        verbose_name_plural = _("Workshop-Material")
        ordering = ["title", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "title", "number"], name="wave_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"
