"""Reads of the portfolio room. Query counts stay flat as the portfolio grows (see bench/portfolio.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When

from lotse.portfolio.models import (
    ACTIVE_STATUSES,
    SCORE_MAX,
    SCORE_MIN,
    CapacityYear,
    CriterionDirection,
    Milestone,
    PriorityCriterion,
    Project,
    ProjectRelation,
    ProjectScore,
    ProjectYear,
    RelationKind,
    ReportingSettings,
    Status,
    StatusReport,
)
from lotse.portfolio.priority import Ranked, Score, assign_ranks, evaluate, score_of
from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import descendant_ids, editable_unit_ids, visible_in

# Sort keys offered in the list; the value is the ORM ordering.
SORTS = {
    "key": ["key"],
    "title": ["title", "key"],
    "status": ["status", "key"],
    "start": ["start_date", "key"],
    "end": ["end_date", "key"],
    "budget": ["-budget_total", "key"],
}

# Finished or dropped projects are not prioritised any more.
CLOSED_STATUSES = (Status.REJECTED, Status.COMPLETED)

# Relations that make the target more influential: others depend on it, are part of it or reuse it.
INFLUENCE_KINDS = (RelationKind.DEPENDS_ON, RelationKind.PART_OF, RelationKind.REUSES)


def projects_visible(user: Any, municipality: Municipality) -> QuerySet[Project]:
    return visible_in(Project.objects.filter(municipality=municipality), user, municipality)


def filter_projects(qs: QuerySet[Project], params: Mapping[str, Any]) -> QuerySet[Project]:
    """Apply the list filters (the cleaned data of forms.ProjectFilterForm)."""
    if params.get("q"):
        text = params["q"]
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(key__icontains=text)
            | Q(summary__icontains=text)
            | Q(description__icontains=text)
            | Q(project_lead__icontains=text)
            | Q(tags__name__icontains=text)
        )
    if params.get("status"):
        qs = qs.filter(status__in=params["status"])
    if params.get("field"):
        qs = qs.filter(Q(field=params["field"]) | Q(further_fields=params["field"]))
    if params.get("unit"):
        unit = params["unit"]
        units = descendant_ids({unit.pk}, unit.municipality_id)
        qs = qs.filter(Q(lead_unit__in=units) | Q(involved_units__in=units))
    if params.get("funding"):
        qs = qs.filter(funding__in=params["funding"])
    if params.get("obligation"):
        qs = qs.filter(obligation=params["obligation"])
    if params.get("lighthouse"):
        qs = qs.filter(is_lighthouse=True)
    if params.get("goal"):
        qs = qs.filter(goals=params["goal"])
    if params.get("tag"):
        qs = qs.filter(tags=params["tag"])
    if params.get("year"):
        qs = qs.filter(pk__in=ProjectYear.objects.filter(year=params["year"]).values("project_id"))
    if params.get("overdue"):
        qs = qs.filter(overdue_q())
    if params.get("stale"):
        qs = qs.filter(stale_q(params.get("report_every_days") or 90))
    if params.get("mine"):
        units = params.get("mine_units") or set()
        qs = qs.filter(Q(lead_unit__in=units) | Q(involved_units__in=units) | Q(created_by=params.get("mine_user")))
    if any(params.get(k) for k in ("q", "field", "unit", "goal", "tag", "mine")):
        qs = qs.filter(pk__in=qs.values("pk")).distinct()  # joins over m2m can repeat a project
    return qs


def mine_params(user: Any, municipality: Municipality) -> dict[str, Any]:
    """The filter "Meine Projekte": projects of the person's units (led or involved) and those they entered."""
    return {"mine": True, "mine_units": editable_unit_ids(user, municipality.pk), "mine_user": user}


def project_list(qs: QuerySet[Project], sort: str = "key") -> QuerySet[Project]:
    """The rows of the list and the export, with everything the table shows in a fixed number of queries.

    The budget sum is only computed in SQL when the list is sorted by it; otherwise `with_budgets` adds it
    to the rows actually shown, which keeps a 10,000-project list fast.
    """
    if qs.query.distinct or qs.query.is_sliced:  # joins over m2m filters: select each project once
        qs = Project.objects.filter(pk__in=qs.values("pk"))
    if sort == "budget":
        qs = qs.annotate(budget_total=Sum("years__budget_planned"))
    return qs.select_related("lead_unit", "field").prefetch_related("tags").order_by(*SORTS.get(sort, SORTS["key"]))


def with_budgets(projects: list[Project]) -> list[Project]:
    """Set `budget_total` (planned, all years) on the given rows with one query."""
    missing = [p.pk for p in projects if not hasattr(p, "budget_total")]
    if missing:
        sums = dict(
            ProjectYear.objects.filter(project__in=missing)
            .values("project")
            .annotate(total=Sum("budget_planned"))
            .values_list("project", "total")
        )
        for p in projects:
            if p.pk in sums or not hasattr(p, "budget_total"):
                p.budget_total = sums.get(p.pk)  # type: ignore[attr-defined]
    return projects


