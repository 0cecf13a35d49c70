"""Resolves the municipality named in the URL (`/m/<municipality>/...`) for every view below it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import role_in

SESSION_KEY = "lotse_municipality"


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant: Any = request  # becomes a TenantRequest (lotse.tenancy.http) for the views below /m/
        tenant.municipality = None
        tenant.role = None
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: dict[str, Any]
    ) -> None:
        slug = view_kwargs.pop("municipality", None)
        if slug is None:
            return
        municipality = get_object_or_404(Municipality, slug=slug)
        tenant: Any = request
        tenant.municipality = municipality
        tenant.role = role_in(request.user, municipality)
        if tenant.role and request.session.get(SESSION_KEY) != municipality.slug:
            # Remember where the person works last, so the start page can take them back there.
            request.session[SESSION_KEY] = municipality.slug
