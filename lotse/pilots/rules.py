"""Pilot permissions: the directory is internal to the municipality; coordinators appoint pilots; the
network's coverage (counts, no names) is for the staff of its member municipalities."""

import rules

from lotse.tenancy.rules import is_insider, is_manager, is_platform_admin

rules.add_perm("pilots.view_pilot", is_insider)
rules.add_perm("pilots.manage_pilot", is_manager)
rules.add_perm("pilots.view_history", is_insider)


@rules.predicate
def is_member_staff(user: object, network: object) -> bool:
    from lotse.tenancy.selectors import staff_municipality_ids

    ids = staff_municipality_ids(user)
    return bool(ids) and network.members.filter(pk__in=ids).exists()  # type: ignore[attr-defined]


rules.add_perm("pilots.view_coverage", is_platform_admin | is_member_staff)