def counts(qs: QuerySet[Project]) -> dict[str, dict[str, int]]:
    """How many of the (filtered) projects have which status, funding and obligation (one grouped query)."""
    result: dict[str, dict[str, int]] = {"status": {}, "funding": {}, "obligation": {}}
    rows = (
        Project.objects.filter(pk__in=qs.values("pk"))
        .values_list("status", "funding", "obligation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, funding, obligation, n in rows:
        for name, value in (("status", status), ("funding", funding), ("obligation", obligation)):
            result[name][value] = result[name].get(value, 0) + n
    return result


def budget_by_year(qs: QuerySet[Project]) -> list[dict[str, Any]]:
    return list(
        ProjectYear.objects.filter(project__in=qs.values("pk"))
        .values("year")
        .annotate(planned=Sum("budget_planned"), approved=Sum("budget_approved"), spent=Sum("budget_spent"))
        .order_by("year")
    )


def by_field(qs: QuerySet[Project]) -> list[tuple[str, int]]:
    rows = Project.objects.filter(pk__in=qs.values("pk")).values("field__name").annotate(n=Count("pk"))
    return sorted(((r["field__name"] or "–", r["n"]) for r in rows), key=lambda t: -t[1])


def project_detail(project: Project) -> dict[str, Any]:
    return {
        "years": list(project.years.all()),
        "funding_sources": list(project.funding_sources.all()),
        "milestones": list(project.milestones.all()),
        "status_changes": list(project.status_changes.select_related("changed_by")),
        "relations_out": list(project.relations_out.select_related("target")),
        "relations_in": list(project.relations_in.select_related("source")),
        "goals": list(project.goals.select_related("field")),
        "involved_units": list(project.involved_units.all()),
        "further_fields": list(project.further_fields.all()),
        "tags": list(project.tags.all()),
    }


def criteria_of(municipality: Municipality) -> list[PriorityCriterion]:
    return list(PriorityCriterion.objects.filter(municipality=municipality))


def scores_by_project(qs: QuerySet[Project]) -> dict[int, dict[int, Score]]:
    result: dict[int, dict[int, Score]] = defaultdict(dict)
    rows = ProjectScore.objects.filter(project__in=qs.values("pk")).values_list(
        "project_id", "criterion_id", "score", "justification"
    )
    for project_id, criterion_id, score, justification in rows:
        result[project_id][criterion_id] = Score(score, justification)
    return result


def priority_values(qs: QuerySet[Project], weights: Mapping[int, int] | None = None) -> dict[int, float]:
    """Every scored project's priority, computed in the database with the formula of priority.evaluate."""
    points = Case(
        When(criterion__direction=CriterionDirection.BENEFIT, then=F("score") - SCORE_MIN),
        default=SCORE_MAX - F("score"),
    )
    weight: Any = F("criterion__weight")
    if weights:
        weight = Case(
            *(When(criterion_id=pk, then=Value(w)) for pk, w in weights.items()),
            default=weight,
            output_field=IntegerField(),
        )
    rows = (
        ProjectScore.objects.filter(project__in=qs.values("pk"))
        .values("project_id")
        .annotate(num=Sum(weight * points), den=Sum(weight))
    )
    values = {r["project_id"]: score_of(r["num"], r["den"]) for r in rows}
    return {pk: v for pk, v in values.items() if v is not None}


def rank_of(project: Project) -> tuple[int | None, int]:
    """The project's rank among its municipality's open, scored projects, and how many those are."""
    candidates = Project.objects.filter(municipality_id=project.municipality_id).exclude(status__in=CLOSED_STATUSES)
    values = priority_values(candidates)
    mine = values.get(project.pk)
    if mine is None:
        return None, len(values)
    return 1 + sum(1 for v in values.values() if v > mine), len(values)


def influence(qs: QuerySet[Project]) -> dict[int, int]:
    """Goals served plus projects that depend on, are part of or reuse each project."""
    result = dict(Project.objects.filter(pk__in=qs.values("pk")).annotate(n=Count("goals")).values_list("pk", "n"))
    related = (
        ProjectRelation.objects.filter(target__in=qs.values("pk"), kind__in=INFLUENCE_KINDS)
        .values("target")
        .annotate(n=Count("pk"))
    )
    for r in related:
        result[r["target"]] = result.get(r["target"], 0) + r["n"]
    return result


def ranking(
    qs: QuerySet[Project],
    municipality: Municipality,
    weights: Mapping[int, int] | None = None,
    limit: int | None = None,
) -> tuple[list[PriorityCriterion], list[Ranked], int]:
    """The ranked projects (the first `limit`) with their breakdown, and how many were ranked in all.

    Priorities of all projects come from one SQL aggregate; only the shown ones are loaded and explained.
    """
    criteria = criteria_of(municipality)
    values = priority_values(qs, weights)
    keys = dict(qs.values_list("pk", "key"))
    order = sorted(keys, key=lambda pk: (pk not in values, -values.get(pk, 0), keys[pk]))
    shown = order[:limit] if limit is not None else order
    projects = (
        Project.objects.filter(pk__in=shown)
        .annotate(budget_total=Sum("years__budget_planned"))
        .only("pk", "key", "title", "status", "municipality_id")
        .in_bulk()
    )
    subset = Project.objects.filter(pk__in=shown)
    scores, impact = scores_by_project(subset), influence(subset)
    ranked = []
    for pk in shown:
        r = evaluate(projects[pk], criteria, scores.get(pk, {}), weights)
        r.priority = values.get(pk)
        r.budget = getattr(projects[pk], "budget_total", None) or Decimal(0)
        r.influence = impact.get(pk, 0)
        ranked.append(r)
    # Ranks over all projects, not only the shown ones.
    everyone = [
        Ranked(project=Project(pk=pk), priority=values.get(pk), parts=[], complete=True, value=0, effort=0)
        for pk in order
    ]
    assign_ranks(everyone)
    rank_by_pk = {r.project.pk: r.rank for r in everyone}
    for r in ranked:
        r.rank = rank_by_pk[r.project.pk]
    return criteria, ranked, len(order)


@dataclass
class CapacityRow:
    year: int
    staff_available: Decimal
    staff_demand: Decimal
    budget_available: Decimal
    budget_demand: Decimal
    projects: int
    has_capacity: bool

    @property
    def staff_gap(self) -> Decimal:
        return self.staff_demand - self.staff_available

    @property
    def budget_gap(self) -> Decimal:
        return self.budget_demand - self.budget_available

    @property
    def staff_over(self) -> bool:
        return self.staff_demand > self.staff_available

    @property
    def budget_over(self) -> bool:
        return self.budget_demand > self.budget_available


def capacity(municipality: Municipality) -> list[CapacityRow]:
    """Per year: what is available, and what planned and running projects need."""
    demand = (
        ProjectYear.objects.filter(project__municipality=municipality, project__status__in=ACTIVE_STATUSES)
        .values("year")
        .annotate(staff=Sum("staff_fte"), budget=Sum("budget_planned"), n=Count("project", distinct=True))
    )
    by_year: dict[int, dict[str, Any]] = {r["year"]: r for r in demand}
    available = {c.year: c for c in CapacityYear.objects.filter(municipality=municipality)}
    rows = []
    zero = Decimal(0)
    for year in sorted(set(by_year) | set(available)):
        d, a = by_year.get(year, {}), available.get(year)
        rows.append(
            CapacityRow(
                year=year,
                staff_available=a.staff_fte if a else zero,
                staff_demand=d.get("staff") or zero,
                budget_available=a.budget if a else zero,
                budget_demand=d.get("budget") or zero,
                projects=d.get("n", 0),
                has_capacity=a is not None,
            )
        )
    return rows


def board(qs: QuerySet[Project]) -> list[tuple[str, str, list[Project]]]:
    columns: dict[str, list[Project]] = {s.value: [] for s in Status}
    # involved_units: the per-card permission check for editors reads them (permission_unit_ids).
    for p in qs.select_related("lead_unit").prefetch_related("involved_units").order_by("key"):
        columns[p.status].append(p)
    return [(s.value, str(s.label), columns[s.value]) for s in Status]


# --- status reports ------------------------------------------------------------------------------------------


def report_every_days(municipality_id: int) -> int:
    value = ReportingSettings.objects.filter(municipality_id=municipality_id).values_list(
        "report_every_days", flat=True
    )
    return value.first() or 90


def stale_q(every_days: int, today: date | None = None) -> Q:
    """Projects in planning or implementation, at it longer than the cadence, without a report within it."""
    cutoff = (today or date.today()) - timedelta(days=every_days)
    recent = StatusReport.objects.filter(reported_on__gt=cutoff).values("project_id")
    return (
        Q(status__in=ACTIVE_STATUSES) & (Q(status_since__isnull=True) | Q(status_since__lte=cutoff)) & ~Q(pk__in=recent)
    )


def overdue_q(today: date | None = None) -> Q:
    """Projects with a milestone past its date and not reached."""
    late = Milestone.objects.filter(due_date__lt=today or date.today(), done_on__isnull=True).values("project_id")
    return Q(pk__in=late) & ~Q(status__in=CLOSED_STATUSES)


@dataclass
class Overdue:
    project: Project
    last_report: date | None
    days: int | None


def overdue_reports(qs: QuerySet[Project], every_days: int, today: date | None = None) -> list[Overdue]:
    """The projects owing a status report, longest overdue first."""
    today = today or date.today()
    projects = list(qs.filter(stale_q(every_days, today)).select_related("lead_unit"))
    last = dict(
        StatusReport.objects.filter(project__in=[p.pk for p in projects])
        .values("project_id")
        .annotate(last=Max("reported_on"))
        .values_list("project_id", "last")
    )
    rows = []
    for p in projects:
        since = last.get(p.pk) or p.status_since
        rows.append(Overdue(p, last.get(p.pk), (today - since).days - every_days if since else None))
    return sorted(rows, key=lambda r: (-(r.days or 10**6), r.project.key))
