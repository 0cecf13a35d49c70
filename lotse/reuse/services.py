"""Writes of the reuse room."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Funding, Project, Status
from lotse.reuse.models import Adoption
from lotse.tenancy.models import Municipality, OrgUnit, Visibility


def _start_of(origin: Project) -> date | None:
    """Where the origin's schedule begins: its start, else its first milestone."""
    if origin.start_date:
        return origin.start_date
    first = origin.milestones.order_by("due_date").first()
    return first.due_date if first else None


@transaction.atomic
def adopt(
    *,
    user: Any,
    origin: Project,
    municipality: Municipality,
    title: str,
    start_date: date,
    lead_unit: OrgUnit | None = None,
) -> Project:
    """Start a project of `municipality` from `origin` (which the caller looked up as visible to `user`): a draft
    ("in Planung", internal, not financed) with the origin's description, tags, milestones shifted to the new
    start, and its yearly plan (planned budget and staff, moved by as many years) as a first estimate. Nothing of
    the origin's own town comes along: units, fields and goals of its strategy, partners, approved or spent money."""
    if not user.has_perm("portfolio.add_project", municipality):
        raise PermissionDenied
    begins = _start_of(origin)
    shift = (start_date - begins) if begins else timedelta(0)
    years = start_date.year - begins.year if begins else 0
    tags = portfolio.tags_from_text(municipality, ", ".join(t.name for t in origin.tags.all()))
    data: dict[str, Any] = {
        "title": title.strip() or origin.title,
        "summary": origin.summary,
        "description": origin.description,
        "status": Status.PLANNING,
        "funding": Funding.UNFUNDED,
        "visibility": Visibility.INTERNAL,
        "start_date": start_date,
        "end_date": origin.end_date + shift if origin.end_date else None,
        "obligation": origin.obligation,
        "obligation_basis": origin.obligation_basis,
        "lead_unit": lead_unit,
    }
    children: dict[str, list[dict[str, Any]]] = {
        "milestones": [
            {"title": m.title, "due_date": m.due_date + shift, "done_on": None} for m in origin.milestones.all()
        ],
        "years": [
            {
                "year": y.year + years,
                "budget_planned": y.budget_planned,
                "budget_approved": 0,
                "budget_spent": 0,
                "staff_fte": y.staff_fte,
            }
            for y in origin.years.all()
            if 2000 <= y.year + years <= 2100
        ],
    }
    project = portfolio.project_save(
        None, user=user, municipality=municipality, data=data, m2m={"tags": tags}, children=children
    )
    Adoption.objects.create(
        project=project,
        origin=origin,
        origin_title=origin.title,
        origin_municipality=origin.municipality.name,
        shifted_days=shift.days,
        adopted_by=user if user.is_authenticated else None,
    )
    return project
