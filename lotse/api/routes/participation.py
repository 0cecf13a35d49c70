"""Ideas of the participation campaigns. Never any participant's personal data; the Stabsstelle answers
ideas (status, public feedback, linked projects) as on the triage page, authors are told by e-mail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import SLUG
from lotse.participation import services
from lotse.participation.models import Idea, IdeaStatus
from lotse.portfolio.selectors import projects_visible
from lotse.tenancy.models import Municipality

router = Router(tags=["Ideen"])


class IdeaFilters(Schema):
    campaign_id: s.Id | None = None
    status: list[IdeaStatus] = []


def _ideas(request: HttpRequest, town: Municipality) -> Any:
    """Moderators see every idea of the town; everyone else the published ones of campaigns they may see."""
    visible = projects_visible(request.user, town).only("pk", "key")
    qs = Idea.objects.restrict(request.user, town)
    if not request.user.has_perm("participation.moderate", town):
        qs = qs.filter(merged_into__isnull=True)
    return qs.select_related("campaign", "field").prefetch_related(Prefetch("projects", visible, to_attr="shown"))


def _out(i: Idea) -> dict[str, Any]:
    return {
        "id": i.pk,
        "campaign_id": i.campaign_id,
        "campaign": i.campaign.title,
        "title": i.title,
        "description": i.description,
        "status": i.status,
        "feedback": i.feedback,
        "publication": i.publication,
        "field": i.field.name if i.field else None,
        "supporters": i.supporters_count,
        "comments": i.comments_count,
        "project_keys": sorted(p.key for p in i.shown),  # type: ignore[attr-defined]
        "created_at": i.created_at,
        "version": i.version,
    }


@router.get("/municipalities/{slug}/ideas", response={200: s.IdeaPage, **ERRORS})
def idea_list(
    request: HttpRequest, filters: Query[IdeaFilters], pages: Query[s.PageParams], slug: str = SLUG
) -> dict[str, Any]:
    """Ideen, neueste zuerst."""
    town = municipality(slug)
    f = filters
    qs = _ideas(request, town)
    if f.campaign_id:
        qs = qs.filter(campaign_id=f.campaign_id)
    if f.status:
        qs = qs.filter(status__in=f.status)
    count, items = page(qs.order_by("-created_at", "-pk"), pages)
    return {"count": count, "items": [_out(i) for i in items]}


@router.patch("/municipalities/{slug}/ideas/{idea_id}", response={200: s.IdeaOut, **WRITE_ERRORS})
def idea_answer(
    request: HttpRequest, payload: s.IdeaPatch, slug: str = SLUG, idea_id: int = Path(..., ge=1, le=2_147_483_647)
) -> dict[str, Any]:
    """Die Antwort der Verwaltung: Stand, öffentliche Rückmeldung, verknüpfte Projekte (per Projektschlüssel)."""
    need_write(request)
    town = municipality(slug)
    idea = get_object_or_404(_ideas(request, town), pk=idea_id)
    need(request, "participation.moderate", town)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "status" in data and data["status"] not in IdeaStatus.values:
        raise ValidationError({"status": _("Erlaubt: %(values)s") % {"values": ", ".join(IdeaStatus.values)}})
    projects = None
    if data.get("project_keys") is not None:
        keys = set(data.pop("project_keys"))
        projects = list(projects_visible(request.user, town).filter(key__in=keys))
        if len(projects) != len(keys):
            raise ValidationError({"project_keys": _("Nicht alle Projektschlüssel gibt es in dieser Kommune.")})
    data.pop("project_keys", None)
    services.idea_update(idea, user=request.user, expected_version=version, data=data, projects=projects)
    return _out(_ideas(request, town).get(pk=idea.pk))
