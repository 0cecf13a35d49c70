"""The participation room's data: campaigns collecting ideas from staff or citizens, the ideas with their public
status and the administration's answer (the feedback channel), supports, comments, abuse reports, the moderation
log, and polls (questionnaires) with their responses.

Personal data lives in one place, `Participant` (name and e-mail of a citizen, or the link to a staff account), so
that export, erasure and the retention period have one thing to act on. Ideas, comments and responses outlive an
erasure as anonymous contributions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core import limits
from lotse.core.models import LimitedTextField
from lotse.portfolio.models import Project
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.models import Municipality, OrgUnit, TenantModel

DEFAULT_CONSENT = _(
    "Ich bin einverstanden, dass die Verwaltung meinen Beitrag und – falls angegeben – meinen Namen "
    "veröffentlicht und meine E-Mail-Adresse nutzt, um mich über den Stand meines Beitrags zu informieren. "
    "Die E-Mail-Adresse wird nicht veröffentlicht und nach Ablauf der Aufbewahrungsfrist gelöscht. "
    "Ich kann meine Daten jederzeit einsehen, herunterladen und löschen lassen."
)


class Audience(models.TextChoices):
    STAFF = "staff", _("nur Beschäftigte der Verwaltung")
    PUBLIC = "public", _("öffentlich (auch ohne Konto)")


class Moderation(models.TextChoices):
    BEFORE = "before", _("vor der Veröffentlichung prüfen")
    AFTER = "after", _("sofort veröffentlichen, danach prüfen")


class Phase(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    UPCOMING = "upcoming", _("beginnt bald")
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("beendet")


def _is_platform_admin(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_platform_admin)


def offering_q(user: Any, prefix: str = "") -> Q:
    """Campaigns or polls (reached through `prefix`) that `user` may see: see `Offering.restriction`."""
    from lotse.tenancy.selectors import managed_municipality_ids, staff_municipality_ids

    if _is_platform_admin(user):
        return Q()
    p = prefix
    shown = Q(**{f"{p}published": True}) & (
        Q(**{f"{p}audience": Audience.PUBLIC}) | Q(**{f"{p}municipality_id__in": staff_municipality_ids(user)})
    )
    return Q(**{f"{p}municipality_id__in": managed_municipality_ids(user)}) | shown


class Offering(TenantModel):
    """What campaigns and polls have in common: an audience, a period, publication and a retention period."""

    title = models.CharField(_("Titel"), max_length=200)
    introduction = LimitedTextField(
        _("Einleitung"), blank=True, help_text=_("In einfacher Sprache: worum geht es?"), max_length=limits.LONG_TEXT
    )
    audience = models.CharField(_("Zielgruppe"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    published = models.BooleanField(
        _("veröffentlicht"), default=False, help_text=_("Solange nicht veröffentlicht, sieht nur die Koordination sie.")
    )
    consent_text = LimitedTextField(_("Einwilligungstext"), default=DEFAULT_CONSENT, max_length=limits.LONG_TEXT)
    retention_months = models.PositiveSmallIntegerField(
        _("Aufbewahrungsfrist in Monaten"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("So lange nach dem Ende werden Namen und E-Mail-Adressen aufbewahrt, dann automatisch gelöscht."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        """Mirror of `participation.view_campaign` / `view_poll`: drafts for the coordination only, staff-only
        offerings for the municipality's staff, published public ones for everyone."""
        if action != "view":
            return super().restriction(user, action)
        return offering_q(user)

    def phase(self, today: date | None = None) -> str:
        today = today or date.today()
        if not self.published:
            return Phase.DRAFT
        if today < self.starts_on:
            return Phase.UPCOMING
        return Phase.OPEN if today <= self.ends_on else Phase.CLOSED

    def phase_label(self) -> str:
        return str(Phase(self.phase()).label)

    def is_open(self, today: date | None = None) -> bool:
        return self.phase(today) == Phase.OPEN

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC


class Campaign(Offering):
    """A call for ideas, e.g. "Ideen für die Digitalstrategie 2027"."""

    fields = models.ManyToManyField(FieldOfAction, verbose_name=_("Handlungsfelder"), blank=True, related_name="+")
    moderation = models.CharField(_("Moderation"), max_length=10, choices=Moderation.choices, default=Moderation.BEFORE)

    history = HistoricalRecords(m2m_fields=[fields])

    class Meta:
        verbose_name = _("Beteiligungsaktion")
        verbose_name_plural = _("Beteiligungsaktionen")
        ordering = ["-starts_on", "title"]


