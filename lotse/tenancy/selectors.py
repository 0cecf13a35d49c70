"""Reads of tenancy data, and the tenant scoping every other room's selectors build on.

`visible_q(user)` is the one definition of "which shareable records may this person see"; `rules.py`
mirrors it per object. Both are tested against each other for every role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from lotse.tenancy.models import (
    STAFF_ROLES,
    Invitation,
    JoinRequest,
    Membership,
    Municipality,
    Network,
    OrgUnit,
    Role,
    Visibility,
)

_ROLES_ATTR = "_lotse_roles"
_PEERS_ATTR = "_lotse_network_peers"
PEERS_AS_LIST = 200  # above this many network peers, visibility filters use a subquery


def roles_for(user: Any) -> dict[int, str]:
    """{municipality_id: role} for this user; cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return {}
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("municipality_id", "role"))
        setattr(user, _ROLES_ATTR, cached)
    return cached


def needs_second_factor(user: Any) -> bool:
    """Coordinators (anywhere) and platform admins hold the keys to a municipality's data (SECOND_FACTOR_POLICY)."""
    return bool(user.is_platform_admin) or Role.COORDINATOR in roles_for(user).values()


def forget_roles(user: Any) -> None:
    """Drop the per-request caches of roles, network peers and editable units after a role change."""
    for attr in [a for a in vars(user) if a.startswith("_lotse_")]:
        delattr(user, attr)


def role_in(user: Any, municipality: Municipality | int | None) -> str | None:
    if municipality is None:
        return None
    mid = municipality if isinstance(municipality, int) else municipality.pk
    return roles_for(user).get(mid)


def staff_municipality_ids(user: Any) -> set[int]:
    """Municipalities whose internal data the user sees (coordinator, editor or reader)."""
    return {mid for mid, role in roles_for(user).items() if role in STAFF_ROLES}


def managed_municipality_ids(user: Any) -> set[int]:
    """Municipalities the user coordinates."""
    return {mid for mid, role in roles_for(user).items() if role == Role.COORDINATOR}


def visible_ids_q(model: Any, user: Any) -> Q:
    """`visible_q` for `RestrictedQuerySet.restrict()`: partner shares go through a subquery, so a record
    shared with several partners never comes back twice."""
    q = visible_q(user)
    if user and user.is_authenticated and any(r == Role.PARTNER for r in roles_for(user).values()):
        return Q(pk__in=model._base_manager.filter(q).values("pk"))
    return q


def network_peer_ids(user: Any) -> set[int]:
    """Municipalities that share a network with one where the user is staff (including those themselves)."""
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, _PEERS_ATTR, None)
    if cached is None:
        own = staff_municipality_ids(user)
        cached = (
            set(Municipality.objects.filter(networks__members__in=own).values_list("id", flat=True).distinct()) | own
        )
        setattr(user, _PEERS_ATTR, cached)
    return cached


def visible_q(user: Any, *, prefix: str = "") -> Q:
    """Filter for ShareableModel rows the user may see. `prefix` reaches the record through a relation."""
    p = prefix
    public = Q(**{f"{p}visibility": Visibility.PUBLIC})
    if not user or not user.is_authenticated:
        return public
    if user.is_platform_admin:
        return Q()
    own = staff_municipality_ids(user)
    q = public | Q(**{f"{p}municipality_id__in": own})
    peers = network_peer_ids(user)
    if len(peers) > PEERS_AS_LIST:  # a state network: a subquery is cheaper than a thousand literal ids
        peers = Municipality.objects.filter(networks__members__in=own).values("id")  # type: ignore[assignment]
    if peers:
        q |= Q(**{f"{p}visibility": Visibility.NETWORK, f"{p}municipality_id__in": peers})
    partner_in = [mid for mid, role in roles_for(user).items() if role == Role.PARTNER]
    if partner_in:
        q |= Q(**{f"{p}municipality_id__in": partner_in, f"{p}shared_with": user})
    return q


def visibility_key(user: Any) -> tuple[Any, ...]:
    """Everything `visible_q(user)` depends on, as a value: a cache of what someone may see keys on this (and on
    the state of the records), so two people who may see different things never share an entry. Partners see
    what is shared with them personally, so their key names them."""
    if not user or not user.is_authenticated:
        return ("anonymous",)
    roles = roles_for(user)
    partner = user.pk if any(r == Role.PARTNER for r in roles.values()) else None
    return (bool(user.is_platform_admin), tuple(sorted(roles.items())), tuple(sorted(network_peer_ids(user))), partner)


def visible(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Scope a ShareableModel queryset to what the user may see (distinct, because of partner shares)."""
    q = visible_q(user)
    qs = queryset.filter(q)
    if (
        user
        and user.is_authenticated
        and not user.is_platform_admin
        and any(r == Role.PARTNER for r in roles_for(user).values())
    ):
        qs = qs.distinct()
    return qs


def visible_in(queryset: QuerySet[Any], user: Any, municipality: Municipality) -> QuerySet[Any]:
    """`visible()` for the records of one municipality: its staff and platform admins see all of them, so
    their (most frequent) lists need no visibility condition at all."""
    if user and user.is_authenticated and (user.is_platform_admin or role_in(user, municipality) in STAFF_ROLES):
        return queryset
    return visible(queryset, user)


def municipalities_for_switcher(user: Any) -> list[tuple[Municipality, str]]:
    """The municipalities a user works in, with the role's label, for the header switcher."""
    if not user or not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user).select_related("municipality").order_by("municipality__name")
    return [(m.municipality, m.get_role_display()) for m in memberships]


