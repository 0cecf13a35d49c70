"""Writes to tenancy data. Views, forms and commands call these; nothing else writes these models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lotse.core.services import versioned_create, versioned_delete, versioned_update
from lotse.tenancy.models import Membership, Municipality, OrgUnit, Role
from lotse.tenancy.selectors import forget_roles, org_unit_usage


def municipality_update(
    municipality: Municipality, *, user: Any, expected_version: int, data: dict[str, Any]
) -> Municipality:
    return versioned_update(municipality, user=user, expected_version=expected_version, data=data)


def org_unit_create(*, user: Any, municipality: Municipality, data: dict[str, Any]) -> OrgUnit:
    return versioned_create(OrgUnit, user=user, data={**data, "municipality": municipality})


def org_unit_update(unit: OrgUnit, *, user: Any, expected_version: int, data: dict[str, Any]) -> OrgUnit:
    return versioned_update(unit, user=user, expected_version=expected_version, data=data)


def org_unit_delete(unit: OrgUnit, *, user: Any, expected_version: int | None = None) -> None:
    if org_unit_usage(unit):
        raise ValidationError(
            _("„%(unit)s“ hat noch Untereinheiten oder zugeordnete Personen und kann nicht gelöscht werden.")
            % {"unit": unit}
        )
    versioned_delete(unit, user=user, expected_version=expected_version)


def _units_of(municipality: Municipality, units: Iterable[OrgUnit]) -> list[OrgUnit]:
    units = list(units)
    if any(u.municipality_id != municipality.pk for u in units):
        raise ValidationError(_("Die Organisationseinheit gehört zu einer anderen Kommune."))
    return units


@transaction.atomic
def membership_add(
    *,
    user: Any,
    municipality: Municipality,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    org_units: Iterable[OrgUnit] = (),
    request: HttpRequest | None = None,
) -> Membership:
    """Give a person a role in the municipality; a new person gets an invitation to set a password."""
    User = get_user_model()
    email = email.strip().lower()
    person = User.objects.filter(email__iexact=email).first()
    invited = person is None
    if person is None:
        person = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        person.set_unusable_password()
        person.save(update_fields=["password"])
    if Membership.objects.filter(user=person, municipality=municipality).exists():
        raise ValidationError({"email": _("Diese Person gehört bereits zu %(m)s.") % {"m": municipality}})
    if role not in Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")})
    membership = versioned_create(
        Membership,
        user=user,
        data={"user": person, "municipality": municipality, "role": role},
        m2m={"org_units": _units_of(municipality, org_units)},
    )
    forget_roles(person)
    if invited and request is not None:
        send_invitation(email=email, request=request)
    return membership


def send_invitation(*, email: str, request: HttpRequest) -> None:
    """Send Django's password-set mail; a new person has no usable password, so we allow that case."""
    form = _InvitationForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            use_https=request.is_secure(),
        )


class _InvitationForm(PasswordResetForm):
    def get_users(self, email: str) -> Any:
        return get_user_model().objects.filter(email__iexact=email, is_active=True)


def membership_update(
    membership: Membership,
    *,
    user: Any,
    expected_version: int,
    role: str,
    org_units: Iterable[OrgUnit],
) -> Membership:
    _guard_last_coordinator(membership, new_role=role)
    result = versioned_update(
        membership,
        user=user,
        expected_version=expected_version,
        data={"role": role},
        m2m={"org_units": _units_of(membership.municipality, org_units)},
    )
    forget_roles(membership.user)
    return result


def membership_remove(membership: Membership, *, user: Any) -> None:
    _guard_last_coordinator(membership, new_role=None)
    versioned_delete(membership, user=user)
    forget_roles(membership.user)


def _guard_last_coordinator(membership: Membership, *, new_role: str | None) -> None:
    """A municipality must keep at least one coordinator, or nobody can manage it any more."""
    if membership.role != Role.COORDINATOR or new_role == Role.COORDINATOR:
        return
    others = (
        Membership.objects.filter(municipality_id=membership.municipality_id, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise ValidationError(_("Die Kommune braucht mindestens eine Person mit der Rolle Koordination."))