class Participant(models.Model):
    """A person who took part in one municipality: a citizen known by (optional) name and e-mail, or a member
    of staff through their account. The only place that holds their personal data."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    name = models.CharField(_("Name"), max_length=100, blank=True)
    confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(_("Personendaten gelöscht am"), null=True, blank=True)
    # Links sent by e-mail carry this; raising it makes every earlier link invalid (after an erasure).
    link_generation = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Beteiligte Person")
        verbose_name_plural = _("Beteiligte Personen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "email"], condition=~models.Q(email=""), name="participant_once_per_email"
            ),
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_once_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.user_id and not self.name:
            return self.user.get_full_name() or str(_("Beschäftigte/r"))  # type: ignore[union-attr]
        return self.name or str(_("anonym"))

    @property
    def contact(self) -> str:
        """Where news about their contributions go: their e-mail, or their account's."""
        if self.erased_at:
            return ""
        if self.user_id:
            return self.user.email  # type: ignore[union-attr]
        return self.email if self.confirmed_at else ""


class Publication(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("E-Mail noch nicht bestätigt")
    PENDING = "pending", _("wartet auf Moderation")
    PUBLISHED = "published", _("veröffentlicht")
    HIDDEN = "hidden", _("von der Moderation ausgeblendet")


class IdeaStatus(models.TextChoices):
    """The public answer to "Was ist aus meiner Idee geworden?"."""

    RECEIVED = "received", _("eingegangen")
    REVIEW = "review", _("in Prüfung")
    ADOPTED = "adopted", _("aufgenommen")
    DONE = "done", _("umgesetzt")
    REJECTED = "rejected", _("nicht umsetzbar")


class Idea(TenantModel):
    @classmethod
    def restriction(cls, user: Any, action: str = "view") -> Q:
        """Mirror of `participation.view_idea`: the coordination sees every idea (also those waiting for
        moderation), everyone else the published ideas of the campaigns they may see."""
        if action != "view":
            return super().restriction(user, action)
        from lotse.tenancy.selectors import managed_municipality_ids

        if _is_platform_admin(user):
            return Q()
        published = Q(publication="published") & offering_q(user, "campaign__")
        return Q(municipality_id__in=managed_municipality_ids(user)) | published

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("Beteiligungsaktion"), on_delete=models.CASCADE, related_name="ideas"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("eingereicht von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = LimitedTextField(_("Beschreibung"), max_length=limits.DESCRIPTION)
    # The name given with this idea: shown with it alone, so nobody renames another person's contributions.
    author_name = models.CharField(_("Name"), max_length=100, blank=True)
    field = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("zuständige Einheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    publication = models.CharField(_("Veröffentlichung"), max_length=12, choices=Publication.choices)
    status = models.CharField(_("Stand"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED)
    feedback = LimitedTextField(
        _("Rückmeldung der Verwaltung"),
        blank=True,
        help_text=_("Öffentlich sichtbar; bei „nicht umsetzbar“ die Begründung."),
        max_length=limits.LONG_TEXT,
    )
    status_changed_at = models.DateTimeField(_("Stand geändert am"), null=True, blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("Projekte"), blank=True, related_name="ideas")
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("zusammengeführt mit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    supporters_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    comments_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    # Derived: the synergy engine's analysis of title and description (for duplicates and topics).
    signature = models.JSONField(default=dict, editable=False)
    concepts = models.JSONField(default=list, editable=False)

    history = HistoricalRecords(
        excluded_fields=["supporters_count", "comments_count", "signature", "concepts"], m2m_fields=[projects]
    )

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "publication", "-created_at"], name="idea_campaign_new"),
            models.Index(fields=["campaign", "publication", "-supporters_count"], name="idea_campaign_top"),
            models.Index(fields=["municipality", "publication", "updated_at"], name="idea_town_changed"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def author(self) -> str:
        return author_of(self)

    @property
    def is_public(self) -> bool:
        return self.publication == Publication.PUBLISHED


class Support(models.Model):
    """One person's support for an idea; counted only once their e-mail is confirmed."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="supports")
    confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [models.UniqueConstraint(fields=["idea", "participant"], name="support_once_per_person")]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.idea_id}"


def author_of(contribution: Any) -> str:
    """The name a contribution is shown with: the one given with it, a member of staff's own, or "anonym"."""
    participant = contribution.participant
    if participant is None or participant.erased_at:
        return str(_("anonym"))
    if contribution.author_name:
        return str(contribution.author_name)
    if participant.user_id:
        return participant.user.get_full_name() or str(_("Beschäftigte/r"))
    return str(_("anonym"))


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    participant = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="comments")
    text = LimitedTextField(_("Kommentar"), max_length=2000)
    author_name = models.CharField(_("Name"), max_length=100, blank=True)
    publication = models.CharField(_("Veröffentlichung"), max_length=12, choices=Publication.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def author(self) -> str:
        return author_of(self)


class AbuseReport(models.Model):
    """Someone thinks an idea or comment breaks the rules; the moderation decides."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("offen")
        HIDDEN = "hidden", _("ausgeblendet")
        DISMISSED = "dismissed", _("zurückgewiesen")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = LimitedTextField(_("Was ist das Problem?"), max_length=1000)
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reason[:60]


class ModerationEntry(models.Model):
    """The moderation log: every decision about contributions and personal data, with who and why.
    Holds no personal data of participants (only the record's number and title)."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("veröffentlicht")
        HIDDEN = "hidden", _("ausgeblendet")
        REPORT_DISMISSED = "report_dismissed", _("Meldung zurückgewiesen")
        STATUS = "status", _("Stand geändert")
        MERGED = "merged", _("zusammengeführt")
        PROJECT = "project", _("in Projekt übernommen")
        EXPORTED = "exported", _("Personendaten exportiert")
        ERASED = "erased", _("Personendaten gelöscht")
        EXPIRED = "expired", _("Personendaten nach Frist gelöscht")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("Aktion"), max_length=20, choices=Action.choices)
    subject = models.CharField(_("Gegenstand"), max_length=300)
    reason = LimitedTextField(_("Begründung"), blank=True, max_length=limits.LONG_TEXT)

    class Meta:
        verbose_name = _("Moderationsprotokoll")
        verbose_name_plural = _("Moderationsprotokoll")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"


class Poll(Offering):
    """A questionnaire, e.g. the Bürgerumfrage. `anonymous`: answers are never linked to a person; `one_per_person`:
    each person answers once (staff by their account, citizens by a confirmed e-mail address, stored only as a
    keyed hash when the poll is anonymous)."""

    anonymous = models.BooleanField(
        _("anonym"), default=True, help_text=_("Antworten werden keiner Person zugeordnet.")
    )
    one_per_person = models.BooleanField(
        _("eine Antwort je Person"),
        default=False,
        help_text=_("Bürgerinnen und Bürger bestätigen ihre Antwort per E-Mail; Beschäftigte sind angemeldet."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["-starts_on", "title"]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    SCALE = "scale", _("Skala")
    RANKING = "ranking", _("Rangfolge")
    TEXT = "text", _("Freitext")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)


class Question(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    kind = models.CharField(_("Art"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Hinweis"), max_length=300, blank=True)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    options = LimitedTextField(
        _("Antwortmöglichkeiten"),
        blank=True,
        help_text=_("Eine Antwortmöglichkeit je Zeile"),
        max_length=limits.LONG_TEXT,
    )
    scale_min = models.SmallIntegerField(_("Skala von"), default=1)
    scale_max = models.SmallIntegerField(_("Skala bis"), default=5)
    scale_min_label = models.CharField(_("Beschriftung des kleinsten Werts"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("Beschriftung des größten Werts"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class PollResponse(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    # For one answer per person: a keyed hash of the account or e-mail address, never the address itself.
    respondent_key = models.CharField(max_length=64, blank=True)
    # The same hash while the e-mail address is unconfirmed: only a confirmed answer holds the one place per
    # person, so typing someone else's address neither blocks them nor tells whether they answered.
    pending_key = models.CharField(max_length=64, blank=True)
    confirmed = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "respondent_key"],
                condition=~models.Q(respondent_key=""),
                name="response_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.poll_id} #{self.pk}"


class Answer(models.Model):
    """One answer: an option index (single, scale value), a list of option indexes (multiple; ranking in
    order of preference) or text."""

    response = models.ForeignKey(PollResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"