def municipality_list(*, user: Any) -> QuerySet[Municipality]:
    """All municipalities: their profile (name, kind, ARS, inhabitants, networks) is public information."""
    return Municipality.objects.select_related("district").order_by("name")


def networks_of(municipality: Municipality) -> QuerySet[Network]:
    return municipality.networks.order_by("name")


def network_list(*, user: Any) -> QuerySet[Network]:
    return Network.objects.prefetch_related("members").order_by("name")


def member_list(*, municipality: Municipality) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(municipality=municipality)
        .select_related("user")
        .prefetch_related("org_units")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


@dataclass
class TreeNode:
    unit: OrgUnit
    depth: int
    children: list[TreeNode] = field(default_factory=list)


def org_units(municipality: Municipality) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(municipality=municipality).order_by("position", "name"))


def org_unit_tree(municipality: Municipality) -> list[TreeNode]:
    """The org chart as nested nodes, built from one query."""
    units = org_units(municipality)
    nodes = {u.pk: TreeNode(u, 0) for u in units}
    roots: list[TreeNode] = []
    for u in units:
        node = nodes[u.pk]
        parent = nodes.get(u.parent_id) if u.parent_id else None
        (parent.children if parent else roots).append(node)

    def set_depth(items: list[TreeNode], depth: int) -> None:
        for n in items:
            n.depth = depth
            set_depth(n.children, depth + 1)

    set_depth(roots, 0)
    return roots


def flatten(tree: list[TreeNode]) -> list[TreeNode]:
    out: list[TreeNode] = []
    for node in tree:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def unit_choices(municipality: Municipality) -> list[tuple[int, str]]:
    """Org units indented by depth, for select boxes."""
    return [(n.unit.pk, "\u2003" * n.depth + str(n.unit)) for n in flatten(org_unit_tree(municipality))]


def descendant_ids(unit_ids: set[int], municipality_id: int) -> set[int]:
    """The given units and everything below them."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.filter(municipality_id=municipality_id).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result: set[int] = set()
    stack = list(unit_ids)
    while stack:
        pk = stack.pop()
        if pk in result:
            continue
        result.add(pk)
        stack.extend(children.get(pk, []))
    return result


def editable_unit_ids(user: Any, municipality_id: int) -> set[int]:
    """Org units whose records this editor may change: their assigned units and all units below."""
    cache_attr = f"_lotse_units_{municipality_id}"
    cached = getattr(user, cache_attr, None)
    if cached is None:
        assigned = set(
            Membership.org_units.through.objects.filter(
                membership__user=user, membership__municipality_id=municipality_id
            ).values_list("orgunit_id", flat=True)
        )
        cached = descendant_ids(assigned, municipality_id) if assigned else set()
        setattr(user, cache_attr, cached)
    return cached


def org_unit_usage(unit: OrgUnit) -> int:
    """How many records hang on this unit (children and memberships); deleting is refused while in use."""
    return unit.children.count() + unit.memberships.count()


def open_invitations(municipality: Municipality) -> QuerySet[Invitation]:
    return Invitation.objects.filter(municipality=municipality, accepted_at__isnull=True).order_by("-created_at")


def open_join_requests(network: Network) -> QuerySet[JoinRequest]:
    return network.join_requests.filter(state=JoinRequest.State.PENDING).select_related("municipality", "requested_by")


def municipalities_that_may_ask(user: Any, network: Network) -> QuerySet[Municipality]:
    """The towns this person coordinates that are not yet in the network and have not asked already."""
    if not user or not user.is_authenticated:
        return Municipality.objects.none()
    mine = [mid for mid, role in roles_for(user).items() if role == Role.COORDINATOR]
    pending = network.join_requests.filter(state=JoinRequest.State.PENDING).values("municipality")
    return Municipality.objects.filter(pk__in=mine).exclude(networks=network).exclude(pk__in=pending).order_by("name")


def my_pending_requests(user: Any, network: Network) -> QuerySet[JoinRequest]:
    if not user or not user.is_authenticated:
        return JoinRequest.objects.none()
    mine = [mid for mid, role in roles_for(user).items() if role == Role.COORDINATOR]
    return network.join_requests.filter(state=JoinRequest.State.PENDING, municipality__in=mine).select_related(
        "municipality"
    )


def own_municipalities_with(user: Any, perm: str) -> list[Municipality]:
    """The municipalities the person belongs to (as coordinator or editor) in which they hold `perm`, by name:
    where "Übernehmen" may put a project, say. Platform admins are not offered all municipalities here."""
    if not user.is_authenticated:
        return []
    ids = Membership.objects.filter(user=user, role__in=[Role.COORDINATOR, Role.EDITOR]).values("municipality")
    return [m for m in Municipality.objects.filter(pk__in=ids).order_by("name") if user.has_perm(perm, m)]
