"""Writes of the participation room: submitting and confirming contributions, moderation, the feedback channel
(status changes notify the author), triage (merge, idea → project), polls, and the GDPR functions (export,
erasure, erasure after the retention period). Every moderation decision is written to the moderation log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.mail import send
from lotse.core.services import versioned_create, versioned_update
from lotse.participation.models import (
    AbuseReport,
    Answer,
    Campaign,
    Comment,
    Idea,
    IdeaStatus,
    Moderation,
    ModerationEntry,
    Participant,
    Poll,
    PollResponse,
    Publication,
    Question,
    Support,
)
from lotse.participation.selectors import canonical_email
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project
from lotse.synergy import engine
from lotse.tenancy.models import Municipality, Visibility

TOKEN_SALT = "lotse.participation.confirm"  # noqa: S105 (a namespace, not a secret)
LINK_SALT = "lotse.participation.mine"
CONFIRM_DAYS = 7  # unconfirmed contributions are deleted after this


# --- links sent by e-mail --------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.LOTSE_BASE_URL.rstrip("/") + path


def confirm_token(kind: str, pk: int) -> str:
    return signing.dumps({"k": kind, "i": pk}, salt=TOKEN_SALT, compress=True)


def read_confirm_token(token: str) -> tuple[str, int]:
    """The contribution a confirmation link is for; ValidationError when forged or older than a week."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Dieser Bestätigungslink ist abgelaufen. Bitte reichen Sie Ihren Beitrag erneut ein.")
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Dieser Bestätigungslink ist ungültig.")) from error
    return str(data["k"]), int(data["i"])


def participant_link(participant: Participant) -> str:
    """The path of the participant's own page ("Was ist aus meiner Idee geworden?")."""
    token = signing.dumps({"p": participant.pk, "g": participant.link_generation}, salt=LINK_SALT, compress=True)
    return reverse("participation:mine_token", kwargs={"municipality": participant.municipality.slug, "token": token})


def participant_from_link(token: str, municipality: Municipality) -> Participant:
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as error:
        raise ValidationError(_("Dieser Link ist ungültig.")) from error
    participant = Participant.objects.filter(
        pk=data.get("p"), municipality=municipality, erased_at__isnull=True
    ).first()
    if participant is None or participant.link_generation != data.get("g"):
        raise ValidationError(_("Dieser Link ist nicht mehr gültig."))
    return participant


def send_link(participant: Participant) -> None:
    """Send a participant the link to their own page again (they lost it)."""
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Guten Tag,\n\nhier ist Ihr persönlicher Link zu Ihren Beiträgen bei %(town)s. Dort sehen Sie, was aus "
            "Ihren Ideen geworden ist, und können Ihre Daten herunterladen oder löschen:\n\n%(link)s"
        ) % {"town": participant.municipality.name, "link": absolute(participant_link(participant))}
        _mail(participant.contact, _("Ihr Link zu Ihren Beiträgen"), body)


def _mail(to: str, subject: str, body: str) -> None:
    if to:
        send(subject, body, [to])


def _log(municipality: Municipality, user: Any, action: str, subject: str, reason: str = "") -> None:
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    ModerationEntry.objects.create(
        municipality=municipality, actor=actor, action=action, subject=subject[:300], reason=reason
    )


def _subject(record: Idea | Comment) -> str:
    if isinstance(record, Idea):
        return _("Idee #%(pk)s „%(title)s“") % {"pk": record.pk, "title": record.title}
    return _("Kommentar #%(pk)s zu Idee #%(idea)s") % {"pk": record.pk, "idea": record.idea_id}


# --- participants --------------------------------------------------------------------------------------------


def participant_for_user(municipality: Municipality, user: Any) -> Participant:
    participant, _created = Participant.objects.get_or_create(
        municipality=municipality, user=user, defaults={"confirmed_at": timezone.now()}
    )
    return participant


def participant_for_email(municipality: Municipality, email: str) -> Participant:
    """The participant behind an e-mail address. Nothing submitted with the address (a name, say) changes them:
    whoever types someone else's address must not rename that person's contributions."""
    email = canonical_email(email)
    participant, _created = Participant.objects.get_or_create(municipality=municipality, email=email)
    return participant


