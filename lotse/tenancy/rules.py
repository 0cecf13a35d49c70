"""Who may do what, per municipality. The full matrix is in docs/permissions.md and tests/test_permissions.py.

The predicates below are the building blocks every later room registers its own permissions with
(e.g. `rules.add_perm("portfolio.change_project", can_change_record)`).
"""

from __future__ import annotations

from typing import Any

import rules

from lotse.tenancy.models import STAFF_ROLES, Municipality, Role, Visibility
from lotse.tenancy.selectors import editable_unit_ids, network_peer_ids, role_in


def municipality_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Municipality):
        return obj.pk
    return getattr(obj, "municipality_id", None)


def unit_ids_of(obj: Any) -> set[int]:
    """The org units a record belongs to: `permission_unit_ids()` if it defines one, else its `org_unit`."""
    if hasattr(obj, "permission_unit_ids"):
        return set(obj.permission_unit_ids())
    unit_id = getattr(obj, "org_unit_id", None)
    return {unit_id} if unit_id else set()


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_platform_admin)


@rules.predicate
def is_coordinator(user: Any, obj: Any) -> bool:
    return role_in(user, municipality_id_of(obj)) == Role.COORDINATOR


@rules.predicate
def is_editor(user: Any, obj: Any) -> bool:
    return role_in(user, municipality_id_of(obj)) == Role.EDITOR


@rules.predicate
def is_staff_member(user: Any, obj: Any) -> bool:
    """Coordinator, editor or reader of the municipality that owns `obj`."""
    return role_in(user, municipality_id_of(obj)) in STAFF_ROLES


@rules.predicate
def is_editor_of_record(user: Any, obj: Any) -> bool:
    mid = municipality_id_of(obj)
    if mid is None or role_in(user, mid) != Role.EDITOR:
        return False
    units = unit_ids_of(obj)
    return bool(units) and bool(units & editable_unit_ids(user, mid))


@rules.predicate
def can_view_record(user: Any, obj: Any) -> bool:
    """Mirror of selectors.visible_q for one ShareableModel record."""
    if obj is None:
        return False
    if obj.visibility == Visibility.PUBLIC:
        return True
    if not user or not user.is_authenticated:
        return False
    if user.is_platform_admin:
        return True
    mid = municipality_id_of(obj)
    role = role_in(user, mid)
    if role in STAFF_ROLES:
        return True
    if obj.visibility == Visibility.NETWORK and mid in network_peer_ids(user):
        return True
    return role == Role.PARTNER and obj.pk is not None and obj.shared_with.filter(pk=user.pk).exists()


is_manager = is_platform_admin | is_coordinator
is_insider = is_platform_admin | is_staff_member

# For ShareableModel records of later rooms: `obj` is the record (or, for add, the municipality).
can_change_record = is_manager | is_editor_of_record
can_delete_record = is_manager
can_add_record = is_manager | is_editor
can_see_history = is_insider  # the audit trail names colleagues: internal only
can_restore_version = is_manager

# Municipality, org units and memberships.
rules.add_perm("tenancy.view_municipality_internal", is_insider)
rules.add_perm("tenancy.change_municipality", is_manager)
rules.add_perm("tenancy.view_orgunit", is_insider)
rules.add_perm("tenancy.add_orgunit", is_manager)
rules.add_perm("tenancy.change_orgunit", is_manager)
rules.add_perm("tenancy.delete_orgunit", is_manager)
rules.add_perm("tenancy.view_membership", is_insider)
rules.add_perm("tenancy.manage_membership", is_manager)
rules.add_perm("tenancy.view_history", can_see_history)
rules.add_perm("tenancy.restore_version", can_restore_version)


@rules.predicate
def operates_network(user: Any, network: Any) -> bool:
    """Named as the network's operator (e.g. the office of a Verbund or of a state programme)."""
    return bool(
        user and user.is_authenticated and network is not None and network.operators.filter(pk=user.pk).exists()
    )


# The installation: new municipalities and networks are the platform's; a network's operators run it.
rules.add_perm("tenancy.add_municipality", is_platform_admin)
rules.add_perm("tenancy.add_network", is_platform_admin)
rules.add_perm("tenancy.change_network", is_platform_admin | operates_network)
rules.add_perm("tenancy.request_join", is_manager)  # obj: the municipality that asks
