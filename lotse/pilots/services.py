"""Writes of the pilots room. Appointing a pilot also makes them an editor of their units, so that they can
keep their units' projects and OZG statuses current; coordinators keep their role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.core.services import versioned_create, versioned_delete, versioned_update
from lotse.pilots.models import DigitalPilot
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
