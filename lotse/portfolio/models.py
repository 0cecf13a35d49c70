"""The portfolio room: projects with budgets, staff, milestones and relations; prioritisation; capacity.

A project's own rows (years, funding sources, milestones, scores) are saved together with the project
in one versioned update (see services.project_save), so the project's version guards all of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.strategy.models import FieldOfAction, Goal
from lotse.tenancy.models import OrgUnit, ShareableModel, TenantModel


class Status(models.TextChoices):
    IDEA = "idea", _("Idee")
    PLANNING = "planning", _("in Planung")
    IMPLEMENTATION = "implementation", _("in Umsetzung")
    OPERATION = "operation", _("in Betrieb")
    COMPLETED = "completed", _("abgeschlossen")
    FUTURE = "future", _("Zukunftsprojekt")
    REJECTED = "rejected", _("verworfen")


# Projects that bind staff and money now (capacity planning counts these).
ACTIVE_STATUSES = (Status.PLANNING, Status.IMPLEMENTATION)


class Funding(models.TextChoices):
    FUNDED = "funded", _("finanziert")
    PARTIAL = "partial", _("teilfinanziert")
    UNFUNDED = "unfunded", _("nicht finanziert")


class Obligation(models.TextChoices):
    MANDATORY = "mandatory", _("Pflicht")
    VOLUNTARY = "voluntary", _("Kür")


class Tag(TenantModel):
    name = models.CharField(_("Schlagwort"), max_length=60)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Project(ShareableModel):
    key = models.CharField(
        _("Projektschlüssel"),
        max_length=40,
        help_text=_("Eindeutig in der Kommune, z. B. DIG-2026-01. Wird beim Import zum Wiedererkennen genutzt."),
        # Latin letters, digits and separators only: a key with a Cyrillic "А" would look like another
        # project's key in every list and report, yet be a different one.
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._/-]*$",
                _("Nur lateinische Buchstaben (ohne Umlaute), Ziffern und . _ / - (z. B. DIG-2026-01)."),
            )
        ],
    )
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.DESCRIPTION)
    lead_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("Federführende Organisationseinheit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    involved_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("Beteiligte Organisationseinheiten"), blank=True, related_name="involved_projects"
    )
    field = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    further_fields = models.ManyToManyField(
        FieldOfAction, verbose_name=_("Weitere Handlungsfelder"), blank=True, related_name="further_projects"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("Beitrag zu Zielen"), blank=True, related_name="projects")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.IDEA)
    status_since = models.DateField(_("Status seit"), null=True, blank=True)
    funding = models.CharField(_("Finanzierung"), max_length=10, choices=Funding.choices, default=Funding.UNFUNDED)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    project_lead = models.CharField(_("Projektleitung"), max_length=200, blank=True)
    internal_partners = models.CharField(_("Interne Partner"), max_length=500, blank=True)
    external_partners = models.CharField(_("Externe Partner"), max_length=500, blank=True)
    obligation = models.CharField(
        _("Pflicht/Kür"), max_length=10, choices=Obligation.choices, default=Obligation.VOLUNTARY
    )
    obligation_basis = models.CharField(
        _("Rechtsgrundlage"), max_length=200, blank=True, help_text=_("z. B. OZG, E-Government-Gesetz BW")
    )
    is_lighthouse = models.BooleanField(_("Leuchtturmprojekt"), default=False)
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagworte"), blank=True, related_name="projects")
    source_url = models.URLField(
        _("Quelle"),
        blank=True,
        editable=False,
        help_text=_("Bei Projekten aus dem Open-Data-Feed einer anderen Lotse-Instanz: die Seite des Originals."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords(m2m_fields=[involved_units, goals, tags])

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="project_unique_key")]
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["municipality", "title"]),
            models.Index(fields=["updated_at"]),  # the synergy index looks for recent changes
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Das Ende liegt vor dem Beginn.")})
        for name in ("lead_unit", "field"):
            related = getattr(self, name)
            if related is not None and related.municipality_id != self.municipality_id:
                raise ValidationError({name: _("Gehört zu einer anderen Kommune.")})

    def permission_unit_ids(self) -> set[int]:
        """Editors of the lead unit (or an involved unit) may edit the project."""
        ids = {self.lead_unit_id} if self.lead_unit_id else set()
        if self.pk:
            ids |= {u.pk for u in self.involved_units.all()}
        return ids


class StatusChange(models.Model):
    """A dated transition, written by services.project_save whenever the status changes."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("von"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("nach"), max_length=20, choices=Status.choices)
    changed_on = models.DateField(_("am"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel")
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.changed_on:%d.%m.%Y}: {self.get_to_status_display()}"


class ProjectYear(models.Model):
    """Money and staff of one project in one calendar year."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("Jahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    budget_planned = models.DecimalField(_("Budget geplant (EUR)"), max_digits=14, decimal_places=2, default=0)
    budget_approved = models.DecimalField(_("Budget bewilligt (EUR)"), max_digits=14, decimal_places=2, default=0)
    budget_spent = models.DecimalField(_("Budget ausgegeben (EUR)"), max_digits=14, decimal_places=2, default=0)
    staff_fte = models.DecimalField(_("Personalbedarf (VZÄ)"), max_digits=6, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Jahresplanung")
        verbose_name_plural = _("Jahresplanung")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_year_unique")]

    def __str__(self) -> str:
        return f"{self.project.key} {self.year}"


class FundingSource(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_sources")
    name = models.CharField(_("Geldgeber / Programm"), max_length=200)
    amount = models.DecimalField(_("Betrag (EUR)"), max_digits=14, decimal_places=2, default=0)
    is_grant = models.BooleanField(_("Fördermittel"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Finanzierungsquelle")
        verbose_name_plural = _("Finanzierungsquellen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_date = models.DateField(_("geplant am"))
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class RelationKind(models.TextChoices):
    DEPENDS_ON = "depends_on", _("hängt ab von")
    PART_OF = "part_of", _("ist Teil von")
    DUPLICATE_OF = "duplicate_of", _("ist Dublette von")
    REUSES = "reuses", _("nutzt nach")


class ProjectRelation(models.Model):
    """`source` <kind> `target`, e.g. "E-Akte Bauamt" depends on "E-Akte Basisdienst"."""

    source = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(_("Beziehung"), max_length=20, choices=RelationKind.choices)
    target = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="relations_in"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Projektbeziehung")
        verbose_name_plural = _("Projektbeziehungen")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source.key} {self.get_kind_display()} {self.target.key}"


class CriterionDirection(models.TextChoices):
    BENEFIT = "benefit", _("Nutzen (hoch ist gut)")
    COST = "cost", _("Aufwand (hoch ist schlecht)")


class PriorityCriterion(TenantModel):
    name = models.CharField(_("Kriterium"), max_length=120)
    description = models.CharField(_("Erläuterung"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"), default=5, validators=[MaxValueValidator(10)], help_text=_("0 (zählt nicht) bis 10")
    )
    direction = models.CharField(
        _("Art"), max_length=10, choices=CriterionDirection.choices, default=CriterionDirection.BENEFIT
    )
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="criterion_unique_name")]

    def __str__(self) -> str:
        return self.name


SCORE_MIN, SCORE_MAX = 1, 5


class ProjectScore(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(PriorityCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("Bewertung"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    justification = models.CharField(_("Begründung"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [models.UniqueConstraint(fields=["project", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Light(models.TextChoices):
    """A traffic light of a status report."""

    GREEN = "green", _("grün: im Plan")
    YELLOW = "yellow", _("gelb: gefährdet")
    RED = "red", _("rot: kritisch")


class StatusReport(models.Model):
    """A project's periodic update (Statusbericht): traffic lights for schedule, budget and scope, and text.
    Reports are added, never edited, so the history shows what was known when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    reported_on = models.DateField(_("Stand vom"))
    schedule = models.CharField(_("Zeitplan"), max_length=6, choices=Light.choices)
    budget = models.CharField(_("Budget"), max_length=6, choices=Light.choices)
    scope = models.CharField(_("Umfang und Qualität"), max_length=6, choices=Light.choices)
    summary = LimitedTextField(_("Was ist erreicht?"), max_length=3000)
    next_steps = LimitedTextField(_("Nächste Schritte"), max_length=3000, blank=True)
    issues = LimitedTextField(_("Probleme und Entscheidungsbedarf"), max_length=3000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Statusbericht")
        verbose_name_plural = _("Statusberichte")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["project", "-reported_on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.reported_on:%d.%m.%Y}"

    def lights(self) -> list[tuple[str, str, str]]:
        """(dimension, light value, label) for the three lights."""
        return [
            (str(_("Zeitplan")), self.schedule, self.get_schedule_display()),
            (str(_("Budget")), self.budget, self.get_budget_display()),
            (str(_("Umfang")), self.scope, self.get_scope_display()),
        ]


class ReportingSettings(TenantModel):
    """How often projects in planning and implementation report their status."""

    report_every_days = models.PositiveSmallIntegerField(
        _("Statusbericht alle … Tage"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text=_("z. B. 30 für monatlich, 90 für quartalsweise"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Berichtsturnus")
        verbose_name_plural = _("Berichtsturnus")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="reporting_settings_once")]

    def __str__(self) -> str:
        return str(self.report_every_days)


class CapacityYear(TenantModel):
    """What the municipality can spend on digital projects in one year: staff and money."""

    year = models.PositiveIntegerField(_("Jahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    staff_fte = models.DecimalField(_("Verfügbares Personal (VZÄ)"), max_digits=8, decimal_places=2, default=0)
    budget = models.DecimalField(_("Verfügbares Budget (EUR)"), max_digits=14, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Kapazität")
        verbose_name_plural = _("Kapazitäten")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="capacity_unique_year")]

    def __str__(self) -> str:
        return str(self.year)


DEFAULT_CRITERIA = [
    ("Nutzen für Bürger und Unternehmen", CriterionDirection.BENEFIT, 9),
    ("Entlastung der Verwaltung", CriterionDirection.BENEFIT, 8),
    ("Beitrag zur Strategie", CriterionDirection.BENEFIT, 7),
    ("Dringlichkeit / Rechtspflicht", CriterionDirection.BENEFIT, 8),
    ("Aufwand", CriterionDirection.COST, 6),
    ("Kosten", CriterionDirection.COST, 5),
    ("Risiko", CriterionDirection.COST, 4),
]


class ImportState(models.TextChoices):
    CHECKING = "checking", _("wird geprüft")
    CHECKED = "checked", _("geprüft")
    IMPORTING = "importing", _("wird gespeichert")
    DONE = "done", _("abgeschlossen")
    FAILED = "failed", _("nicht importiert")


class ImportJob(TenantModel):
    """One upload of a project list: checked and then written by the task queue, never inside a request.
    The page of the job shows its progress, the preview with every row's errors, and the outcome."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("Datei"), max_length=limits.NAME)
    stored_name = models.CharField(max_length=64)  # the upload under VAR_DIR/imports until the job ends
    state = models.CharField(_("Stand"), max_length=10, choices=ImportState.choices, default=ImportState.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)  # rows, errors and counts as the preview page shows them
    outcome = models.JSONField(default=dict, blank=True)  # {"new": n, "update": n, "unchanged": n}
    message = models.TextField(blank=True)  # why nothing was imported
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def running(self) -> bool:
        return self.state in (ImportState.CHECKING, ImportState.IMPORTING)
