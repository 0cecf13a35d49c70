"""The municipality's OZG services with their maturity; setting one service's status."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import SLUG
from lotse.ozg import selectors, services
from lotse.ozg.models import OzgStatus
from lotse.tenancy.models import OrgUnit

router = Router(tags=["OZG"])

OZG_ID = Path(..., pattern=r"^[-A-Za-z0-9_.]+$", max_length=20, description="OZG-ID, z. B. 10513")


class OzgFilters(Schema):
    maturity: int | None = s.Field(None, ge=0, le=4)
    q: s.text(200) = ""  # type: ignore[valid-type]


def _out(row: Any) -> dict[str, Any]:
    st = row.status
    return {
        "ozg_id": row.service.ozg_id,
        "service": row.service.name,
        "topic": row.service.life_situation.topic.name,
        "maturity": row.maturity,
        "solution_name": st.solution_name if st else "",
        "solution_url": st.solution_url if st else "",
        "org_unit": st.org_unit.name if st and st.org_unit else None,
        "planned_date": st.planned_date if st else None,
        "version": st.version if st else None,
    }


@router.get("/municipalities/{slug}/ozg", response={200: s.OzgPage, **ERRORS})
def ozg_list(
    request: HttpRequest, filters: Query[OzgFilters], pages: Query[s.PageParams], slug: str = SLUG
) -> dict[str, Any]:
    """Die für die Kommune relevanten OZG-Leistungen mit Reifegrad (0–4), nach OZG-ID."""
    town = municipality(slug)
    need(request, "ozg.view_status", town)
    f = filters
    rows = selectors.rows(town, {"maturity": f.maturity, "q": f.q})
    count, items = page(rows, pages)
    return {"count": count, "items": [_out(r) for r in items]}


@router.put("/municipalities/{slug}/ozg/{ozg_id}", response={200: s.OzgStatusOut, **WRITE_ERRORS})
def ozg_set(request: HttpRequest, payload: s.OzgStatusIn, slug: str = SLUG, ozg_id: str = OZG_ID) -> dict[str, Any]:
    """Setzt den Umsetzungsstand einer Leistung. Gibt es schon einen, ist `version` Pflicht (sonst 409)."""
    need_write(request)
    town = municipality(slug)
    need(request, "ozg.view_status", town)
    service = get_object_or_404(
        selectors.relevant_services(town).select_related("life_situation__topic"), ozg_id=ozg_id
    )
    status = OzgStatus.objects.restrict(request.user, town).filter(service=service).first()
    need(request, "ozg.change_status" if status else "ozg.add_status", status or town)
    data = payload.dict()
    version = data.pop("version")
    if (unit_id := data.pop("org_unit_id", None)) is not None:
        data["org_unit"] = OrgUnit.objects.restrict(request.user, town).filter(pk=unit_id).first()
        if data["org_unit"] is None:
            raise ValidationError({"org_unit_id": _("Gibt es in dieser Kommune nicht.")})
    if status is not None and version is None:  # a write blind to an existing status never overwrites it
        raise HttpError(409, _("Für diese Leistung gibt es schon einen Stand: bitte mit seiner `version` ändern."))
    saved = services.status_save(
        status, user=request.user, municipality=town, service=service, data=data, expected_version=version
    )
    return _out(selectors.Row(service, saved))