def _confirmation_mail(participant: Participant, email: str, kind: str, pk: int, what: str) -> None:
    path = reverse(
        "participation:confirm",
        kwargs={"municipality": participant.municipality.slug, "token": confirm_token(kind, pk)},
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Guten Tag,\n\nbitte bestätigen Sie %(what)s bei %(town)s mit diesem Link (gültig für %(days)s Tage):\n\n"
            "%(link)s\n\nErst dann wird Ihr Beitrag berücksichtigt. Wenn Sie nichts eingereicht haben, können Sie "
            "diese E-Mail ignorieren; die Angaben werden dann automatisch gelöscht."
        ) % {"what": what, "town": participant.municipality.name, "days": CONFIRM_DAYS, "link": absolute(path)}
        _mail(email, _("Bitte bestätigen Sie Ihren Beitrag"), body)


# --- ideas ---------------------------------------------------------------------------------------------------


def analyse(idea: Idea) -> None:
    doc = engine.analyse(str(idea.pk or 0), idea.title, idea.description)
    idea.signature = {"f": doc.features, "d": doc.digital}
    idea.concepts = sorted(doc.concepts)


def _initial_publication(campaign: Campaign) -> str:
    return Publication.PENDING if campaign.moderation == Moderation.BEFORE else Publication.PUBLISHED


@transaction.atomic
def idea_submit(
    campaign: Campaign,
    *,
    participant: Participant,
    confirmed: bool,
    title: str,
    description: str,
    field: Any = None,
    author_name: str = "",
) -> Idea:
    """A new idea. Unconfirmed ideas wait for the e-mail link; confirmed ones go to moderation or straight out."""
    if not campaign.is_open():
        raise ValidationError(
            _("Diese Beteiligung ist nicht geöffnet. Ideen können nur während der Laufzeit eingereicht werden.")
        )
    idea = Idea(
        municipality_id=campaign.municipality_id,
        campaign=campaign,
        participant=participant,
        title=title.strip(),
        description=description.strip(),
        author_name=author_name.strip(),
        field=field,
        publication=_initial_publication(campaign) if confirmed else Publication.UNCONFIRMED,
    )
    analyse(idea)
    idea.full_clean()
    idea.save()
    if not confirmed:
        _confirmation_mail(
            participant, participant.email, "idea", idea.pk, _("Ihre Idee „%(title)s“") % {"title": idea.title}
        )
    return idea


@transaction.atomic
def confirm(municipality: Municipality, token: str) -> tuple[str, Any]:
    """Confirm the contribution a link is for; confirming twice is harmless. Returns (kind, record)."""
    kind, pk = read_confirm_token(token)
    now = timezone.now()
    if kind == "idea":
        idea = Idea.objects.select_related("campaign", "participant").filter(pk=pk, municipality=municipality).first()
        if idea is None:
            raise ValidationError(_("Diese Idee gibt es nicht mehr."))
        if idea.publication == Publication.UNCONFIRMED:
            idea.publication = _initial_publication(idea.campaign)
            idea.save(update_fields=["publication", "updated_at"])
        participant = idea.participant
        record: Any = idea
    elif kind == "support":
        support = (
            Support.objects.select_related("idea", "participant").filter(pk=pk, idea__municipality=municipality).first()
        )
        if support is None:
            raise ValidationError(_("Diese Unterstützung gibt es nicht mehr."))
        if not support.confirmed:
            support.confirmed = True
            support.save(update_fields=["confirmed"])
            recount(support.idea)
        participant, record = support.participant, support
    elif kind == "comment":
        comment = (
            Comment.objects.select_related("idea__campaign", "participant")
            .filter(pk=pk, idea__municipality=municipality)
            .first()
        )
        if comment is None:
            raise ValidationError(_("Diesen Kommentar gibt es nicht mehr."))
        if comment.publication == Publication.UNCONFIRMED:
            comment.publication = _initial_publication(comment.idea.campaign)
            comment.save(update_fields=["publication"])
            recount(comment.idea)
        participant, record = comment.participant, comment
    elif kind == "response":
        response = PollResponse.objects.select_related("poll").filter(pk=pk, poll__municipality=municipality).first()
        if response is None:
            raise ValidationError(_("Diese Antwort gibt es nicht mehr."))
        if not response.confirmed:
            response.confirmed, response.respondent_key, response.pending_key = True, response.pending_key, ""
            try:
                with transaction.atomic():
                    response.save(update_fields=["confirmed", "respondent_key", "pending_key"])
            except IntegrityError:  # the owner of the address had answered already: the first answer counts
                response.delete()
                return "response_refused", response
        participant, record = response.participant, response
    else:
        raise ValidationError(_("Dieser Bestätigungslink ist ungültig."))
    if participant is not None:
        changed = []
        if participant.confirmed_at is None:
            participant.confirmed_at, changed = now, ["confirmed_at"]
        named = getattr(record, "author_name", "")
        if named and named != participant.name:
            # Only a confirmed contribution names its author (for their own page); it renames nothing else,
            # since every contribution keeps the name it was given with.
            participant.name = named
            changed.append("name")
        if changed:
            participant.save(update_fields=changed)
    return kind, record


