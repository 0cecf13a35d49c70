"""Portfolio permissions, built from the tenancy predicates (see docs/permissions.md)."""

from typing import Any

import rules

from lotse.tenancy.rules import (
    can_add_record,
    can_change_record,
    can_delete_record,
    can_restore_version,
    can_see_history,
    can_view_record,
    is_insider,
    is_manager,
)

rules.add_perm("portfolio.view_project", can_view_record)
rules.add_perm("portfolio.add_project", can_add_record)


@rules.predicate
def is_local(user: Any, obj: Any) -> bool:
    """Projects pulled from another instance's feed are read-only copies; they change at their source."""
    return not getattr(obj, "source_url", "")


rules.add_perm("portfolio.change_project", can_change_record & is_local)
rules.add_perm("portfolio.delete_project", can_delete_record)
rules.add_perm("portfolio.view_history", can_see_history)
rules.add_perm("portfolio.restore_version", can_restore_version)
# Scores, ranking and capacity are the administration's internal deliberation.
rules.add_perm("portfolio.view_priorities", is_insider)
rules.add_perm("portfolio.view_capacity", is_insider)
# Weights, capacity figures and bulk imports shape the whole portfolio: coordinators only.
rules.add_perm("portfolio.manage_portfolio", is_manager)
rules.add_perm("portfolio.import_projects", is_manager)
