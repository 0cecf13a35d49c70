"""The solution registry, the municipalities' uses of it, the adoptions of their projects and their declarations
of interest."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from lotse.api import schemas as s
from lotse.api.base import ERRORS, WRITE_ERRORS, municipality, need, need_write, page
from lotse.api.routes.common import SLUG
from lotse.ozg.models import OzgService
from lotse.portfolio.models import Project
from lotse.reuse import selectors, services
from lotse.reuse.models import Adoption, InterestDeclaration, Solution, SolutionUse

router = Router(tags=["Nachnutzung"])

SOLUTION_ID = Path(..., ge=1, le=2_147_483_647, description="ID der Lösung im Register")


class SolutionFilters(Schema):
    q: s.text(100) = ""  # type: ignore[valid-type]
    kind: s.SolutionKindIn | None = None
    ozg_id: s.text(20) = ""  # type: ignore[valid-type]


def _solution(solution: Solution, users: int) -> dict[str, Any]:
    return {
        "id": solution.pk,
        "version": solution.version,
        "name": solution.name,
        "kind": solution.kind,
        "summary": solution.summary,
        "provider": solution.provider,
        "provider_kind": solution.provider_kind,
        "licence": solution.licence,
        "repository_url": solution.repository_url,
        "website_url": solution.website_url,
        "cost_model": solution.cost_model,
        "ozg_ids": sorted(service.ozg_id for service in solution.ozg_services.all()),
        "users": users,
    }


def _use(use: SolutionUse) -> dict[str, Any]:
    return {
        "municipality": use.municipality.slug,
        "solution_id": use.solution_id,
        "status": use.status,
        "since": use.since,
        "experience": use.experience,
        "visibility": use.visibility,
        "ozg_ids": sorted(status.service.ozg_id for status in use.ozg_statuses.all()),
        "version": use.version,
    }


@router.get("/solutions", response={200: s.SolutionPage, **ERRORS})
def solution_list(request: HttpRequest, filters: Query[SolutionFilters], pages: Query[s.PageParams]) -> dict[str, Any]:
    """Das Lösungsregister der Installation, nach Name; `users` zählt die für den Zugang sichtbaren Nutzungen."""
    service = OzgService.objects.filter(ozg_id=filters.ozg_id).first() if filters.ozg_id else None
    if filters.ozg_id and service is None:
        return {"count": 0, "items": []}
    rows = selectors.solutions(request.user, q=filters.q, kind=filters.kind or "", service=service)
    count, items = page(rows.prefetch_related("ozg_services").order_by("name", "pk"), pages)
    return {"count": count, "items": [_solution(x, x.users) for x in items]}


@router.get("/solutions/{solution_id}", response={200: s.SolutionDetail, **ERRORS})
def solution_get(request: HttpRequest, solution_id: int = SOLUTION_ID) -> dict[str, Any]:
    """Eine Lösung mit den Nutzungen, die der Zugang sehen darf („Wer nutzt das?“)."""
    solution = get_object_or_404(Solution.objects.restrict(request.user), pk=solution_id)
    uses = selectors.solution_page(solution, request.user, None).uses
    visible = [u for u in uses if u.status != "replaced"]
    return {**_solution(solution, len(visible)), "uses": [_use(u) for u in uses]}


@router.post("/solutions", response={201: s.SolutionOut, **WRITE_ERRORS})
def solution_create(request: HttpRequest, payload: s.SolutionIn) -> tuple[int, dict[str, Any]]:
    """Trägt eine Lösung ins Register ein (Koordination und Bearbeitung einer Kommune)."""
    need_write(request)
    need(request, "reuse.add_solution")
    data = payload.dict()
    ozg_ids = data.pop("ozg_ids")
    services_found = list(OzgService.objects.filter(ozg_id__in=ozg_ids))
    unknown = sorted(set(ozg_ids) - {x.ozg_id for x in services_found})
    if unknown:
        raise ValidationError({"ozg_ids": _("Unbekannte OZG-IDs: %(ids)s") % {"ids": ", ".join(unknown)}})
    towns = selectors.adopting_towns(request.user)
    saved = services.solution_save(
        None,
        user=request.user,
        data=data,
        m2m={"ozg_services": services_found},
        registered_in=towns[0] if len(towns) == 1 else None,
    )
    return 201, _solution(saved, 0)


@router.put("/municipalities/{slug}/solutions/{solution_id}/use", response={200: s.UseOut, **WRITE_ERRORS})
def use_set(request: HttpRequest, payload: s.UseIn, slug: str = SLUG, solution_id: int = SOLUTION_ID) -> dict[str, Any]:
    """Trägt die Nutzung einer Lösung durch die Kommune ein oder ändert sie (mit `version`, sonst 409)."""
    need_write(request)
    town = municipality(slug)
    need(request, "reuse.record_use", town)
    solution = get_object_or_404(Solution.objects.restrict(request.user), pk=solution_id)
    use = SolutionUse.objects.restrict(request.user, town).filter(solution=solution).first()
    data = payload.dict()
    version = data.pop("version")
    if use is not None and version is None:  # a write blind to an existing use never overwrites it
        raise HttpError(409, _("Für diese Lösung gibt es schon eine Nutzung: bitte mit ihrer `version` ändern."))
    saved = services.use_save(
        use, user=request.user, municipality=town, solution=solution, data=data, expected_version=version
    )
    fresh = SolutionUse.objects.restrict(request.user).select_related("municipality")
    return _use(fresh.prefetch_related("ozg_statuses__service").get(pk=saved.pk))


@router.get("/municipalities/{slug}/adoptions", response={200: s.AdoptionPage, **ERRORS})
def adoption_list(request: HttpRequest, pages: Query[s.PageParams], slug: str = SLUG) -> dict[str, Any]:
    """Die Projekte der Kommune, die von einem anderen Projekt oder einer Lösung übernommen sind, mit der
    geschätzten Ersparnis (nur, wenn der Zugang das Vorbild sehen darf)."""
    town = municipality(slug)
    visible = Project.objects.restrict(request.user, town)
    rows = Adoption.objects.filter(project__in=visible).select_related("project", "origin__municipality")
    count, items = page(rows.order_by("-adopted_at", "pk"), pages)
    origins = Project.objects.restrict(request.user).filter(pk__in=[a.origin_id for a in items])
    seen = set(origins.values_list("pk", flat=True))
    out = []
    for adoption in items:
        origin = adoption.origin if adoption.origin_id in seen else None
        savings = selectors.savings_of(adoption) if origin is not None else []
        url = f"/m/{origin.municipality.slug}/projects/{origin.pk}/" if origin is not None else None
        out.append(
            {
                "project_key": adoption.project.key,
                "project_title": adoption.project.title,
                "origin_title": adoption.origin_title,
                "origin_municipality": adoption.origin_municipality,
                "origin_url": (origin.source_url or request.build_absolute_uri(url)) if origin is not None else None,
                "solution_id": adoption.origin_solution_id,
                "adopted_at": adoption.adopted_at,
                "saved_staff_fte": sum((x.staff for x in savings), 0),
                "saved_budget": sum((x.money for x in savings), 0),
            }
        )
    return {"count": count, "items": out}


def _interest(declaration: InterestDeclaration) -> dict[str, Any]:
    return {
        "municipality": declaration.municipality.slug,
        "project_municipality": declaration.project.municipality.slug,
        "project_key": declaration.project.key,
        "project_title": declaration.project.title,
        "note": declaration.note,
        "created_at": declaration.created_at,
    }


@router.get("/municipalities/{slug}/interests", response={200: s.InterestPage, **ERRORS})
def interest_list(request: HttpRequest, pages: Query[s.PageParams], slug: str = SLUG) -> dict[str, Any]:
    """Die Interessenbekundungen der Kommune und die an ihren Projekten, soweit der Zugang sie sehen darf."""
    town = municipality(slug)
    rows = (
        InterestDeclaration.objects.restrict(request.user)
        .filter(Q(municipality=town) | Q(project__municipality=town))
        .select_related("municipality", "project__municipality")
    )
    count, items = page(rows.order_by("-created_at", "pk"), pages)
    return {"count": count, "items": [_interest(d) for d in items]}


@router.post("/municipalities/{slug}/interests", response={201: s.InterestOut, **WRITE_ERRORS})
def interest_declare(request: HttpRequest, payload: s.InterestIn, slug: str = SLUG) -> tuple[int, dict[str, Any]]:
    """Die Kommune bekundet Interesse am Projekt einer anderen Kommune; deren Koordination erfährt es per E-Mail."""
    need_write(request)
    town = municipality(slug)
    need(request, "reuse.declare_interest", town)
    project = get_object_or_404(
        Project.objects.restrict(request.user).select_related("municipality"),
        municipality__slug=payload.project_municipality,
        key=payload.project_key,
    )
    declaration = services.declare_interest(user=request.user, project=project, municipality=town, note=payload.note)
    return 201, _interest(declaration)