def recount(idea: Idea) -> None:
    Idea.objects.filter(pk=idea.pk).update(
        supporters_count=Support.objects.filter(idea=idea, confirmed=True).count(),
        comments_count=Comment.objects.filter(idea=idea, publication=Publication.PUBLISHED).count(),
    )


@transaction.atomic
def support_add(idea: Idea, *, participant: Participant, confirmed: bool) -> Support:
    """Support an idea once per person; a second support by the same person changes nothing."""
    if not idea.campaign.is_open():
        raise ValidationError(_("Die Beteiligung ist beendet; Ideen können nicht mehr unterstützt werden."))
    support, created = Support.objects.get_or_create(
        idea=idea, participant=participant, defaults={"confirmed": confirmed}
    )
    if not created and confirmed and not support.confirmed:
        support.confirmed = True
        support.save(update_fields=["confirmed"])
    if support.confirmed:
        recount(idea)
    elif created:
        _confirmation_mail(
            participant,
            participant.email,
            "support",
            support.pk,
            _("Ihre Unterstützung für „%(title)s“") % {"title": idea.title},
        )
    return support


@transaction.atomic
def comment_add(idea: Idea, *, participant: Participant, confirmed: bool, text: str, author_name: str = "") -> Comment:
    if not idea.campaign.is_open():
        raise ValidationError(_("Die Beteiligung ist beendet; es können keine Kommentare mehr geschrieben werden."))
    comment = Comment.objects.create(
        idea=idea,
        participant=participant,
        text=text.strip(),
        author_name=author_name.strip(),
        publication=_initial_publication(idea.campaign) if confirmed else Publication.UNCONFIRMED,
    )
    if confirmed:
        recount(idea)
    else:
        _confirmation_mail(
            participant,
            participant.email,
            "comment",
            comment.pk,
            _("Ihren Kommentar zu „%(title)s“") % {"title": idea.title},
        )
    return comment


def report_add(
    municipality: Municipality, *, idea: Idea | None = None, comment: Comment | None = None, reason: str
) -> AbuseReport:
    return AbuseReport.objects.create(municipality=municipality, idea=idea, comment=comment, reason=reason.strip())


# --- moderation ----------------------------------------------------------------------------------------------


@transaction.atomic
def moderate(record: Idea | Comment, *, user: Any, publish: bool, reason: str = "") -> None:
    """Publish or hide an idea or comment; open reports about it are settled with the same decision."""
    record.publication = Publication.PUBLISHED if publish else Publication.HIDDEN
    if isinstance(record, Idea):
        record.save(update_fields=["publication", "updated_at"])
        municipality = record.municipality
        reports = AbuseReport.objects.filter(idea=record)
    else:
        record.save(update_fields=["publication"])
        recount(record.idea)
        municipality = record.idea.municipality
        reports = AbuseReport.objects.filter(comment=record)
    if not publish and not reason:
        raise ValidationError(_("Bitte begründen Sie, warum der Beitrag ausgeblendet wird."))
    reports.filter(outcome=AbuseReport.Outcome.OPEN).update(
        outcome=AbuseReport.Outcome.DISMISSED if publish else AbuseReport.Outcome.HIDDEN,
        resolved_at=timezone.now(),
        resolved_by=user,
    )
    action = ModerationEntry.Action.PUBLISHED if publish else ModerationEntry.Action.HIDDEN
    _log(municipality, user, action, _subject(record), reason)


