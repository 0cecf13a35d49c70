"""Reports permissions: the dashboard shows internal figures (budgets, overdue work): staff only."""

from typing import Any

import rules

from lotse.tenancy.rules import is_editor, is_insider, is_manager, is_platform_admin


@rules.predicate
def is_member(user: Any, municipality: Any) -> bool:
    """Any role in the municipality, partners included."""
    from lotse.tenancy.selectors import role_in

    return role_in(user, municipality) is not None


@rules.predicate
def edits_unit(user: Any, unit: Any) -> bool:
    """An editor whose units include this one (or a unit above it)."""
    from lotse.tenancy.selectors import editable_unit_ids

    return unit.pk in editable_unit_ids(user, unit.municipality_id)


rules.add_perm("reports.view_dashboard", is_insider)
rules.add_perm("reports.view_start", is_platform_admin | is_member)
rules.add_perm("reports.edit_template", is_manager)
rules.add_perm("reports.freeze_revision", is_manager)
rules.add_perm("reports.manage_waves", is_manager)
# A unit assesses itself: its editors, or the coordination.
rules.add_perm("reports.assess_unit", is_manager | (is_editor & edits_unit))
