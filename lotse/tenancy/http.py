"""The request type of every view below `/m/<municipality>/`, so that views read the town without casts."""

from __future__ import annotations

from django.http import HttpRequest

from lotse.tenancy.models import Municipality


class TenantRequest(HttpRequest):
    """Set by TenantMiddleware before the view runs: the municipality of the URL (404 if there is none) and the
    person's role in it (None for visitors and people of other towns)."""

    municipality: Municipality
    role: str | None
