"""The reuse room (issue 20): the solution registry and the towns' uses of it, and a town's project started from
another's. Joint projects and procurement follow here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField, VersionedModel
from lotse.ozg.models import LeikaService, OzgService, OzgStatus
from lotse.portfolio.models import Project
from lotse.tenancy.models import Municipality, RestrictedManager, ShareableModel, TenantModel


class Adoption(models.Model):
    """A project adopted ("übernommen") from another project or from a registry solution: the new project, its
    origin and how far its dates were shifted. The origin's title and town (or provider) are kept as they were, so
    the link still says what was adopted when the origin is deleted or no longer visible."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="adoption", verbose_name=_("Projekt"), primary_key=True
    )
    origin = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, related_name="adoptions", verbose_name=_("Vorbild")
    )
    origin_solution = models.ForeignKey(
        "Solution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("Lösung als Vorbild"),
    )
    origin_title = models.CharField(_("Titel des Vorbilds"), max_length=200)
    origin_municipality = models.CharField(_("Kommune des Vorbilds"), max_length=200)
    shifted_days = models.IntegerField(_("Termine verschoben um (Tage)"), default=0)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("von")
    )
    adopted_at = models.DateTimeField(_("übernommen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Übernahme")
        verbose_name_plural = _("Übernahmen")
        ordering = ["-adopted_at"]

    def __str__(self) -> str:
        return f"{self.project} ← {self.origin_title}"


class SolutionKind(models.TextChoices):
    EFA = "efa", _("EfA-Onlinedienst")
    OPEN_SOURCE = "open_source", _("Open-Source-Software")
    PRODUCT = "product", _("kommerzielles Produkt")
    SERVICE = "service", _("Dienst eines IT-Dienstleisters")
    PROCESS = "process", _("Prozess und Vorlagen")


class ProviderKind(models.TextChoices):
    VENDOR = "vendor", _("Hersteller")
    MUNICIPALITY = "municipality", _("Kommune")
    ASSOCIATION = "association", _("Zweckverband oder IT-Dienstleister")
    STATE = "state", _("Land oder Bund")


class CostModel(models.TextChoices):
    FREE = "free", _("kostenfrei")
    LICENCE = "licence", _("Lizenz (einmalig)")
    SUBSCRIPTION = "subscription", _("laufende Gebühr")
    MEMBERSHIP = "membership", _("über die Mitgliedschaft beim IT-Dienstleister")
    EFA_SHARE = "efa_share", _("Kostenbeteiligung (EfA)")
    OTHER = "other", _("anderes")


class Solution(VersionedModel):
    """An entry of the solution registry (Lösung), shared by every municipality of the installation: what it is,
    who provides it under which licence and cost model, and which OZG-Leistungen and LeiKa services it covers.
    Not a town's record: the towns' uses of it are (`SolutionUse`)."""

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=SolutionKind.choices)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.LONG_TEXT)
    provider = models.CharField(_("Anbieter"), max_length=200, blank=True)
    provider_kind = models.CharField(_("Art des Anbieters"), max_length=20, choices=ProviderKind.choices, blank=True)
    provider_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("anbietende Kommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Wenn eine Kommune dieser Installation die Lösung anbietet."),
    )
    licence = models.CharField(
        _("Lizenz"), max_length=100, blank=True, help_text=_("SPDX-Kennung, z. B. EUPL-1.2, AGPL-3.0-or-later")
    )
    repository_url = models.URLField(_("Code-Repository"), blank=True, help_text=_("z. B. auf openCoDE"))
    website_url = models.URLField(_("Website"), blank=True)
    cost_model = models.CharField(_("Kostenmodell"), max_length=20, choices=CostModel.choices, blank=True)
    cost_note = models.CharField(_("Kosten, Erläuterung"), max_length=300, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    ozg_services = models.ManyToManyField(
        OzgService, verbose_name=_("OZG-Leistungen"), blank=True, related_name="solutions"
    )
    leika_services = models.ManyToManyField(
        LeikaService, verbose_name=_("LeiKa-Leistungen"), blank=True, related_name="solutions"
    )
    listed = models.BooleanField(
        _("im Register für alle sichtbar"),
        default=True,
        help_text=_(
            "Nicht gelistete Einträge (aus internen OZG-Angaben übernommen) sehen nur die eigene Kommune und wer "
            "eine Nutzung sehen darf."
        ),
    )
    publiccode = LimitedTextField(_("publiccode.yml"), blank=True, max_length=limits.LONG_TEXT, editable=False)
    registered_in = models.ForeignKey(
        Municipality,
        verbose_name=_("eingetragen von (Kommune)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RestrictedManager()
    history = HistoricalRecords(m2m_fields=[ozg_services, leika_services])

    class Meta:
        verbose_name = _("Lösung")
        verbose_name_plural = _("Lösungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})" if self.provider else self.name

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        """The registry is open to everyone, visitors included: it says what exists, not who uses it (the uses
        are the towns' records). An entry taken from a town's internal OZG statuses is not listed: its town and
        whoever may see a use of it see it. Entries are changed by the coordination of the town that registered
        or provides them, and by the platform admin."""
        from lotse.tenancy.selectors import managed_municipality_ids, staff_municipality_ids

        if user is not None and user.is_authenticated and user.is_platform_admin:
            return Q()
        if action == "view":
            seen = SolutionUse.objects.filter(SolutionUse.restriction(user)).values("solution")
            return Q(listed=True) | Q(registered_in__in=staff_municipality_ids(user)) | Q(pk__in=seen)
        if action == "manage":
            towns = managed_municipality_ids(user)
            return Q(registered_in__in=towns) | Q(provider_municipality__in=towns)
        raise ValueError(f"Solution: no restriction for {action!r}")


class UseStatus(models.TextChoices):
    INTERESTED = "interested", _("interessiert")
    PLANNED = "planned", _("plant")
    INTRODUCING = "introducing", _("in Einführung")
    OPERATING = "operating", _("im Betrieb")
    REPLACED = "replaced", _("abgelöst")


class SolutionUse(ShareableModel):
    """One municipality's use of a registry solution: how far it is, since when, the project it belongs to, whom
    to ask and what it learned. Its OZG statuses that this solution serves are linked here, so the free text of
    an OZG status becomes a registry entry."""

    solution = models.ForeignKey(Solution, verbose_name=_("Lösung"), on_delete=models.CASCADE, related_name="uses")
    status = models.CharField(_("Stand"), max_length=20, choices=UseStatus.choices, default=UseStatus.PLANNED)
    since = models.DateField(_("seit"), null=True, blank=True)
    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ansprechperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    experience = LimitedTextField(_("Erfahrungen"), blank=True, max_length=limits.LONG_TEXT)
    ozg_statuses = models.ManyToManyField(
        OzgStatus, verbose_name=_("OZG-Umsetzungsstände"), blank=True, related_name="solution_uses"
    )

    history = HistoricalRecords(m2m_fields=[ozg_statuses])

    class Meta:
        verbose_name = _("Nutzung einer Lösung")
        verbose_name_plural = _("Nutzungen von Lösungen")
        constraints = [models.UniqueConstraint(fields=["municipality", "solution"], name="solution_use_once")]
        ordering = ["solution__name"]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.solution.name} ({self.get_status_display()})"

    def clean(self) -> None:
        project = self.project if self.project_id else None
        if project is not None and self.municipality_id and project.municipality_id != self.municipality_id:
            raise ValidationError({"project": _("Bitte ein Projekt der eigenen Kommune wählen.")})


class InterestDeclaration(TenantModel):
    """A municipality's declared interest ("Interesse bekunden") in another town's project: the first step to
    doing it together. The interested town owns it; the project's town sees it too."""

    project = models.ForeignKey(
        Project, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="interest_declarations"
    )
    note = LimitedTextField(_("Nachricht"), blank=True, max_length=limits.LONG_TEXT)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bekundet von"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Interessenbekundung")
        verbose_name_plural = _("Interessenbekundungen")
        constraints = [models.UniqueConstraint(fields=["municipality", "project"], name="interest_once")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.project}"

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        """The interested town's staff, and the staff of the project's town, see a declaration; the interested
        town's coordination manages it."""
        from lotse.tenancy.selectors import staff_municipality_ids

        if action == "view" and not (user is not None and user.is_authenticated and user.is_platform_admin):
            staff = staff_municipality_ids(user)
            return Q(municipality__in=staff) | Q(project__municipality__in=staff)
        return super().restriction(user, action)


class ReuseKit(VersionedModel):
    """The readiness of a public project or a registry solution for others to reuse it (Nachnutzungspaket): which
    of the documents and rights another town needs exist, and where. One of `project` and `solution` is set."""

    project = models.OneToOneField(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="reuse_kit", verbose_name=_("Projekt")
    )
    solution = models.OneToOneField(
        Solution, null=True, blank=True, on_delete=models.CASCADE, related_name="reuse_kit", verbose_name=_("Lösung")
    )
    licence = models.CharField(
        _("Lizenz"), max_length=100, blank=True, help_text=_("SPDX-Kennung der Software oder der Unterlagen")
    )
    repository_url = models.URLField(_("Code-Repository"), blank=True)
    specification_url = models.URLField(_("Leistungsbeschreibung"), blank=True)
    dpia_url = models.URLField(_("Datenschutz-Folgenabschätzung (DSFA)"), blank=True)
    operations_url = models.URLField(_("Betriebskonzept"), blank=True)
    training_url = models.URLField(_("Schulungsmaterial"), blank=True)
    contact_email = models.EmailField(_("Ansprechperson für Nachnutzer (E-Mail)"), blank=True)
    contract_url = models.URLField(
        _("Vertrag mit Abrufrecht für andere Kommunen"),
        blank=True,
        help_text=_("z. B. ein Rahmenvertrag, aus dem weitere Kommunen abrufen dürfen"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Nachnutzungspaket")
        verbose_name_plural = _("Nachnutzungspakete")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, solution__isnull=True)
                | Q(project__isnull=True, solution__isnull=False),
                name="reuse_kit_of_one",
            )
        ]

    def __str__(self) -> str:
        return str(self.project or self.solution)
