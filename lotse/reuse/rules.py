"""Reuse permissions. The registry says what exists and is open to all; adding to it is for anyone who works on
a town's projects (coordinator or editor somewhere); an entry is changed by the coordination of the town that
registered or provides it. A town's use of a solution is the town's record: its coordinators and editors keep it."""

from typing import Any

import rules

from lotse.tenancy.models import Role
from lotse.tenancy.rules import can_add_record, is_platform_admin
from lotse.tenancy.selectors import managed_municipality_ids, roles_for


@rules.predicate
def works_on_projects_somewhere(user: Any) -> bool:
    return any(role in (Role.COORDINATOR, Role.EDITOR) for role in roles_for(user).values())


@rules.predicate
def coordinates_the_entrys_town(user: Any, solution: Any) -> bool:
    towns = managed_municipality_ids(user)
    return bool(towns) and bool({solution.registered_in_id, solution.provider_municipality_id} & towns)


rules.add_perm("reuse.add_solution", is_platform_admin | works_on_projects_somewhere)
rules.add_perm("reuse.change_solution", is_platform_admin | coordinates_the_entrys_town)
rules.add_perm("reuse.record_use", can_add_record)  # obj: the municipality whose use it is
rules.add_perm("reuse.declare_interest", can_add_record)  # obj: the interested municipality
