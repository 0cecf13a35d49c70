"""Synergy permissions: results are always filtered by what the person may see (selectors.candidates)."""

from typing import Any

import rules

from lotse.tenancy.rules import can_change_record, can_view_record


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated)


# Marking a pair is part of looking after one's own project.
rules.add_perm("synergy.decide_pair", can_change_record)
# Writing to the people behind a project needs an account (the reply goes to its e-mail address).
rules.add_perm("synergy.contact_project", is_signed_in & can_view_record)