@transaction.atomic
def report_dismiss(report: AbuseReport, *, user: Any, reason: str = "") -> None:
    report.outcome = AbuseReport.Outcome.DISMISSED
    report.resolved_at = timezone.now()
    report.resolved_by = user
    report.save(update_fields=["outcome", "resolved_at", "resolved_by"])
    target = report.idea or report.comment
    _log(report.municipality, user, ModerationEntry.Action.REPORT_DISMISSED, _subject(target) if target else "", reason)


# --- the feedback channel ------------------------------------------------------------------------------------


def _notify_status(idea: Idea) -> None:
    """E-mail the authors of the idea and of the ideas merged into it about the new status."""
    authors = [idea.participant] + [m.participant for m in idea.merged.select_related("participant__user")]
    projects = list(idea.projects.all())
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Guten Tag,"),
            "",
            _("zu Ihrer Idee „%(title)s“ gibt es Neues. Neuer Stand: %(status)s.")
            % {"title": idea.title, "status": idea.get_status_display()},
        ]
        if idea.feedback:
            lines += ["", _("Rückmeldung der Verwaltung:"), idea.feedback]
        for project in projects:
            if project.visibility == Visibility.PUBLIC:
                path = reverse("portfolio:project", kwargs={"municipality": idea.municipality.slug, "pk": project.pk})
                lines += [
                    "",
                    _("Daraus ist das Projekt „%(title)s“ geworden: %(link)s")
                    % {"title": project.title, "link": absolute(path)},
                ]
            else:
                lines += ["", _("Sie ist in ein Vorhaben eingeflossen, das noch intern geplant wird.")]
        idea_path = reverse("participation:idea", kwargs={"municipality": idea.municipality.slug, "pk": idea.pk})
        lines += ["", _("Zur Idee: %(link)s") % {"link": absolute(idea_path)}]
        for participant in {a.pk: a for a in authors if a is not None}.values():
            if not participant.contact:
                continue
            body = "\n".join(
                [*lines, _("Alle Ihre Beiträge: %(link)s") % {"link": absolute(participant_link(participant))}]
            )
            _mail(
                participant.contact,
                _("Ihre Idee „%(title)s“: %(status)s") % {"title": idea.title, "status": idea.get_status_display()},
                body,
            )


@transaction.atomic
def idea_update(
    idea: Idea,
    *,
    user: Any,
    expected_version: int,
    data: Mapping[str, Any],
    projects: Iterable[Project] | None = None,
    notify: bool = True,
) -> Idea:
    """The Stabsstelle's answer: status, feedback, field, responsible unit and linked projects. Authors are told
    by e-mail whenever the status or the public feedback changes."""
    before: Any = Idea.objects.filter(pk=idea.pk).values("status", "feedback").first() or {}
    data = dict(data)
    status = data.get("status", idea.status)
    feedback = str(data.get("feedback", idea.feedback)).strip()
    if status == IdeaStatus.REJECTED and not feedback:
        raise ValidationError({"feedback": _("Bitte begründen Sie, warum die Idee nicht umsetzbar ist.")})
    linked = list(projects) if projects is not None else list(idea.projects.all())
    if status in (IdeaStatus.ADOPTED, IdeaStatus.DONE) and not linked:
        raise ValidationError(
            {"projects": _("Eine aufgenommene oder umgesetzte Idee ist mit einem Projekt verknüpft.")}
        )
    changed = before.get("status") != status or (before.get("feedback") or "") != feedback
    if before.get("status") != status:
        data["status_changed_at"] = timezone.now()
    data["feedback"] = feedback
    idea = versioned_update(
        idea,
        user=user,
        expected_version=expected_version,
        data=data,
        m2m={"projects": linked} if projects is not None else None,
    )
    # Merged duplicates follow their idea, so their authors see the same answer.
    Idea.objects.filter(merged_into=idea).update(
        status=idea.status, feedback=idea.feedback, status_changed_at=idea.status_changed_at
    )
    if changed:
        _log(
            idea.municipality,
            user,
            ModerationEntry.Action.STATUS,
            _subject(idea),
            f"{idea.get_status_display()}: {feedback}",
        )
        transaction.on_commit(lambda: _notify_status(Idea.objects.get(pk=idea.pk)))
    return idea


