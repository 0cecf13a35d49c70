"""Writes of the API room: personal tokens, and the few writes the API needs that no room offers yet."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotse.api.models import ApiToken, Scope

PREFIX = "lotse_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: Any, name: str, scope: str = Scope.READ, valid_days: int | None = 365
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token itself, which is never stored and shown once."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=raw[: len(PREFIX) + 6],
        digest=digest(raw),
        expires_at=timezone.now() + timedelta(days=valid_days) if valid_days else None,
    )
    return token, raw


def token_revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def token_for(raw: str) -> ApiToken | None:
    """The active token for `raw`, or None. Notes the use at most once a minute (one UPDATE, no history)."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
