"""Pilot permissions: the directory is internal to the municipality; coordinators appoint pilots; the
network's coverage (counts, no names) is for the staff of its member municipalities."""

from typing import Any

import rules

from lotse.tenancy.rules import is_insider, is_manager, is_platform_admin, operates_network

rules.add_perm("pilots.view_pilot", is_insider)
rules.add_perm("pilots.manage_pilot", is_manager)
rules.add_perm("pilots.view_history", is_insider)


@rules.predicate
def is_member_staff(user: object, obj: object) -> bool:
    """Staff of a municipality in the network (`obj` is the network or its programme)."""
    from lotse.tenancy.selectors import staff_municipality_ids

    network = getattr(obj, "network", obj)
    ids = staff_municipality_ids(user)
    return bool(ids) and network.members.filter(pk__in=ids).exists()  # type: ignore[attr-defined]


@rules.predicate
def is_programme_operator(user: Any, programme: object) -> bool:
    operators = getattr(programme, "operators", None)
    return bool(
        operators is not None and getattr(user, "is_authenticated", False) and operators.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_network_operator(user: Any, network: Any) -> bool:
    """Runs the network or its programme: the operator's view of coverage and the community is theirs too."""
    from lotse.pilots.models import Programme

    if not getattr(user, "is_authenticated", False):
        return False
    return operates_network(user, network) or Programme.objects.filter(network=network, operators=user).exists()


rules.add_perm("pilots.view_coverage", is_platform_admin | is_member_staff | is_network_operator)
# The programme is run at network level, e.g. by a state academy: its operators need no municipality role.
rules.add_perm("pilots.view_programme", is_platform_admin | is_member_staff | is_programme_operator)
rules.add_perm("pilots.manage_programme", is_platform_admin | is_programme_operator)
rules.add_perm("pilots.setup_programme", is_platform_admin | operates_network)  # obj: the network


@rules.predicate
def is_operator_of_network(user: Any, obj: Any) -> bool:
    """Runs the programme of the network `obj` belongs to (or is)."""
    return bool(is_network_operator(user, getattr(obj, "network", obj)))


# The community (events and the question-and-answer board) is the network's: its members' staff take part, its
# programme's operators run the events and moderate.
rules.add_perm("pilots.view_community", is_platform_admin | is_member_staff | is_operator_of_network)
rules.add_perm("pilots.post_community", is_member_staff | is_operator_of_network)
rules.add_perm("pilots.moderate_community", is_platform_admin | is_operator_of_network)
