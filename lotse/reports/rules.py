"""Reports permissions: the dashboard shows internal figures (budgets, overdue work): staff only."""

import rules

from lotse.tenancy.rules import is_insider

rules.add_perm("reports.view_dashboard", is_insider)
