"""The synergy room's data: each project's analysed text (the index), decisions about pairs, and messages.

`Signature` is derived data: rebuilt from the project whenever the project's version moved on, and in full by
`lotse synergy_reindex`. Nothing else depends on it being current at any moment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.portfolio.models import Project


class Signature(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="signature", primary_key=True)
    version = models.PositiveIntegerField()  # the project version the features were computed from
    features = models.JSONField(default=dict)
    concepts = models.JSONField(default=list)
    digital = models.BooleanField(default=False)
    engine = models.CharField(max_length=10, default="")  # engine.ENGINE_VERSION it was computed with
    # The combined engine's concept features of the same text (`evidence.concept_features`), so that a list
    # need not analyse its candidates again; null when computed before they were stored.
    evidence_concepts = models.JSONField(null=True, editable=False)
    # When it was computed: a project touched later (e.g. linked to an OZG service) needs a new one.
    computed_at = models.DateTimeField(default=timezone.now)
    # The semantic vector (multilingual-e5-small, int8, `evidence.DIMENSIONS` bytes), computed by a task after the
    # text changed (`tasks.embed_projects`); empty until then, and when no model is configured.
    vector = models.BinaryField(null=True, editable=False)
    # A hash of the embedder and of the text it read: an unchanged text keeps its vector, and a repeated text
    # (generated networks, copies of a project) takes another project's vector instead of a new inference.
    text_hash = models.CharField(max_length=32, blank=True, default="", db_index=True)
    embedded_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Ähnlichkeitsindex")
        verbose_name_plural = _("Ähnlichkeitsindex")

    def __str__(self) -> str:
        return str(self.project_id)


class PairKind(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplikat")
    REUSE = "reuse", _("Nachnutzung")
    COOPERATION = "cooperation", _("Kooperation")
    UNRELATED = "unrelated", _("kein Bezug")


class PairDecision(models.Model):
    """What a person decided about two projects; stored once per pair (lower id first)."""

    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Bewertung"), max_length=20, choices=PairKind.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Einschätzung eines Projektpaars")
        verbose_name_plural = _("Einschätzungen von Projektpaaren")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="pair_decision_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="pair_decision_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.second_id}: {self.get_kind_display()}"


class ContactMessage(models.Model):
    """A message to the people behind another project, sent by e-mail and kept for the record."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contact_messages")
    about = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = LimitedTextField(_("Nachricht"), max_length=limits.MESSAGE)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kontaktanfrage")
        verbose_name_plural = _("Kontaktanfragen")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.project}"


class LearnedWeights(models.Model):
    """The engine's weights refitted on the network's pair decisions (`services.learn`); the newest row is used.
    Derived data: deleting every row returns the network to the shipped model."""

    variants = models.JSONField()  # "semantic" / "lexical" -> evidence.Variant.to_json()
    decisions = models.PositiveIntegerField()
    related = models.PositiveIntegerField()  # of them Duplikat, Nachnutzung or Kooperation
    base = models.CharField(max_length=12)  # the shipped model it started from (`ranker.shipped_version`)
    fitted_at = models.DateTimeField(default=timezone.now)
    through = models.DateTimeField(null=True)  # the newest decision it read: a later one calls for a new fit

    class Meta:
        verbose_name = _("Gelernte Gewichtung")
        verbose_name_plural = _("Gelernte Gewichtungen")
        get_latest_by = "fitted_at"

    def __str__(self) -> str:
        return f"{self.fitted_at:%Y-%m-%d %H:%M}: {self.decisions}"
