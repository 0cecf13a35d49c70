"""Reads of the reuse room, through the permission-aware layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from lotse.ozg.models import OzgService, OzgStatus
from lotse.portfolio.models import Project
from lotse.reuse.models import Adoption, Solution, SolutionUse, UseStatus
from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import own_municipalities_with


@dataclass
class Reuse:
    """What the project page says about reuse: where the project came from, and who adopted it."""

    adoption: Adoption | None
    origin: Project | None  # the origin, when this person may see it
    adopted_by_towns: int  # how many municipalities adopted this project
    adopters: list[Project]  # the adopting projects this person may see


def reuse_of(project: Project, user: Any) -> Reuse:
    adoption = Adoption.objects.filter(project=project).first()
    origin = None
    if adoption is not None and adoption.origin_id is not None:
        origin = Project.objects.restrict(user).select_related("municipality").filter(pk=adoption.origin_id).first()
    towns = (
        Adoption.objects.filter(origin=project).values("project__municipality").distinct().count()
    )  # a count says nothing of the internal drafts behind it
    adopters = list(
        Project.objects.restrict(user)
        .filter(adoption__origin=project)
        .select_related("municipality")
        .order_by("municipality__name", "title")
    )
    return Reuse(adoption, origin, towns, adopters)


def adopting_towns(user: Any) -> list[Municipality]:
    """The municipalities in which this person may start a project, i.e. adopt one."""
    return own_municipalities_with(user, "portfolio.add_project")


# --- the solution registry -------------------------------------------------------------------------------------


def solutions(user: Any, *, q: str = "", kind: str = "", service: OzgService | None = None) -> QuerySet[Solution]:
    """The registry, searched by name, provider and description, each entry with the number of towns whose use
    this person may see (`users`)."""
    qs = Solution.objects.restrict(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(provider__icontains=q) | Q(summary__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if service is not None:
        qs = qs.filter(Q(ozg_services=service) | Q(uses__ozg_statuses__service=service)).distinct()
    seen = SolutionUse.objects.restrict(user).filter(solution=OuterRef("pk")).exclude(status=UseStatus.REPLACED)
    return qs.annotate(users=Coalesce(Subquery(seen.values("solution").annotate(n=Count("pk")).values("n")), 0))


@dataclass
class SolutionPage:
    solution: Solution
    uses: list[SolutionUse]  # the uses this person may see, furthest first
    projects: dict[int, Project]  # use pk → its project, where this person may see it
    own_use: SolutionUse | None  # the use of the town the person works for (when there is one town)
    adopted_by_towns: int


def solution_page(solution: Solution, user: Any, municipality: Municipality | None) -> SolutionPage:
    order = Case(*(When(status=s, then=i) for i, s in enumerate(USE_RANK)), default=len(USE_RANK))
    uses = list(
        SolutionUse.objects.restrict(user)
        .filter(solution=solution)
        .select_related("municipality", "contact")
        .prefetch_related("ozg_statuses__service")
        .order_by(order, "municipality__name")
    )
    project_ids = [u.project_id for u in uses if u.project_id]
    visible = {p.pk: p for p in Project.objects.restrict(user).filter(pk__in=project_ids)}
    projects = {u.pk: visible[u.project_id] for u in uses if u.project_id in visible}
    for use in uses:
        use.visible_project = projects.get(use.pk)  # type: ignore[attr-defined]
    own = None
    if municipality is not None:
        own = next((u for u in uses if u.municipality_id == municipality.pk), None)
    towns = Adoption.objects.filter(origin_solution=solution).values("project__municipality").distinct().count()
    return SolutionPage(solution, uses, projects, own, towns)


USE_RANK = [UseStatus.OPERATING, UseStatus.INTRODUCING, UseStatus.PLANNED, UseStatus.INTERESTED, UseStatus.REPLACED]


def size_band(inhabitants: int | None) -> tuple[int, int] | None:
    """Towns "like us" by size: from half to twice the inhabitants."""
    if not inhabitants:
        return None
    return inhabitants // 2, inhabitants * 2


@dataclass
class ServiceSolutions:
    """ "Was nutzen Kommunen wie wir für Leistung Y?": per solution, how many towns use it (all visible, and those
    of the same kind and size as the own town)."""

    service: OzgService
    rows: list[tuple[Solution, int, int]]  # (solution, towns, towns like us)
    like: Municipality | None


def for_service(user: Any, service: OzgService, like: Municipality | None) -> ServiceSolutions:
    uses = (
        SolutionUse.objects.restrict(user)
        .filter(Q(ozg_statuses__service=service) | Q(solution__ozg_services=service))
        .exclude(status__in=[UseStatus.REPLACED, UseStatus.INTERESTED])
        .select_related("municipality")
        .distinct()
    )
    band = size_band(like.inhabitants) if like else None
    counts: dict[int, list[int]] = {}
    for use in uses:
        town = use.municipality
        similar = (
            like is not None
            and town.pk != like.pk
            and town.kind == like.kind
            and (band is None or (town.inhabitants is not None and band[0] <= town.inhabitants <= band[1]))
        )
        pair = counts.setdefault(use.solution_id, [0, 0])
        pair[0] += 1
        pair[1] += similar
    offered = Solution.objects.restrict(user).filter(Q(pk__in=counts) | Q(ozg_services=service)).distinct()
    rows: list[tuple[Solution, int, int]] = [(s, *counts.get(s.pk, (0, 0))) for s in offered]
    rows.sort(key=lambda row: (-row[2], -row[1], row[0].name.casefold()))
    return ServiceSolutions(service, rows, like)


def own_uses(municipality: Municipality, user: Any) -> QuerySet[SolutionUse]:
    return (
        SolutionUse.objects.restrict(user, municipality)
        .select_related("solution", "contact")
        .prefetch_related("ozg_statuses__service")
        .order_by("solution__name")
    )


def use_of_status(status: OzgStatus, user: Any) -> SolutionUse | None:
    """The registry entry an OZG status is linked to, through its town's use."""
    return SolutionUse.objects.restrict(user).filter(ozg_statuses=status).select_related("solution").first()


def candidates_for_text(name: str, provider: str, limit: int = 5) -> list[tuple[Solution, float]]:
    """Registry entries most like an OZG status's free text (character n-grams, as the merge proposals)."""
    from lotse.synergy.evidence import CharSpace, char_grams

    entries = list(Solution.objects.order_by("pk"))
    if not entries or not name.strip():
        return []
    space = CharSpace([char_grams(f"{s.name} {s.name} {s.provider}") for s in entries])
    query = space.transform([f"{name} {name} {provider}"])
    scores = (space.matrix @ query.T).toarray().ravel()
    best = scores.argsort()[::-1][:limit]
    return [(entries[i], float(scores[i])) for i in best if scores[i] > 0.2]
