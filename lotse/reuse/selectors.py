"""Reads of the reuse room, through the permission-aware layer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from lotse.ozg.models import OzgService, OzgStatus
from lotse.portfolio.models import Project, ProjectYear
from lotse.reuse.models import Adoption, InterestDeclaration, ReuseKit, Solution, SolutionUse, UseStatus
from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import own_municipalities_with, staff_municipality_ids


@dataclass
class Reuse:
    """What the project page says about reuse: where the project came from, and who adopted it."""

    adoption: Adoption | None
    origin: Project | None  # the origin, when this person may see it
    adopted_by_towns: int  # how many municipalities adopted this project
    adopters: list[Project]  # the adopting projects this person may see
    savings: list[Saving]  # what adopting saves by year, when this person may see the origin
    interested: list[InterestDeclaration]  # the declarations this person may see (own town's, or on own project)
    interested_towns: int  # how many towns declared interest in this project
    own_interest: InterestDeclaration | None  # the declaration of the town this person works for

    @property
    def saved_staff(self) -> Decimal:
        return sum((s.staff for s in self.savings), Decimal(0))

    @property
    def saved_money(self) -> Decimal:
        return sum((s.money for s in self.savings), Decimal(0))


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
    # The estimate reads the origin's years: only for those who may see the origin.
    savings = savings_of(adoption) if adoption is not None and origin is not None else []
    interested = list(
        InterestDeclaration.objects.restrict(user)
        .filter(project=project)
        .select_related("municipality", "declared_by")
        .order_by("municipality__name")
    )
    count = InterestDeclaration.objects.filter(project=project).count()
    mine = staff_municipality_ids(user)
    own = next((d for d in interested if d.municipality_id in mine), None)
    return Reuse(adoption, origin, towns, adopters, savings, interested, count, own)


def interested_towns(user: Any, project: Project) -> list[Municipality]:
    """The municipalities for which this person may declare interest in `project`: their own, not its town."""
    towns = own_municipalities_with(user, "reuse.declare_interest")
    return [t for t in towns if t.pk != project.municipality_id and not project.source_url]


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
    uses: list[SolutionUse]  # the uses this person may see, furthest first; `visible_project` where one may see it
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
    for use in uses:
        use.visible_project = visible.get(use.project_id)  # type: ignore[attr-defined,arg-type]
    own = None
    if municipality is not None:
        own = next((u for u in uses if u.municipality_id == municipality.pk), None)
    towns = Adoption.objects.filter(origin_solution=solution).values("project__municipality").distinct().count()
    return SolutionPage(solution, uses, own, towns)


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


CANDIDATES = 2000  # entries compared with a free text at most


def _name_text(name: str, provider: str) -> str:
    return f"{name} {name} {provider}"  # the name counts twice: "Online-Dienst" matters more than "Regio IT"


def name_space(entries: list[Solution]) -> Any:
    """The registry entries' names and providers as the synergy engine's character n-gram TF-IDF."""
    from lotse.synergy.evidence import CharSpace, char_grams

    return CharSpace([char_grams(_name_text(s.name, s.provider)) for s in entries])


def candidates_for_text(
    user: Any, name: str, provider: str, service: OzgService | None = None, limit: int = 5
) -> list[tuple[Solution, float]]:
    """Registry entries this person may see that are most like an OZG status's free text (character n-grams,
    as the merge proposals), among those for the same service or sharing the start of a word of the name."""
    words = re.findall(r"\w{4,}", name)[:4]
    if not words and service is None:
        return []
    near = Q(pk__in=[])
    if service is not None:
        near = Q(ozg_services=service) | Q(uses__ozg_statuses__service=service)
    for word in words:  # the start of a word, so that compounds and hyphenations meet ("Hundesteuer-Formular")
        near |= Q(name__icontains=word[:5])
    entries = list(Solution.objects.restrict(user).filter(near).distinct().order_by("pk")[:CANDIDATES])
    if not entries or not name.strip():
        return []
    space = name_space(entries)
    query = space.transform([_name_text(name, provider)])
    scores = (space.matrix @ query.T).toarray().ravel()
    best = scores.argsort()[::-1][:limit]
    return [(entries[i], float(scores[i])) for i in best if scores[i] > 0.2]


# --- what reuse saves ------------------------------------------------------------------------------------------


@dataclass
class Saving:
    """One year's estimated saving of an adopting project: staff (VZÄ) and money (EUR)."""

    year: int
    staff: Decimal
    money: Decimal


