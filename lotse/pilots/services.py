"""Writes of the pilots room. Appointing a pilot also makes them an editor of their units, so that they can
keep their units' projects and OZG statuses current; coordinators keep their role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lotse.core.mail import send
from lotse.core.services import versioned_create, versioned_delete, versioned_update
from lotse.pilots.models import (
    BoardAnswer,
    BoardQuestion,
    DigitalPilot,
    ModuleCompletion,
    NetworkEvent,
    Programme,
    Registration,
    Seminar,
)
from lotse.portfolio.models import Project
from lotse.tenancy import services as tenancy
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit, Role


@transaction.atomic
def pilot_save(
    pilot: DigitalPilot | None,
    *,
    user: Any,
    municipality: Municipality,
    person: Any,
    data: Mapping[str, Any],
    org_units: Iterable[OrgUnit],
    projects: Iterable[Project] = (),
    expected_version: int | None = None,
) -> DigitalPilot:
    units = list(org_units)
    if not units:
        raise ValidationError({"org_units": _("Bitte mindestens eine Einheit wählen.")})
    membership = Membership.objects.filter(user=person, municipality=municipality).first()
    if membership is None or membership.role == Role.PARTNER:
        raise ValidationError({"person": _("Digitallotsen sind Beschäftigte der Kommune mit einem Zugang hier.")})
    m2m: dict[str, list[Any]] = {"org_units": units, "projects": list(projects)}
    values = {**data, "person": person}
    if pilot is None:
        pilot = versioned_create(DigitalPilot, user=user, data={**values, "municipality": municipality}, m2m=m2m)
    else:
        pilot = versioned_update(
            pilot,
            user=user,
            expected_version=pilot.version if expected_version is None else expected_version,
            data=values,
            m2m=m2m,
        )
    if membership.role in (Role.READER, Role.EDITOR):
        current = set(membership.org_units.all())
        tenancy.membership_update(
            membership,
            user=user,
            expected_version=membership.version,
            role=Role.EDITOR,
            org_units=current | set(units),
        )
    return pilot


def pilot_delete(pilot: DigitalPilot, *, user: Any, expected_version: int | None = None) -> None:
    """The person keeps their membership and role; a coordinator changes those under Mitglieder."""
    versioned_delete(pilot, user=user, expected_version=expected_version)


# --- the qualification programme


@transaction.atomic
def programme_create(*, user: Any, network: Network, data: dict[str, Any], operators: Any) -> Programme:
    """The network's programme; whoever sets it up runs it too, unless others are named."""
    programme = Programme.objects.create(network=network, **data)
    people = list(operators) or ([user] if not user.is_superuser else [])
    programme.operators.set(people)
    return programme


@transaction.atomic
def register(*, user: Any, seminar: Seminar, pilot: DigitalPilot) -> Registration:
    """A seat if one is free, else a place on the waiting list. The seminar row is locked, so two people
    registering at once never both get the last seat."""
    Seminar.objects.select_for_update().filter(pk=seminar.pk).first()
    if not seminar.programme.network.members.filter(pk=pilot.municipality_id).exists():
        raise ValidationError(_("Die Kommune dieses Digitallotsen gehört nicht zum Netzwerk des Programms."))
    existing = Registration.objects.filter(seminar=seminar, pilot=pilot).first()
    if existing is not None and existing.state != Registration.State.CANCELLED:
        raise ValidationError(_("%(name)s ist für dieses Seminar bereits angemeldet.") % {"name": pilot})
    taken = Registration.objects.filter(seminar=seminar, state=Registration.State.CONFIRMED).count()
    state = Registration.State.CONFIRMED if taken < seminar.capacity else Registration.State.WAITING
    if existing is not None:
        existing.delete()  # a new registration goes to the end of the queue
    return Registration.objects.create(seminar=seminar, pilot=pilot, state=state)


@transaction.atomic
def cancel(*, user: Any, registration: Registration) -> Registration | None:
    """Cancel; a freed seat goes to the first on the waiting list, who is told by e-mail. Returns them."""
    Seminar.objects.select_for_update().filter(pk=registration.seminar_id).first()
    was_confirmed = registration.state == Registration.State.CONFIRMED
    registration.state = Registration.State.CANCELLED
    registration.save(update_fields=["state"])
    if not was_confirmed:
        return None
    waiting = (
        Registration.objects.filter(seminar=registration.seminar, state=Registration.State.WAITING)
        .select_related("pilot__person", "seminar")
        .first()
    )
    if waiting is None:
        return None
    waiting.state = Registration.State.CONFIRMED
    waiting.save(update_fields=["state"])
    send(
        _("Lotse: Sie haben einen Platz im Seminar „%(title)s“") % {"title": waiting.seminar.title},
        _("Ein Platz ist frei geworden: Sie sind jetzt für „%(seminar)s“ angemeldet.") % {"seminar": waiting.seminar},
        [waiting.pilot.person.email],
    )
    return waiting


@transaction.atomic
def record_attendance(*, user: Any, seminar: Seminar, attended: Iterable[int]) -> int:
    """Mark who took part (registration ids); each participant completes the seminar's modules."""
    present = set(attended)
    modules = list(seminar.modules.all())
    count = 0
    for registration in Registration.objects.filter(seminar=seminar, state=Registration.State.CONFIRMED):
        registration.attended = registration.pk in present
        registration.save(update_fields=["attended"])
        if registration.attended:
            count += 1
            for module in modules:
                ModuleCompletion.objects.get_or_create(
                    pilot_id=registration.pilot_id,
                    module=module,
                    defaults={"completed_on": seminar.ends_on, "seminar": seminar},
                )
    return count


