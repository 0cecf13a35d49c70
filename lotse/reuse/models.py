"""The reuse room (issue 20): a town's project started from another's. Solutions, joint projects and procurement
follow here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.portfolio.models import Project


class Adoption(models.Model):
    """A project adopted ("übernommen") from another project: the new project, its origin and how far its dates
    were shifted. The origin's title and town are kept as they were, so the link still says what was adopted
    when the origin is deleted or no longer visible."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="adoption", verbose_name=_("Projekt"), primary_key=True
    )
    origin = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, related_name="adoptions", verbose_name=_("Vorbild")
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
