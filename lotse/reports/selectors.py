"""The municipality's dashboard: every figure with the link to the filtered list behind it. Reads from the rooms
below (portfolio, strategy, OZG, pilots, participation) through their own selectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core.charts import Chart, bar_chart, grouped_bars
from lotse.ozg import selectors as ozg
from lotse.participation.models import Idea, IdeaStatus, Publication
from lotse.pilots import selectors as pilots
from lotse.portfolio import selectors as portfolio
from lotse.portfolio.models import Funding, Milestone, Project, Status
from lotse.strategy import selectors as strategy
from lotse.tenancy.models import Municipality


@dataclass
class Figure:
    label: str
    value: Any
    url: str


@dataclass
class Dashboard:
    total: int
    by_status: list[Figure]
    by_field: list[Figure]
    by_funding: list[Figure]
    budget: list[dict[str, Any]]
    budget_chart: Chart | None
    status_chart: Chart | None
    indicators: list[Any]
    overdue_milestones: list[Milestone]
    overdue_count: int
    overdue_url: str
    stale_count: int
    stale_url: str
    reports_url: str
    ozg: Any = None
    ozg_url: str = ""
    ideas: list[Figure] = field(default_factory=list)
    ideas_url: str = ""
    pilots_covered: int = 0
    pilots_units: int = 0
    pilots_url: str = ""


def _list_url(municipality: Municipality, **params: Any) -> str:
    base = reverse("portfolio:list", kwargs={"municipality": municipality.slug})
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


def dashboard(municipality: Municipality, user: Any, today: date | None = None) -> Dashboard:
    today = today or date.today()
    projects = portfolio.projects_visible(user, municipality)
    counts = portfolio.counts(projects)
    by_status = [
        Figure(str(s.label), counts["status"].get(s.value, 0), _list_url(municipality, status=s.value)) for s in Status
    ]
    fields = (
        Project.objects.filter(pk__in=projects.values("pk"))
        .values("field", "field__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "field__name")
    )
    by_field = [
        Figure(r["field__name"] or _("ohne Handlungsfeld"), r["n"], _list_url(municipality, field=r["field"]))
        for r in fields
        if r["field"]
    ]
    by_funding = [
        Figure(str(f.label), counts["funding"].get(f.value, 0), _list_url(municipality, funding=f.value))
        for f in Funding
    ]
    budget = portfolio.budget_by_year(projects)
    for row in budget:
        row["url"] = _list_url(municipality, year=row["year"])
    budget_chart = None
    if budget:
        budget_chart = grouped_bars(
            _("Budget je Jahr (EUR)"),
            [str(r["year"]) for r in budget],
            [
                (_("geplant"), [float(r["planned"] or 0) for r in budget]),
                (_("bewilligt"), [float(r["approved"] or 0) for r in budget]),
                (_("ausgegeben"), [float(r["spent"] or 0) for r in budget]),
            ],
            unit=" €",
            axis="EUR",
        )
    status_chart = bar_chart(_("Projekte nach Status"), [(f.label, f.value) for f in by_status])
    indicators = [
        status for _f, goals in strategy.strategy_tree(municipality) for _g, items in goals for status in items
    ]
    late = (
        Milestone.objects.filter(project__in=projects.filter(portfolio.overdue_q(today)).values("pk"))
        .filter(due_date__lt=today, done_on__isnull=True)
        .select_related("project")
        .order_by("due_date")
    )
    every = portfolio.report_every_days(municipality.pk)
    stale = projects.filter(portfolio.stale_q(every, today))
    result = Dashboard(
        total=projects.count(),
        by_status=by_status,
        by_field=by_field,
        by_funding=by_funding,
        budget=budget,
        budget_chart=budget_chart,
        status_chart=status_chart,
        indicators=indicators,
        overdue_milestones=list(late[:10]),
        overdue_count=projects.filter(portfolio.overdue_q(today)).count(),
        overdue_url=_list_url(municipality, overdue="on"),
        stale_count=stale.count(),
        stale_url=_list_url(municipality, stale="on"),
        reports_url=reverse("portfolio:reports_overdue", kwargs={"municipality": municipality.slug}),
    )
    slug = {"municipality": municipality.slug}
    result.ozg = ozg.dashboard(municipality)
    result.ozg_url = reverse("ozg:dashboard", kwargs=slug)
    ideas = dict(
        Idea.objects.filter(municipality=municipality, merged_into__isnull=True)
        .exclude(publication__in=[Publication.UNCONFIRMED, Publication.HIDDEN])
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    result.ideas_url = reverse("participation:index", kwargs=slug)
    result.ideas = [Figure(str(s.label), ideas.get(s.value, 0), result.ideas_url) for s in IdeaStatus]
    coverage = pilots.coverage(municipality)
    result.pilots_units = len(coverage)
    result.pilots_covered = sum(1 for c in coverage if c.pilots)
    result.pilots_url = reverse("pilots:directory", kwargs=slug)
    return result
