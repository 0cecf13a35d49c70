"""The pilots room's data: who is a Digitallotse / Digitallotsin, for which org units, on which topics, and
which projects they accompany. A pilot is a member of the municipality with the editor role for their units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.portfolio.models import Project
from lotse.tenancy.models import OrgUnit, TenantModel


class DigitalPilot(TenantModel):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Person"), on_delete=models.CASCADE, related_name="pilot_roles"
    )
    org_units = models.ManyToManyField(OrgUnit, verbose_name=_("betreute Einheiten"), related_name="pilots")
    topics = models.CharField(_("Themen"), max_length=300, blank=True, help_text=_("z. B. E-Akte, Online-Dienste"))
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    since = models.DateField(_("Digitallotse seit"), null=True, blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("begleitete Projekte"), blank=True, related_name="pilots")

    history = HistoricalRecords(m2m_fields=[org_units, projects])

    class Meta:
        verbose_name = _("Digitallotse")
        verbose_name_plural = _("Digitallotsen")
        constraints = [models.UniqueConstraint(fields=["municipality", "person"], name="pilot_once")]

    def __str__(self) -> str:
        return self.person.get_full_name() or self.person.email

    def permission_unit_ids(self) -> list[int]:
        return list(self.org_units.values_list("pk", flat=True))
