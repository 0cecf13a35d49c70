"""Who am I, and which municipalities are there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lotse.api import schemas as s
from lotse.api.base import ERRORS, page
from lotse.tenancy.models import Membership
from lotse.tenancy.selectors import municipality_list, roles_for

router = Router(tags=["Konto und Kommunen"])


@router.get("/me", response={200: s.MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    memberships = Membership.objects.filter(user=user).select_related("municipality")
    return {
        "email": user.email,
        "name": user.get_full_name(),
        "scope": request.auth.scope,  # type: ignore[attr-defined]
        "memberships": {m.municipality.slug: m.role for m in memberships},
    }


@router.get("/municipalities", response={200: s.MunicipalityPage, **ERRORS})
def municipalities(request: HttpRequest, pages: Query[s.PageParams]) -> dict[str, Any]:
    """Alle Kommunen der Plattform (ihr Profil ist öffentlich), mit Ihrer Rolle, wo Sie Mitglied sind."""
    roles = roles_for(request.user)
    count, items = page(municipality_list(user=request.user), pages)
    return {
        "count": count,
        "items": [{"slug": m.slug, "name": m.name, "kind": m.kind, "role": roles.get(m.pk)} for m in items],
    }
