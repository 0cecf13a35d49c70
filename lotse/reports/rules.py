"""Reports permissions: the dashboard shows internal figures (budgets, overdue work): staff only."""

import rules

from lotse.tenancy.rules import is_insider, is_manager

rules.add_perm("reports.view_dashboard", is_insider)
rules.add_perm("reports.edit_template", is_manager)
rules.add_perm("reports.freeze_revision", is_manager)
