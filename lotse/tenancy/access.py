"""Looking one record up for a request, through the permission-aware layer: what the person may not see does
not exist for them (404); what they see but may not change is refused (403). Views use this (or
`Model.objects.restrict(user)` for lists) instead of the ORM, and a test holds them to it."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotse.tenancy.models import Municipality

T = TypeVar("T", bound=Model)


def get_for_user(
    request: HttpRequest,
    source: type[T] | QuerySet[T],
    *,
    municipality: Municipality | None = None,
    perm: str | None = None,
    **lookup: Any,
) -> T:
    queryset: Any = source if isinstance(source, QuerySet) else source.objects.all()  # type: ignore[attr-defined]
    obj = get_object_or_404(queryset.restrict(request.user, municipality), **lookup)
    if perm is not None and not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
