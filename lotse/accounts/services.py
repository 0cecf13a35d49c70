from typing import Any


def profile_update(user: Any, *, data: dict[str, Any]) -> Any:
    """A person edits their own contact details; only they touch this record, so no version check."""
    for name, value in data.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(data))
    return user
