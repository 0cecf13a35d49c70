"""Pages of the reports room: the municipality's dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from lotse.core.views import deny, page_or_partial
from lotse.reports import selectors


def dashboard(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality  # type: ignore[attr-defined]
    if denied := deny(request, "reports.view_dashboard", municipality):
        return denied
    context = {"municipality": municipality, "d": selectors.dashboard(municipality, request.user)}
    return page_or_partial(request, "reports/dashboard.html", "reports/partials/dashboard.html", context)
