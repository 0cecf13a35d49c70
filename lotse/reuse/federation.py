"""Open data, schema 2.0: the projects feed of lotse.synergy plus what reuse knows, the municipality's solutions
(its public uses of registry entries) and each project's origin (`adopted_from`); and pulling such a feed, which
takes the solutions into the registry and links adopted copies to their origin when this instance holds it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from lotse.portfolio.models import Project
from lotse.reuse.models import Adoption, Solution, SolutionKind, SolutionUse, UseStatus
from lotse.reuse.services import entries_by_key, normalised_licence, solution_key
from lotse.synergy import federation
from lotse.synergy.federation import SCHEMA_V2, FeedError, iso_date
from lotse.tenancy.models import Municipality, Visibility

SCHEMA_VERSION = "2.0"


def _origin_url(adoption: Adoption, base_url: str) -> str | None:
    """Where a public project came from: a public project (its page, or its original when pulled) or a solution."""
    origin = adoption.origin
    if origin is not None and origin.visibility == Visibility.PUBLIC:
        return origin.source_url or f"{base_url}/m/{origin.municipality.slug}/projects/{origin.pk}/"
    if adoption.origin_solution_id:
        return f"{base_url}/solutions/{adoption.origin_solution_id}/"
    return None


def feed(municipality: Municipality, base_url: str) -> dict[str, Any]:
    data = federation.feed(municipality, base_url)
    data["$schema"], data["schema_version"] = SCHEMA_V2, SCHEMA_VERSION
    adoptions = Adoption.objects.filter(project__in=federation.public_projects(municipality)).select_related(
        "project", "origin__municipality"
    )
    origins = {a.project.key: _origin_url(a, base_url) for a in adoptions}
    for project in data["projects"]:
        project["adopted_from"] = origins.get(project["id"])
    uses = (
        SolutionUse.objects.filter(municipality=municipality, visibility=Visibility.PUBLIC)
        .select_related("solution")
        .prefetch_related("solution__ozg_services", "ozg_statuses__service")
        .order_by("solution__name", "pk")
    )
    data["solutions"] = [
        {
            "name": use.solution.name,
            "kind": use.solution.kind,
            "provider": use.solution.provider,
            "licence": use.solution.licence,
            "repository_url": use.solution.repository_url,
            "website_url": use.solution.website_url,
            "status": use.status,
            "since": use.since.isoformat() if use.since else None,
            "ozg_ids": sorted(
                {s.service.ozg_id for s in use.ozg_statuses.all()} | {x.ozg_id for x in use.solution.ozg_services.all()}
            ),
            "url": f"{base_url}/solutions/{use.solution_id}/",
        }
        for use in uses
    ]
    return data


@transaction.atomic
def pull(source: str) -> tuple[Municipality, int, int, int]:
    """Take in a feed of either schema (all or nothing): the projects as lotse.synergy does, then, from 2.0, the
    publisher's solutions as its public uses (registry entries matched by name and provider, made when missing)
    and the origins of its adopted projects. Returns the mirror, projects, projects removed, solutions."""
    data = federation.load(source)
    town, count, removed = federation.pull(source, data=data)
    solutions = 0
    if data["$schema"] == SCHEMA_V2:
        solutions = _take_solutions(town, data.get("solutions") or [])
        _take_origins(town, data["projects"])
    return town, count, removed, solutions


def _take_solutions(town: Municipality, items: list[Any]) -> int:
    entries = entries_by_key()
    kept = []
    for item in items:
        name = str(item.get("name") or "").strip()[:200] if isinstance(item, dict) else ""
        if not name:
            raise FeedError(_("Eine Lösung im Feed hat keinen Namen: %(item)s") % {"item": f"{item!r:.120}"})
        provider = str(item.get("provider") or "").strip()[:200]
        key = solution_key(name, provider)
        solution = entries.get(key)
        if solution is None:
            try:
                licence = normalised_licence(str(item.get("licence") or "")[:100])
            except Exception:
                licence = ""
            solution = entries[key] = Solution.objects.create(
                name=name,
                provider=provider,
                kind=item.get("kind") if item.get("kind") in SolutionKind.values else SolutionKind.PRODUCT,
                licence=licence,
                repository_url=_url(item.get("repository_url")),
                website_url=_url(item.get("website_url")),
            )
        use, _created = SolutionUse.objects.update_or_create(
            municipality=town,
            solution=solution,
            defaults={
                "status": item.get("status") if item.get("status") in UseStatus.values else UseStatus.PLANNED,
                "since": iso_date(item.get("since")),
                "visibility": Visibility.PUBLIC,
            },
        )
        kept.append(use.pk)
    SolutionUse.objects.filter(municipality=town).exclude(pk__in=kept).delete()  # withdrawn at the source
    return len(kept)


def _local_project(url: str) -> Project | None:
    """The project an origin URL names: a copy pulled from there, or one of this instance's own pages."""
    copy = Project.objects.filter(source_url=url).first()
    if copy is not None:
        return copy
    base = settings.LOTSE_BASE_URL.rstrip("/")
    if not url.startswith(base + "/"):
        return None
    try:
        match = resolve(url[len(base) :])
    except Resolver404:
        return None
    if match.view_name != "portfolio:project":
        return None
    return Project.objects.filter(
        pk=match.kwargs["pk"], municipality__slug=match.kwargs["municipality"], visibility=Visibility.PUBLIC
    ).first()


def _take_origins(town: Municipality, items: list[Any]) -> None:
    for item in items:
        url = str(item.get("adopted_from") or "")
        copy = Project.objects.filter(municipality=town, key=str(item.get("id") or "")[:40]).first()
        if copy is None:
            continue
        origin = _local_project(url) if url.startswith(("http://", "https://")) else None
        if origin is None or origin.pk == copy.pk:
            Adoption.objects.filter(project=copy).delete()
            continue
        Adoption.objects.update_or_create(
            project=copy,
            defaults={
                "origin": origin,
                "origin_title": origin.title,
                "origin_municipality": origin.municipality.name,
            },
        )


def _url(value: Any) -> str:
    text = str(value or "")[:200]
    return text if text.startswith(("http://", "https://")) else ""
