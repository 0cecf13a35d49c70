"""OZG permissions (see docs/permissions.md). Statuses and processes are the administration's internal working
data; other towns see statuses only where the municipality opted in, and only in the network comparison."""

import rules

from lotse.tenancy.rules import can_add_record, can_change_record, is_editor, is_insider, is_manager, is_platform_admin

rules.add_perm("ozg.view_status", is_insider)
# Coordinators change every status, editors those of their units (a status without a unit: coordinators).
rules.add_perm("ozg.change_status", can_change_record)
rules.add_perm("ozg.add_status", can_add_record)  # editors only for their units (the form offers no other)
rules.add_perm("ozg.bulk_edit", is_manager)
rules.add_perm("ozg.manage_sharing", is_manager)
rules.add_perm("ozg.view_network", is_insider)
rules.add_perm("ozg.view_process", is_insider)
rules.add_perm("ozg.add_process", is_manager | is_editor)
rules.add_perm("ozg.change_process", can_change_record)
rules.add_perm("ozg.delete_process", is_manager)
rules.add_perm("ozg.view_history", is_insider)
rules.add_perm("ozg.load_catalogue", is_platform_admin)  # the catalogue is the installation's, for every town