# --- the community: network events and the question-and-answer board ------------------------------------------


def _absolute(path: str) -> str:
    return settings.LOTSE_BASE_URL.rstrip("/") + path


def _question_path(question: BoardQuestion) -> str:
    from django.urls import reverse

    return reverse("community:question", kwargs={"slug": question.network.slug, "pk": question.pk})


def _notify(recipients: Iterable[Any], subject: str, body: str) -> None:
    addresses = sorted({u.email for u in recipients if u is not None and u.email and u.is_active})
    for address in addresses:  # one mail each: followers don't see each other's addresses
        send(subject, body, [address])


@transaction.atomic
def question_ask(*, user: Any, network: Network, title: str, body: str, topics: str = "") -> BoardQuestion:
    question = BoardQuestion.objects.create(
        network=network, author=user, title=title.strip(), body=body.strip(), topics=topics.strip()
    )
    question.followers.add(user)
    return question


@transaction.atomic
def answer_post(*, user: Any, question: BoardQuestion, body: str, notify: bool = True) -> BoardAnswer:
    """An answer; everyone following the question (the asker, earlier answerers, who chose to follow) gets an
    e-mail, except the one who wrote it."""
    if question.hidden_reason:
        raise ValidationError(_("Diese Frage ist ausgeblendet und kann nicht beantwortet werden."))
    answer = BoardAnswer.objects.create(question=question, author=user, body=body.strip())
    BoardQuestion.objects.filter(pk=question.pk).update(
        answers_count=question.answers.filter(hidden_reason="").count(), last_activity=answer.created_at
    )
    others = list(question.followers.exclude(pk=user.pk))
    question.followers.add(user)
    name = user.get_full_name() or user.email
    town = _town_of(user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Neue Antwort auf „%(title)s“") % {"title": question.title}
        body_text = _("%(name)s%(town)s hat geantwortet:\n\n%(text)s\n\nZur Frage: %(link)s") % {
            "name": name,
            "town": f" ({town})" if town else "",
            "text": answer.body,
            "link": _absolute(_question_path(question)),
        }
    if notify:
        transaction.on_commit(lambda: _notify(others, subject, body_text))
    return answer


def _town_of(user: Any) -> str:
    membership = Membership.objects.filter(user=user).select_related("municipality").order_by("pk").first()
    return membership.municipality.name if membership else ""


@transaction.atomic
def answer_accept(*, user: Any, answer: BoardAnswer, notify: bool = True) -> None:
    """The asker marks the answer that helped; its author hears of it."""
    question = answer.question
    if question.author_id != user.pk:
        raise ValidationError(_("Nur wer gefragt hat, kann eine Antwort als hilfreich markieren."))
    BoardQuestion.objects.filter(pk=question.pk).update(accepted=answer)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Ihre Antwort hat geholfen")
        body_text = _("Ihre Antwort auf „%(title)s“ wurde als hilfreich markiert. Danke!\n\n%(link)s") % {
            "title": question.title,
            "link": _absolute(_question_path(question)),
        }
    if notify and answer.author_id != user.pk:
        transaction.on_commit(lambda: _notify([answer.author], subject, body_text))


def follow(*, user: Any, question: BoardQuestion, on: bool) -> None:
    if on:
        question.followers.add(user)
    else:
        question.followers.remove(user)


@transaction.atomic
def board_hide(record: BoardQuestion | BoardAnswer, *, user: Any, reason: str) -> None:
    """Moderation by the network's operators: hidden with a reason that stays visible in its place."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Bitte begründen Sie, warum der Beitrag ausgeblendet wird."))
    record.hidden_reason = reason
    record.save(update_fields=["hidden_reason"])
    if isinstance(record, BoardAnswer):
        question = record.question
        BoardQuestion.objects.filter(pk=question.pk).update(
            answers_count=question.answers.filter(hidden_reason="").count()
        )
        if question.accepted_id == record.pk:
            BoardQuestion.objects.filter(pk=question.pk).update(accepted=None)


def board_report(record: BoardQuestion | BoardAnswer, *, user: Any, reason: str, operators: Iterable[Any]) -> None:
    """A member flags a post; the network's operators get an e-mail and decide."""
    question = record if isinstance(record, BoardQuestion) else record.question
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Meldung im Forum: „%(title)s“") % {"title": question.title}
        body_text = _("%(name)s meldet einen Beitrag:\n\n%(reason)s\n\n%(link)s") % {
            "name": user.get_full_name() or user.email,
            "reason": reason.strip(),
            "link": _absolute(_question_path(question)),
        }
    _notify(operators, subject, body_text)


def event_save(event: NetworkEvent | None, *, user: Any, network: Network, data: Mapping[str, Any]) -> NetworkEvent:
    if data["ends_at"] < data["starts_at"]:
        raise ValidationError({"ends_at": _("Das Ende liegt vor dem Beginn.")})
    if event is None:
        event = NetworkEvent(network=network, created_by=user)
    for name, value in data.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    return event