@transaction.atomic
def merge(idea: Idea, *, into: Idea, user: Any, reason: str = "", notify: bool = True) -> Idea:
    """Merge a duplicate into another idea of the same municipality: its supports move over (once per person),
    it leaves the lists and points to the idea it joined, and its author hears how it goes on."""
    if idea.pk == into.pk or into.merged_into_id == idea.pk or idea.municipality_id != into.municipality_id:
        raise ValidationError(_("Eine Idee kann nur mit einer anderen Idee derselben Kommune zusammengeführt werden."))
    while into.merged_into_id:  # join the idea at the end of a chain
        into = into.merged_into  # type: ignore[assignment]
    supporters = set(Support.objects.filter(idea=into).values_list("participant_id", flat=True))
    for support in Support.objects.filter(idea=idea).exclude(participant_id__in=supporters):
        support.idea = into
        support.save(update_fields=["idea"])
    Support.objects.filter(idea=idea).delete()
    Idea.objects.filter(merged_into=idea).update(merged_into=into)
    Idea.objects.filter(pk=idea.pk).update(
        merged_into=into, status=into.status, feedback=into.feedback, supporters_count=0, updated_at=timezone.now()
    )
    recount(into)
    _log(
        idea.municipality,
        user,
        ModerationEntry.Action.MERGED,
        _subject(idea),
        _("mit Idee #%(pk)s „%(title)s“. %(reason)s") % {"pk": into.pk, "title": into.title, "reason": reason},
    )
    idea.refresh_from_db()
    author = idea.participant
    if notify and author is not None and author.contact:
        path = reverse("participation:idea", kwargs={"municipality": into.municipality.slug, "pk": into.pk})
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "Guten Tag,\n\nIhre Idee „%(title)s“ ist einer anderen sehr ähnlich und wurde mit ihr zusammengeführt: "
                "„%(into)s“. Ihre Unterstützungen zählen dort mit, und Sie erfahren per E-Mail, wie es "
                "weitergeht.\n\n%(link)s"
            ) % {"title": idea.title, "into": into.title, "link": absolute(path)}
            transaction.on_commit(lambda: _mail(author.contact, _("Ihre Idee wurde zusammengeführt"), body))
    return idea


@transaction.atomic
def ideas_to_project(
    ideas: Sequence[Idea], *, user: Any, municipality: Municipality, data: Mapping[str, Any], feedback: str
) -> Project:
    """Turn one or several ideas into a new project; each idea is "aufgenommen" and linked to it, both ways."""
    if not ideas:
        raise ValidationError(_("Bitte wählen Sie mindestens eine Idee aus."))
    project = portfolio.project_save(None, user=user, municipality=municipality, data=data)
    for idea in ideas:
        idea_update(
            idea,
            user=user,
            expected_version=idea.version,
            data={"status": IdeaStatus.ADOPTED, "feedback": feedback or idea.feedback},
            projects=[*idea.projects.all(), project],
        )
    _log(
        municipality,
        user,
        ModerationEntry.Action.PROJECT,
        _("Projekt %(key)s „%(title)s“") % {"key": project.key, "title": project.title},
        ", ".join(f"#{i.pk}" for i in ideas),
    )
    return project


# --- campaigns and polls -------------------------------------------------------------------------------------


