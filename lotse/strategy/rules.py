"""Who may see and shape the strategy: everyone the strategy is visible to reads it; coordinators edit it."""

from __future__ import annotations

from typing import Any

import rules

from lotse.tenancy.rules import can_restore_version, can_see_history, can_view_record, is_insider, is_manager


@rules.predicate
def can_view_strategy(user: Any, obj: Any) -> bool:
    """`obj` is a Strategy, or a Municipality without one yet (then only insiders see the empty page)."""
    from lotse.strategy.models import Strategy

    if isinstance(obj, Strategy):
        return bool(can_view_record(user, obj))
    pk = getattr(obj, "pk", None)
    strategy = Strategy.objects.filter(municipality_id=pk).first() if pk is not None else None
    return bool(can_view_record(user, strategy)) if strategy else bool(is_insider(user, obj))


rules.add_perm("strategy.view_strategy", can_view_strategy)
rules.add_perm("strategy.change_strategy", is_manager)
rules.add_perm("strategy.view_history", can_see_history)
rules.add_perm("strategy.restore_version", can_restore_version)
