"""The municipality's Digitallotsen (internal: staff only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lotse.api import schemas as s
from lotse.api.base import ERRORS, municipality, need, page
from lotse.api.routes.common import SLUG
from lotse.pilots import selectors

router = Router(tags=["Digitallotsen"])


@router.get("/municipalities/{slug}/pilots", response={200: s.PilotPage, **ERRORS})
def pilot_list(request: HttpRequest, pages: Query[s.PageParams], slug: str = SLUG) -> dict[str, Any]:
    town = municipality(slug)
    need(request, "pilots.view_pilot", town)
    count, items = page(selectors.pilots(town).order_by("pk"), pages)
    return {
        "count": count,
        "items": [
            {
                "name": p.person.get_full_name() or p.person.email,
                "email": p.person.email,
                "phone": p.phone,
                "topics": p.topics,
                "since": p.since,
                "org_units": sorted(u.name for u in p.org_units.all()),
            }
            for p in items
        ],
    }
