"""Directory groups → roles. The municipality's identity system decides who is coordinator, editor, reader or
partner in which municipality, and who is a platform admin; Lotse applies it at every login.

`SSO_GROUP_ROLES` maps group names to `municipality-slug:role`, separated by `;`, e.g.
`GG-Lotse-CDO=musterstadt:coordinator; GG-Lotse-Alle=musterstadt:reader`. A municipality named in the map is
managed by the directory: a person's role there follows their groups, and without a matching group they lose
it. Memberships in other municipalities are left as they are. `SSO_ADMIN_GROUPS` (`;`-separated) makes platform
admins; if it is set, the admin flag follows it too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from lotse.tenancy import services
from lotse.tenancy.models import Membership, Municipality, Role
from lotse.tenancy.selectors import forget_roles

logger = logging.getLogger(__name__)
RANK = {Role.COORDINATOR: 4, Role.EDITOR: 3, Role.READER: 2, Role.PARTNER: 1}


def group_map() -> dict[str, list[tuple[str, str]]]:
    """{group: [(municipality slug, role), ...]} from SSO_GROUP_ROLES."""
    result: dict[str, list[tuple[str, str]]] = {}
    for item in str(getattr(settings, "SSO_GROUP_ROLES", "") or "").split(";"):
        if "=" not in item:
            continue
        group, target = (part.strip() for part in item.split("=", 1))
        slug, _, role = target.partition(":")
        if group and slug and role in Role.values:
            result.setdefault(group.lower(), []).append((slug.strip(), role))
    return result


def admin_groups() -> set[str]:
    return {g.strip().lower() for g in str(getattr(settings, "SSO_ADMIN_GROUPS", "") or "").split(";") if g.strip()}


@transaction.atomic
def apply_groups(user: Any, groups: Iterable[str]) -> None:
    """Bring the person's roles in directory-managed municipalities (and the admin flag) in line with `groups`."""
    mine = {g.strip().lower() for g in groups}
    mapping = group_map()
    wanted: dict[str, str] = {}
    for group in mine & mapping.keys():
        for slug, role in mapping[group]:
            if slug not in wanted or RANK[Role(role)] > RANK[Role(wanted[slug])]:
                wanted[slug] = role
    managed = {slug for targets in mapping.values() for slug, _role in targets}
    towns = {m.slug: m for m in Municipality.objects.filter(slug__in=managed)}
    current = {m.municipality.slug: m for m in Membership.objects.filter(user=user).select_related("municipality")}
    for slug in managed:
        town, membership, role = towns.get(slug), current.get(slug), wanted.get(slug, "")
        if town is None:
            continue
        if role and membership is None:
            services.membership_grant(user=None, municipality=town, person=user, role=role)
        elif membership is not None and membership.role != role:
            try:
                if role:
                    services.membership_update(
                        membership,
                        user=None,
                        expected_version=membership.version,
                        role=role,
                        org_units=membership.org_units.all(),
                    )
                else:
                    services.membership_remove(membership, user=None)
            except ValidationError:  # the last coordinator stays until the directory names another one
                logger.warning("SSO: %s keeps the last coordinator role of %s", user.pk, slug)
    if admin_groups():
        admin = bool(mine & admin_groups())
        if user.is_superuser != admin or user.is_staff != admin:
            user.is_superuser = user.is_staff = admin
            user.save(update_fields=["is_superuser", "is_staff"])
    forget_roles(user)