def offering_save(
    model: type[Campaign] | type[Poll],
    instance: Any,
    *,
    user: Any,
    municipality: Municipality,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> Any:
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("Das Ende liegt vor dem Beginn.")})
    if instance is None:
        return versioned_create(model, user=user, data={**data, "municipality": municipality}, m2m=m2m)
    return versioned_update(
        instance,
        user=user,
        expected_version=instance.version if expected_version is None else expected_version,
        data=data,
        m2m=m2m,
    )


def question_save(poll: Poll, question: Question | None, *, data: Mapping[str, Any]) -> Question:
    if (
        PollResponse.objects.filter(poll=poll).exists()
        and question is not None
        and "kind" in data
        and data["kind"] != question.kind
    ):
        raise ValidationError(
            {"kind": _("Die Art einer Frage, die schon beantwortet wurde, kann nicht mehr geändert werden.")}
        )
    if question is None:
        position = (poll.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        question = Question(poll=poll, position=position)
    for name, value in data.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_move(question: Question, *, up: bool) -> None:
    siblings = list(question.poll.questions.all())
    i = siblings.index(question)
    j = i - 1 if up else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
    for position, q in enumerate(siblings, start=1):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


def question_delete(question: Question) -> None:
    if question.answers.exists():
        raise ValidationError(_("Diese Frage wurde schon beantwortet; sie kann nicht mehr gelöscht werden."))
    question.delete()


def respondent_key(poll: Poll, identity: str) -> str:
    return signing.Signer(salt=f"lotse.poll.{poll.pk}").signature(identity.strip().lower())[:64]


ALREADY_ANSWERED = gettext_lazy("Sie haben an dieser Umfrage schon teilgenommen. Vielen Dank!")


@transaction.atomic
def response_submit(
    poll: Poll,
    *,
    answers: Mapping[Question, Any],
    user: Any = None,
    email: str = "",
    participant: Participant | None = None,
) -> PollResponse:
    """Store one questionnaire. Anonymous polls never link the response to a person; polls with one answer per
    person refuse a second one (the e-mail address only as a keyed hash)."""
    if not poll.is_open():
        raise ValidationError(_("Diese Umfrage ist nicht geöffnet."))
    staff = user is not None and getattr(user, "is_authenticated", False)
    key = ""
    if poll.one_per_person:
        if staff:
            key = respondent_key(poll, f"user:{user.pk}")
        elif email:
            key = respondent_key(poll, f"mail:{canonical_email(email)}")
        else:
            raise ValidationError(
                {"email": _("Bitte geben Sie Ihre E-Mail-Adresse an; jede Person kann einmal antworten.")}
            )
    confirmed = staff or not poll.one_per_person
    try:
        with transaction.atomic():
            response = PollResponse.objects.create(
                poll=poll,
                participant=None if poll.anonymous else participant,
                respondent_key=key if confirmed else "",
                pending_key="" if confirmed else key,
                confirmed=confirmed,
            )
    except IntegrityError as error:
        raise ValidationError(ALREADY_ANSWERED) from error
    Answer.objects.bulk_create(
        [Answer(response=response, question=q, value=v) for q, v in answers.items() if v not in (None, "", [])]
    )
    if not confirmed:
        holder = participant or Participant(municipality=poll.municipality)
        _confirmation_mail(
            holder,
            email,
            "response",
            response.pk,
            _("Ihre Antwort auf die Umfrage „%(title)s“") % {"title": poll.title},
        )
    return response


# --- GDPR ----------------------------------------------------------------------------------------------------


def export_participant(participant: Participant, *, user: Any = None) -> dict[str, Any]:
    """Everything Lotse holds about one participant (Art. 15 GDPR), as plain data."""
    ideas = participant.ideas.select_related("campaign").prefetch_related("projects")
    data = {
        "kommune": participant.municipality.name,
        "name": participant.name,
        "e_mail": participant.email or (participant.user.email if participant.user_id else ""),  # type: ignore[union-attr]
        "konto": bool(participant.user_id),
        "erstmals_beteiligt": participant.created_at.isoformat(),
        "e_mail_bestaetigt": participant.confirmed_at.isoformat() if participant.confirmed_at else None,
        "ideen": [
            {
                "id": i.pk,
                "beteiligung": i.campaign.title,
                "titel": i.title,
                "beschreibung": i.description,
                "eingereicht": i.created_at.isoformat(),
                "stand": i.get_status_display(),
                "rueckmeldung": i.feedback,
                "veroeffentlichung": i.get_publication_display(),
                "projekte": [p.title for p in i.projects.all()],
            }
            for i in ideas
        ],
        "kommentare": [
            {"idee": c.idea.title, "text": c.text, "geschrieben": c.created_at.isoformat()}
            for c in participant.comments.select_related("idea")
        ],
        "unterstuetzungen": [s.idea.title for s in participant.supports.select_related("idea")],
        "umfragen": [
            {
                "umfrage": r.poll.title,
                "beantwortet": r.created_at.isoformat(),
                "antworten": {a.question.text: a.value for a in r.answers.select_related("question")},
            }
            for r in participant.responses.select_related("poll")
        ],
    }
    if user is not None:
        _log(
            participant.municipality,
            user,
            ModerationEntry.Action.EXPORTED,
            _("Beteiligte Person #%(pk)s") % {"pk": participant.pk},
        )
    return data


@transaction.atomic
def erase_participant(participant: Participant, *, user: Any = None, reason: str = "", expired: bool = False) -> None:
    """Delete a participant's personal data (Art. 17 GDPR). Published contributions stay, anonymous; what was
    never confirmed goes; every link sent to them stops working."""
    participant.ideas.filter(publication=Publication.UNCONFIRMED).delete()
    participant.comments.filter(publication=Publication.UNCONFIRMED).delete()
    participant.supports.filter(confirmed=False).delete()
    participant.responses.update(participant=None)
    participant.ideas.update(author_name="")
    participant.comments.update(author_name="")
    Participant.objects.filter(pk=participant.pk).update(
        name="", email="", user=None, erased_at=timezone.now(), link_generation=F("link_generation") + 1
    )
    action = ModerationEntry.Action.EXPIRED if expired else ModerationEntry.Action.ERASED
    _log(participant.municipality, user, action, _("Beteiligte Person #%(pk)s") % {"pk": participant.pk}, reason)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def expiry_of(offering: Campaign | Poll) -> date:
    return _add_months(offering.ends_on, offering.retention_months)


def erase_expired(today: date | None = None) -> int:
    """Erase the personal data of everyone whose every campaign and poll ended longer ago than its retention
    period, and drop contributions that were never confirmed. Run daily (`lotse participation_erase`)."""
    today = today or date.today()
    stale = timezone.now() - timedelta(days=CONFIRM_DAYS)
    Idea.objects.filter(publication=Publication.UNCONFIRMED, created_at__lt=stale).delete()
    Comment.objects.filter(publication=Publication.UNCONFIRMED, created_at__lt=stale).delete()
    Support.objects.filter(confirmed=False, created_at__lt=stale).delete()
    PollResponse.objects.filter(confirmed=False, created_at__lt=stale).delete()

    live_campaigns = [c.pk for c in Campaign.objects.all() if expiry_of(c) >= today]
    live_polls = [p.pk for p in Poll.objects.all() if expiry_of(p) >= today]
    active = Q(ideas__campaign__in=live_campaigns) | Q(comments__idea__campaign__in=live_campaigns)
    active |= Q(supports__idea__campaign__in=live_campaigns) | Q(responses__poll__in=live_polls)
    # A participant with no contribution at all (e.g. everything unconfirmed was dropped) is erased too.
    candidates = (
        Participant.objects.filter(erased_at__isnull=True)
        .exclude(pk__in=Participant.objects.filter(active).values("pk"))
        .annotate(n=Count("ideas") + Count("comments"))
    )
    count = 0
    for participant in candidates.select_related("municipality"):
        if participant.created_at > stale and participant.n == 0:
            continue  # just arrived: their first contribution may still be confirmed
        erase_participant(participant, expired=True)
        count += 1
    return count