def _spent(year: ProjectYear) -> Decimal:
    """What a year of the origin cost: spent, else approved, else planned (the best figure it has)."""
    return year.budget_spent or year.budget_approved or year.budget_planned


def savings_of(adoption: Adoption) -> list[Saving]:
    """What adopting saves, year by year: the origin's years (its staff, and its money as spent) against the
    adopter's own plan for the same year of the project, each at least zero. An estimate, and only for a project
    adopted from another project (a solution has no years); the adopter's plan starts as the origin's and is
    meant to shrink where reuse makes work unnecessary."""
    origin, project = adoption.origin, adoption.project
    if origin is None:
        return []
    theirs = sorted(origin.years.all(), key=lambda y: y.year)
    if not theirs:
        return []
    begins = origin.start_date.year if origin.start_date else theirs[0].year
    shift = project.start_date.year - begins if project.start_date else 0
    mine = {y.year: y for y in project.years.all()}
    out = []
    zero = Decimal(0)
    for year in theirs:
        plan = mine.get(year.year + shift)
        staff = max(zero, year.staff_fte - (plan.staff_fte if plan else zero))
        money = max(zero, _spent(year) - (plan.budget_planned if plan else zero))
        if staff or money:
            out.append(Saving(year.year + shift, staff, money))
    return out


def _adoptions(qs: QuerySet[Adoption]) -> list[Adoption]:
    qs = qs.filter(origin__isnull=False).select_related("origin", "project")
    return list(qs.prefetch_related("origin__years", "project__years"))


def savings_by_year(municipality: Municipality) -> list[Saving]:
    """The town's savings by reuse per calendar year (its adopted projects together), for the capacity view."""
    totals: dict[int, Saving] = {}
    for adoption in _adoptions(Adoption.objects.filter(project__municipality=municipality)):
        for saving in savings_of(adoption):
            total = totals.setdefault(saving.year, Saving(saving.year, Decimal(0), Decimal(0)))
            total.staff += saving.staff
            total.money += saving.money
    return [totals[y] for y in sorted(totals)]


@dataclass
class NetworkSavings:
    """The installation's avoided duplicate work: adoptions in all, and their estimated staff and money saved."""

    adoptions: int
    towns: int
    staff: Decimal
    money: Decimal


def network_savings() -> NetworkSavings:
    """Counted over every adoption of the installation: figures only, nothing of a town's internal drafts."""
    staff = money = Decimal(0)
    adoptions = _adoptions(Adoption.objects.all())
    for adoption in adoptions:
        for saving in savings_of(adoption):
            staff += saving.staff
            money += saving.money
    everything = Adoption.objects.all()
    towns = everything.values("project__municipality").distinct().count()
    return NetworkSavings(everything.count(), towns, staff, money)


# --- the reuse kit ---------------------------------------------------------------------------------------------


@dataclass
class Readiness:
    """The reuse kit's checklist: (label, where it is or "" when missing) per item, and how many are there."""

    items: list[tuple[str, str]]
    done: int

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def level(self) -> str:
        """ready: everything another town needs; partly: at least half; else started (or none)."""
        if self.done == self.total:
            return "ready"
        if self.done * 2 >= self.total:
            return "partly"
        return "started" if self.done else "none"


def readiness(kit: ReuseKit | None, *, project: Project | None = None, solution: Solution | None = None) -> Readiness:
    """What a project or solution offers others: the kit's entries, and what the solution or the town already
    say (a solution's licence, repository and contact; the town's contact address for a project)."""
    kit = kit or ReuseKit()
    if solution is not None:
        licence = kit.licence or solution.licence
        repository = kit.repository_url or solution.repository_url
        contact = kit.contact_email or solution.contact_email
    else:
        licence, repository = kit.licence, kit.repository_url
        contact = kit.contact_email or (project.municipality.contact_email if project is not None else "")
    values = {
        "licence": licence,
        "repository_url": repository,
        "specification_url": kit.specification_url,
        "dpia_url": kit.dpia_url,
        "operations_url": kit.operations_url,
        "training_url": kit.training_url,
        "contact_email": contact,
        "contract_url": kit.contract_url,
    }
    items = [(str(ReuseKit._meta.get_field(name).verbose_name), value) for name, value in values.items()]  # type: ignore[union-attr]
    return Readiness(items, sum(1 for _label, value in items if value))
