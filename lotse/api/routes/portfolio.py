"""Projects: list with filters, one project, create, change (version-checked). Visibility as on the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import KEY, SLUG
from lotse.ozg.models import OzgStatus
from lotse.portfolio import selectors, services
from lotse.portfolio.models import Funding, Project, Status
from lotse.strategy.models import FieldOfAction
from lotse.tenancy.models import Municipality, OrgUnit, Visibility

router = Router(tags=["Projekte"])


class ProjectFilters(Schema):
    q: s.text(200) = ""  # type: ignore[valid-type]
    status: list[Status] = []
    funding: list[Funding] = []
    field_id: s.Id | None = None
    updated_since: datetime | None = None


def _out(p: Project) -> dict[str, Any]:
    return {
        "key": p.key,
        "title": p.title,
        "summary": p.summary,
        "description": p.description,
        "status": p.status,
        "funding": p.funding,
        "visibility": p.visibility,
        "field_id": p.field_id,
        "field": p.field.name if p.field else None,
        "lead_unit_id": p.lead_unit_id,
        "lead_unit": p.lead_unit.name if p.lead_unit else None,
        "project_lead": p.project_lead,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "is_lighthouse": p.is_lighthouse,
        "tags": sorted(t.name for t in p.tags.all()),
        "goal_ids": sorted(g.pk for g in p.goals.all()),
        "ozg_ids": sorted(o.service.ozg_id for o in p.ozg_statuses.all()),
        "version": p.version,
        "updated_at": p.updated_at,
        "url": reverse("portfolio:project", kwargs={"municipality": p.municipality.slug, "pk": p.pk}),
    }


def _rows(qs: Any) -> Any:
    return qs.select_related("field", "lead_unit", "municipality").prefetch_related(
        "tags", "goals", Prefetch("ozg_statuses", OzgStatus.objects.select_related("service"))
    )


def _project(request: HttpRequest, town: Municipality, key: str) -> Project:
    return get_object_or_404(_rows(selectors.projects_visible(request.user, town)), key=key)


def _references(user: Any, town: Municipality, data: dict[str, Any]) -> dict[str, Any]:
    """Turn field_id / lead_unit_id into records of this municipality (422 otherwise) and check choices."""
    errors = []
    for name, model in (("field_id", FieldOfAction), ("lead_unit_id", OrgUnit)):
        if data.get(name) is not None:
            obj = model.objects.restrict(user, town).filter(pk=data.pop(name)).first()
            if obj is None:
                errors.append({"field": name, "message": _("Gibt es in dieser Kommune nicht.")})
            data[name.removesuffix("_id")] = obj
        elif name in data:
            data[name.removesuffix("_id")] = data.pop(name)
    for name, choices in (("status", Status), ("funding", Funding), ("visibility", Visibility)):
        if name in data and data[name] not in choices.values:
            errors.append({"field": name, "message": _("Erlaubt: %(values)s") % {"values": ", ".join(choices.values)}})
    if errors:
        raise ValidationError({e["field"]: e["message"] for e in errors})
    return data


@router.get("/municipalities/{slug}/projects", response={200: s.ProjectPage, **ERRORS})
def project_list(
    request: HttpRequest, filters: Query[ProjectFilters], pages: Query[s.PageParams], slug: str = SLUG
) -> dict[str, Any]:
    """Die Projekte, die Sie sehen dürfen, nach Projektschlüssel sortiert."""
    town = municipality(slug)
    f = filters
    qs = selectors.filter_projects(
        selectors.projects_visible(request.user, town),
        {"q": f.q, "status": f.status, "funding": f.funding, "field": f.field_id},
    )
    if f.updated_since:
        qs = qs.filter(updated_at__gte=f.updated_since)
    count, items = page(_rows(qs).order_by("key", "pk"), pages)
    return {"count": count, "items": [_out(p) for p in items]}


@router.get("/municipalities/{slug}/projects/{key}", response={200: s.ProjectOut, **ERRORS})
def project_detail(request: HttpRequest, slug: str = SLUG, key: str = KEY) -> dict[str, Any]:
    return _out(_project(request, municipality(slug), key))


@router.post("/municipalities/{slug}/projects", response={201: s.ProjectOut, **WRITE_ERRORS})
def project_create(request: HttpRequest, payload: s.ProjectIn, slug: str = SLUG) -> Reply[dict[str, Any]]:
    """Legt ein Projekt an. Ohne `key` vergibt Lotse den nächsten Projektschlüssel."""
    need_write(request)
    town = municipality(slug)
    need(request, "portfolio.add_project", town)
    data = _references(request.user, town, payload.dict())
    tags = data.pop("tags")
    need(request, "portfolio.change_project", Project(municipality=town, lead_unit=data.get("lead_unit")))
    project = services.project_save(
        None,
        user=request.user,
        municipality=town,
        data=data,
        m2m={"tags": services.tags_from_text(town, ",".join(tags))},
    )
    return Reply(201, _out(_project(request, town, project.key)))


@router.patch("/municipalities/{slug}/projects/{key}", response={200: s.ProjectOut, **WRITE_ERRORS})
def project_update(request: HttpRequest, payload: s.ProjectPatch, slug: str = SLUG, key: str = KEY) -> dict[str, Any]:
    """Ändert die angegebenen Felder. `version` ist die Version, die Sie gelesen haben: hat jemand anderes
    inzwischen gespeichert, antwortet Lotse mit 409 und den Änderungen der anderen Person."""
    need_write(request)
    town = municipality(slug)
    project = _project(request, town, key)
    need(request, "portfolio.change_project", project)
    data = _references(request.user, town, payload.dict(exclude_unset=True))
    version = data.pop("version")
    tags = data.pop("tags", None)
    if "lead_unit" in data:
        need(request, "portfolio.change_project", Project(municipality=town, lead_unit=data["lead_unit"]))
    if "title" in data and not (data["title"] or "").strip():
        raise ValidationError({"title": _("Bitte geben Sie einen Titel an.")})
    project = services.project_save(
        project,
        user=request.user,
        municipality=town,
        data=data,
        m2m={"tags": services.tags_from_text(town, ",".join(tags))} if tags is not None else None,
        expected_version=version,
    )
    return _out(_project(request, town, project.key))
