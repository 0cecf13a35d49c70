"""Participation permissions. Public campaigns and polls are open to everyone once published, staff-only ones
to the municipality's staff; drafts, triage, moderation, results and personal data are for the coordination."""

from __future__ import annotations

from typing import Any

import rules

from lotse.tenancy.rules import is_insider, is_manager


def _offering(obj: Any) -> Any:
    return getattr(obj, "campaign", None) or getattr(obj, "poll", None) or obj


@rules.predicate
def is_published(user: Any, obj: Any) -> bool:
    return bool(getattr(_offering(obj), "published", False))


@rules.predicate
def is_for_public(user: Any, obj: Any) -> bool:
    return bool(getattr(_offering(obj), "is_public", False))


@rules.predicate
def staff_of_offering(user: Any, obj: Any) -> bool:
    return bool(is_insider(user, _offering(obj)))


@rules.predicate
def idea_is_public(user: Any, idea: Any) -> bool:
    return getattr(idea, "publication", "") == "published"


can_see_offering = is_manager | (is_published & (is_for_public | staff_of_offering))

rules.add_perm("participation.view_campaign", can_see_offering)
rules.add_perm("participation.view_idea", is_manager | (idea_is_public & can_see_offering))
rules.add_perm("participation.manage_campaign", is_manager)
rules.add_perm("participation.moderate", is_manager)
rules.add_perm("participation.view_personal_data", is_manager)
rules.add_perm("participation.view_poll", can_see_offering)
rules.add_perm("participation.manage_poll", is_manager)
rules.add_perm("participation.view_results", is_insider)
# Ideas routed to org units (the pilot's home page, the unit's view): internal.
rules.add_perm("participation.view_unit_ideas", is_insider)
