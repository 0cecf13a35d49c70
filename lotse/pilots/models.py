"""The pilots room's data: who is a Digitallotse / Digitallotsin, for which org units, on which topics, and
which projects they accompany. A pilot is a member of the municipality with the editor role for their units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.portfolio.models import Project
from lotse.tenancy.models import Network, OrgUnit, TenantModel


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


class Programme(models.Model):
    """A network's qualification programme (e.g. "Kommunaler Digitallotse", run by a state academy)."""

    network = models.OneToOneField(
        Network, verbose_name=_("Netzwerk"), on_delete=models.CASCADE, related_name="programme"
    )
    name = models.CharField(_("Name"), max_length=200)
    provider = models.CharField(_("Träger"), max_length=200, blank=True, help_text=_("z. B. eine Landesakademie"))
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Leitung des Programms"), blank=True, related_name="programmes"
    )

    class Meta:
        verbose_name = _("Qualifizierungsprogramm")
        verbose_name_plural = _("Qualifizierungsprogramme")

    def __str__(self) -> str:
        return self.name


class TrainingModule(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    title = models.CharField(_("Modul"), max_length=200)
    description = LimitedTextField(_("Inhalt"), blank=True, max_length=limits.DESCRIPTION)

    class Meta:
        verbose_name = _("Qualifizierungsmodul")
        verbose_name_plural = _("Qualifizierungsmodule")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Seminar(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="seminars")
    title = models.CharField(_("Titel"), max_length=200)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("Plätze"))
    modules = models.ManyToManyField(TrainingModule, verbose_name=_("Module"), related_name="seminars")

    class Meta:
        verbose_name = _("Seminar")
        verbose_name_plural = _("Seminare")
        ordering = ["starts_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%d.%m.%Y}, {self.place})"


class Registration(models.Model):
    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("angemeldet")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="registrations")
    pilot = models.ForeignKey(DigitalPilot, on_delete=models.CASCADE, related_name="registrations")
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["registered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["seminar", "pilot"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.pilot} – {self.seminar}"


class ModuleCompletion(models.Model):
    pilot = models.ForeignKey(DigitalPilot, on_delete=models.CASCADE, related_name="completions")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    completed_on = models.DateField(_("abgeschlossen am"))
    seminar = models.ForeignKey(Seminar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("abgeschlossenes Modul")
        verbose_name_plural = _("abgeschlossene Module")
        constraints = [models.UniqueConstraint(fields=["pilot", "module"], name="module_completed_once")]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.module}"


class NetworkEvent(models.Model):
    """A meeting of the network's pilots: a Stammtisch, a webinar, the yearly Netzwerktreffen."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("Titel"), max_length=200)
    description = LimitedTextField(_("Beschreibung"), blank=True, max_length=limits.DESCRIPTION)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=200, blank=True, help_text=_("Adresse oder „online“"))
    online_url = models.URLField(_("Link zur Videokonferenz"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Netzwerktermin")
        verbose_name_plural = _("Netzwerktermine")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class BoardQuestion(models.Model):
    """A question on the network's board: a pilot asks, pilots of other towns answer."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="board_questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="board_questions"
    )
    title = models.CharField(_("Ihre Frage in einem Satz"), max_length=200)
    body = LimitedTextField(_("Worum geht es genau?"), max_length=5000)
    topics = models.CharField(_("Themen"), max_length=200, blank=True, help_text=_("z. B. E-Akte, OZG, Schulung"))
    accepted = models.ForeignKey("BoardAnswer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_questions")
    hidden_reason = models.CharField(_("ausgeblendet, weil"), max_length=300, blank=True)
    answers_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Frage im Forum")
        verbose_name_plural = _("Fragen im Forum")
        ordering = ["-last_activity", "-pk"]
        indexes = [models.Index(fields=["network", "-last_activity"])]

    def __str__(self) -> str:
        return self.title


class BoardAnswer(models.Model):
    question = models.ForeignKey(BoardQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="board_answers"
    )
    body = LimitedTextField(_("Ihre Antwort"), max_length=5000)
    hidden_reason = models.CharField(_("ausgeblendet, weil"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Antwort im Forum")
        verbose_name_plural = _("Antworten im Forum")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]
