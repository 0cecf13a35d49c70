"""Writes to tenancy data. Views, forms and commands call these; nothing else writes these models."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.core.mail import absolute_url, send_after_commit
from lotse.core.services import versioned_create, versioned_delete, versioned_update
from lotse.tenancy.models import Invitation, JoinRequest, Membership, Municipality, Network, OrgUnit, Role
from lotse.tenancy.selectors import editable_unit_ids, forget_roles, org_unit_usage


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


INVITATION_DAYS = 14


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *,
    user: Any,
    municipality: Municipality,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    org_units: Iterable[OrgUnit] = (),
) -> Invitation:
    """Offer a role by e-mail. The answer is the same whether the address has an account or not, and nobody
    joins before accepting (an existing account's owner signs in and says yes)."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")})
    if Membership.objects.filter(user__email__iexact=email, municipality=municipality).exists():
        raise ValidationError({"email": _("Diese Person gehört bereits zu %(m)s.") % {"m": municipality}})
    units = _units_of(municipality, org_units)
    Invitation.objects.filter(municipality=municipality, email=email, accepted_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        municipality=municipality,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        digest=_digest(token),
        invited_by=user if getattr(user, "is_authenticated", False) else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    invitation.org_units.set(units)
    body = render_to_string(
        "tenancy/invitation_email.txt",
        {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "link": absolute_url(reverse("tenancy:invitation", kwargs={"token": token})),
            "days": INVITATION_DAYS,
        },
    )
    subject = _("Einladung zu Lotse: %(m)s") % {"m": municipality.name}
    send_after_commit(subject, body, [email])
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation behind a link, or None when it is unknown, used or expired."""
    return (
        Invitation.objects.select_related("municipality", "invited_by")
        .filter(digest=_digest(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def invitation_accept(invitation: Invitation, *, user: Any) -> Membership:
    """The signed-in person takes the role. The link was sent to the invited address, and the account's own
    address must be that one too, so a forwarded link cannot hand the role to someone else."""
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("Diese Einladung gilt für %(email)s. Bitte melden Sie sich mit dieser Adresse an.")
            % {"email": invitation.email}
        )
    membership = Membership.objects.filter(user=user, municipality=invitation.municipality).first()
    if membership is None:
        membership = versioned_create(
            Membership,
            user=invitation.invited_by,
            data={"user": user, "municipality": invitation.municipality, "role": invitation.role},
            m2m={"org_units": list(invitation.org_units.all())},
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    return membership


@transaction.atomic
def account_from_invitation(invitation: Invitation, *, first_name: str, last_name: str, password: str) -> Any:
    """A new person answers the invitation: the account is created with the invited address (proven by the
    link) and the role at once."""
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("Für diese Adresse gibt es schon ein Konto. Bitte melden Sie sich an."))
    person = User.objects.create_user(
        email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip(), password=password
    )
    invitation_accept(invitation, user=person)
    return person


@transaction.atomic
def membership_grant(
    *, user: Any, municipality: Municipality, person: Any, role: str, org_units: Iterable[OrgUnit] = ()
) -> Membership:
    """A role given by a source that already proves who the person is (the organisation's directory at sign-in),
    so no invitation is needed."""
    membership = versioned_create(
        Membership,
        user=user,
        data={"user": person, "municipality": municipality, "role": role},
        m2m={"org_units": _units_of(municipality, org_units)},
    )
    forget_roles(person)
    return membership


def invitation_withdraw(invitation: Invitation, *, user: Any) -> None:
    invitation.delete()


@transaction.atomic
def municipality_create(
    *,
    user: Any,
    data: dict[str, Any],
    networks: Iterable[Network] = (),
    coordinator: dict[str, str] | None = None,
) -> Municipality:
    """A new town in the app (no admin screen): its profile, its networks and the invitation of its first
    coordinator, in one step."""
    data = {**data}
    if not data.get("slug"):
        data["slug"] = unique_slug(data["name"])
    municipality = versioned_create(Municipality, user=user, data=data)
    for network in networks:
        network.members.add(municipality)
    if coordinator and coordinator.get("email"):
        invitation_create(
            user=user,
            municipality=municipality,
            role=Role.COORDINATOR,
            email=coordinator["email"],
            first_name=coordinator.get("first_name", ""),
            last_name=coordinator.get("last_name", ""),
        )
    return municipality


GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def unique_slug(name: str) -> str:
    """`Schwäbisch Gmünd` → `schwaebisch-gmuend`, with a number when the address is taken."""
    base = slugify(name.translate(GERMAN))[:70] or "kommune"
    slug, n = base, 1
    while Municipality.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


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


@dataclass
class UnitLine:
    number: int
    depth: int
    name: str
    short_name: str
    kind: str


KIND_WORDS = [
    (("stabsstelle",), OrgUnit.Kind.STAFF_UNIT),
    (("eigenbetrieb",), OrgUnit.Kind.ENTERPRISE),
    (("dezernat", "dez.", "geschäftskreis", "referat"), OrgUnit.Kind.DIVISION),
    (("abteilung", "sachgebiet", "team"), OrgUnit.Kind.SECTION),
    (("amt", "fachbereich", "fb "), OrgUnit.Kind.OFFICE),
]
KIND_BY_DEPTH = [OrgUnit.Kind.DIVISION, OrgUnit.Kind.OFFICE, OrgUnit.Kind.SECTION]


def parse_unit_list(text: str) -> list[UnitLine]:
    """One unit per line, indented (two spaces or a tab per level) below the unit it belongs to; an optional
    short name before a semicolon. The kind follows the first word (Stabsstelle, Amt, …), else the depth.
    Every line is checked; all errors are reported together, with their line numbers."""
    lines: list[UnitLine] = []
    errors: list[str] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        stripped = raw.expandtabs(2)
        depth = (len(stripped) - len(stripped.lstrip(" "))) // 2
        body = stripped.strip().lstrip("-•* ").strip()
        short, name = ("", body)
        if ";" in body:
            short, name = (part.strip() for part in body.split(";", 1))
        name = name.split(";")[0].strip()
        previous = lines[-1].depth if lines else -1
        if depth > previous + 1:
            errors.append(_("Zeile %(n)s: zu weit eingerückt (eine Ebene mehr als die Zeile davor).") % {"n": number})
        if not name:
            errors.append(_("Zeile %(n)s: Der Name fehlt.") % {"n": number})
        elif len(name) > 200 or len(short) > 30:
            errors.append(_("Zeile %(n)s: Name (200) oder Kürzel (30 Zeichen) ist zu lang.") % {"n": number})
        lowered = f"{short} {name}".lower()
        kind = next((k for words, k in KIND_WORDS if any(lowered.startswith(w) for w in words)), None)
        lines.append(UnitLine(number, depth, name, short, kind or KIND_BY_DEPTH[min(depth, 2)]))
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise ValidationError(_("Die Liste enthält keine Einheit."))
    return lines


@transaction.atomic
def org_units_from_list(*, user: Any, municipality: Municipality, text: str) -> tuple[int, int]:
    """Create the units of a pasted list below each other; units that already exist under the same parent are
    kept (a second paste adds only what is new). Returns (created, kept)."""
    lines = parse_unit_list(text)
    existing = {(u.parent_id, u.name.lower()): u for u in OrgUnit.objects.filter(municipality=municipality)}
    stack: list[OrgUnit] = []
    created = kept = 0
    for position, line in enumerate(lines, start=1):
        del stack[line.depth :]
        parent = stack[-1] if stack else None
        unit = existing.get((parent.pk if parent else None, line.name.lower()))
        if unit is None:
            try:
                unit = org_unit_create(
                    user=user,
                    municipality=municipality,
                    data={
                        "name": line.name,
                        "short_name": line.short_name,
                        "kind": line.kind,
                        "parent": parent,
                        "position": position,
                    },
                )
            except ValidationError as error:
                raise ValidationError(
                    [_("Zeile %(n)s: %(why)s") % {"n": line.number, "why": m} for m in error.messages]
                ) from error
            created += 1
        else:
            kept += 1
        stack.append(unit)
    return created, kept


@transaction.atomic
def network_save(
    network: Network | None,
    *,
    user: Any,
    data: dict[str, Any],
    operators: Iterable[Any],
    expected_version: int | None = None,
) -> Network:
    if network is None:
        network = versioned_create(Network, user=user, data={**data, "slug": unique_network_slug(data["name"])})
    else:
        network = versioned_update(
            network,
            user=user,
            expected_version=network.version if expected_version is None else expected_version,
            data=data,
        )
    network.operators.set(list(operators))
    return network


def unique_network_slug(name: str) -> str:
    base = slugify(name.translate(GERMAN))[:70] or "netzwerk"
    slug, n = base, 1
    while Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def join_request(*, user: Any, network: Network, municipality: Municipality, message: str = "") -> JoinRequest:
    if network.members.filter(pk=municipality.pk).exists():
        raise ValidationError(_("%(m)s gehört schon zu %(n)s.") % {"m": municipality, "n": network})
    if JoinRequest.objects.filter(network=network, municipality=municipality, state=JoinRequest.State.PENDING).exists():
        raise ValidationError(_("Die Anfrage von %(m)s liegt dem Netzwerk schon vor.") % {"m": municipality})
    request = JoinRequest.objects.create(network=network, municipality=municipality, message=message, requested_by=user)
    recipients = [u.email for u in network.operators.all()] or list(
        get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
    )
    body = render_to_string(
        "tenancy/join_request_email.txt",
        {"request": request, "link": absolute_url(reverse("tenancy:network_detail", kwargs={"slug": network.slug}))},
    )
    send_after_commit(
        _("Beitrittsanfrage: %(m)s möchte %(n)s beitreten") % {"m": municipality, "n": network}, body, recipients
    )
    return request


@transaction.atomic
def join_decide(request: JoinRequest, *, user: Any, accept: bool) -> JoinRequest:
    if request.state != JoinRequest.State.PENDING:
        raise ValidationError(_("Über diese Anfrage wurde schon entschieden."))
    request.state = JoinRequest.State.ACCEPTED if accept else JoinRequest.State.DECLINED
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    if accept:
        request.network.members.add(request.municipality)
    if request.requested_by_id:
        body = render_to_string(
            "tenancy/join_decision_email.txt",
            {
                "request": request,
                "link": absolute_url(reverse("tenancy:network_detail", kwargs={"slug": request.network.slug})),
            },
        )
        send_after_commit(
            _("Beitrittsanfrage an %(n)s: %(state)s") % {"n": request.network, "state": request.get_state_display()},
            body,
            [request.requested_by.email],  # type: ignore[union-attr]
        )
    return request


def check_unit_choice(
    user: Any, municipality: Municipality, *, record: Any, data: Mapping[str, Any], field: str
) -> None:
    """Editors file records under their own units only (and so can go on editing them): the one rule for
    every way in (form, API, import), checked by the services that save such records. Coordinators and the
    platform admin choose any unit; `user=None` is the system (CLI, demo). An edit that keeps the unit (or does
    not name it) is always allowed."""
    from lotse.tenancy.rules import is_manager

    if record is not None and field not in data:
        return
    before = getattr(record, f"{field}_id", None)
    after = getattr(data.get(field), "pk", data.get(field))
    if user is None or (record is not None and after == before) or is_manager(user, municipality):
        return
    if after is None or after not in editable_unit_ids(user, municipality.pk):
        raise ValidationError({field: _("Sie können nur eine Ihrer eigenen Organisationseinheiten wählen.")})
