"""The municipality's Digitallotsen (internal: staff read; the coordination appoints and changes them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as Reply

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import SLUG
from lotse.pilots import selectors, services
from lotse.pilots.models import DigitalPilot
from lotse.tenancy.models import Municipality, OrgUnit

router = Router(tags=["Digitallotsen"])


def _out(p: DigitalPilot) -> dict[str, Any]:
    units = sorted(p.org_units.all(), key=lambda u: u.name)
    return {
        "id": p.pk,
        "version": p.version,
        "name": p.person.get_full_name() or p.person.email,
        "email": p.person.email,
        "phone": p.phone,
        "topics": p.topics,
        "since": p.since,
        "org_units": [u.name for u in units],
        "org_unit_ids": [u.pk for u in units],
    }


def _units(user: Any, town: Municipality, ids: list[int]) -> list[OrgUnit]:
    units = list(OrgUnit.objects.restrict(user, town).filter(pk__in=ids))
    if len(units) != len(set(ids)):
        raise ValidationError({"org_unit_ids": _("Gibt es in dieser Kommune nicht.")})
    return units


@router.get("/municipalities/{slug}/pilots", response={200: s.PilotPage, **ERRORS})
def pilot_list(request: HttpRequest, pages: Query[s.PageParams], slug: str = SLUG) -> dict[str, Any]:
    town = municipality(slug)
    need(request, "pilots.view_pilot", town)
    count, items = page(selectors.pilots(town).order_by("pk"), pages)
    return {"count": count, "items": [_out(p) for p in items]}


@router.post("/municipalities/{slug}/pilots", response={201: s.PilotOut, **WRITE_ERRORS})
def pilot_appoint(request: HttpRequest, payload: s.PilotIn, slug: str = SLUG) -> Reply[dict[str, Any]]:
    """Ernennt eine Beschäftigte oder einen Beschäftigten (per E-Mail) zum Digitallotsen für Einheiten."""
    need_write(request)
    town = municipality(slug)
    need(request, "pilots.manage_pilot", town)
    data = payload.dict()
    person = get_user_model().objects.filter(email__iexact=data.pop("email").strip()).first()
    if person is None:
        raise ValidationError({"email": _("Digitallotsen sind Beschäftigte der Kommune mit einem Zugang hier.")})
    if DigitalPilot.objects.restrict(request.user, town).filter(person=person).exists():
        raise ValidationError({"email": _("Diese Person ist hier schon Digitallotse.")})
    units = _units(request.user, town, data.pop("org_unit_ids"))
    pilot = services.pilot_save(None, user=request.user, municipality=town, person=person, data=data, org_units=units)
    return Reply(201, _out(selectors.pilots(town).get(pk=pilot.pk)))


@router.patch("/municipalities/{slug}/pilots/{pilot_id}", response={200: s.PilotOut, **WRITE_ERRORS})
def pilot_update(
    request: HttpRequest, payload: s.PilotPatch, slug: str = SLUG, pilot_id: int = Path(..., ge=1, le=2_147_483_647)
) -> dict[str, Any]:
    need_write(request)
    town = municipality(slug)
    need(request, "pilots.view_pilot", town)
    pilot = get_object_or_404(selectors.pilots(town), pk=pilot_id)
    need(request, "pilots.manage_pilot", town)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    ids = data.pop("org_unit_ids", None)
    units = _units(request.user, town, ids) if ids is not None else list(pilot.org_units.all())
    values = {"topics": pilot.topics, "phone": pilot.phone, "since": pilot.since, **data}
    services.pilot_save(
        pilot,
        user=request.user,
        municipality=town,
        person=pilot.person,
        data=values,
        org_units=units,
        projects=list(pilot.projects.all()),
        expected_version=version,
    )
    return _out(selectors.pilots(town).get(pk=pilot.pk))
