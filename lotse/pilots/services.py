"""Writes of the pilots room. Appointing a pilot also makes them an editor of their units, so that they can
keep their units' projects and OZG statuses current; coordinators keep their role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.core.services import versioned_create, versioned_delete, versioned_update
from lotse.pilots.models import DigitalPilot, ModuleCompletion, Registration, Seminar
from lotse.portfolio.models import Project
from lotse.tenancy import services as tenancy
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role


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
            pilot, user=user, expected_version=expected_version or pilot.version, data=values, m2m=m2m
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
    send_mail(
        _("Lotse: Sie haben einen Platz im Seminar „%(title)s“") % {"title": waiting.seminar.title},
        _("Ein Platz ist frei geworden: Sie sind jetzt für „%(seminar)s“ angemeldet.") % {"seminar": waiting.seminar},
        settings.DEFAULT_FROM_EMAIL,
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
