import rules

from lotse.tenancy.rules import can_add_record, can_change_record, can_delete_record, can_view_record

rules.add_perm("shareable.view_note", can_view_record)
rules.add_perm("shareable.add_note", can_add_record)
rules.add_perm("shareable.change_note", can_change_record)
rules.add_perm("shareable.delete_note", can_delete_record)
