"""Reads of the OZG room: the catalogue with a municipality's statuses, the dashboard, "wen kann ich fragen?",
the network heat map and the process ranking. Every figure is computed in the database or over one
municipality's catalogue (a few hundred rows), so pages cost the same for one town or a whole state."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from lotse.ozg.models import ONLINE_FROM, MaturityLevel, OzgProgress, OzgService, OzgStatus, OzgTopic, Process
from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import staff_municipality_ids


def relevant_services(municipality: Municipality) -> QuerySet[OzgService]:
    """The catalogue services a Gemeinde/Stadt or a Landkreis has to offer."""
    if municipality.kind == Municipality.Kind.DISTRICT:
        return OzgService.objects.filter(for_districts=True)
    return OzgService.objects.filter(for_municipalities=True)


@dataclass
class Row:
    service: OzgService
    status: OzgStatus | None

    @property
    def maturity(self) -> int:
        return self.status.maturity if self.status else 0

    @property
    def maturity_label(self) -> str:
        return str(MaturityLevel(self.maturity).label)


class RowList:
    """The filtered services as rows, built only for the slice that is shown: counting and paging run in SQL,
    so a page of the list costs the same whether the catalogue has 50 or 5,000 services."""

    def __init__(self, municipality: Municipality, services: QuerySet[OzgService]) -> None:
        self.municipality = municipality
        self.services = services
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.services.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Row]:  # the paginator and the API ask for slices only
        chunk = list(self.services[index])
        statuses = {
            s.service_id: s
            for s in OzgStatus.objects.filter(municipality=self.municipality, service__in=chunk).select_related(
                "org_unit"
            )
        }
        return [Row(s, statuses.get(s.pk)) for s in chunk]


def rows(municipality: Municipality, filters: dict[str, Any]) -> RowList:
    """The municipality's relevant services with their status, filtered (topic, life situation, maturity, unit, q)."""
    services = relevant_services(municipality).select_related("life_situation__topic").order_by("ozg_id")
    if filters.get("topic"):
        services = services.filter(life_situation__topic=filters["topic"])
    if filters.get("life_situation"):
        services = services.filter(life_situation=filters["life_situation"])
    if filters.get("q"):
        q = filters["q"]
        services = services.filter(Q(name__icontains=q) | Q(ozg_id=q) | Q(leika__name__icontains=q)).distinct()
    mine = OzgStatus.objects.filter(municipality=municipality, service=OuterRef("pk"))
    if filters.get("maturity") not in (None, ""):  # no status yet counts as level 0
        level = Coalesce(Subquery(mine.values("maturity")[:1]), Value(0))
        services = services.annotate(level=level).filter(level=int(filters["maturity"]))
    if filters.get("unit"):
        services = services.filter(Exists(mine.filter(org_unit=filters["unit"])))
    return RowList(municipality, services)


@dataclass
class TopicProgress:
    topic: OzgTopic
    relevant: int
    online: int

    @property
    def share(self) -> int:
        return round(100 * self.online / self.relevant) if self.relevant else 0


@dataclass
class Dashboard:
    relevant: int
    online: int
    by_level: list[tuple[MaturityLevel, int]]
    by_topic: list[TopicProgress]
    over_time: list[tuple[date, float]] = field(default_factory=list)
    planned: int = 0

    @property
    def share(self) -> int:
        return round(100 * self.online / self.relevant) if self.relevant else 0


def dashboard(municipality: Municipality) -> Dashboard:
    relevant = relevant_services(municipality)
    per_topic = dict(
        relevant.values("life_situation__topic").annotate(n=Count("pk")).values_list("life_situation__topic", "n")
    )
    statuses = OzgStatus.objects.filter(municipality=municipality, service__in=relevant)
    levels = dict(statuses.values("maturity").annotate(n=Count("pk")).values_list("maturity", "n"))
    total = sum(per_topic.values())
    levels[0] = total - sum(n for level, n in levels.items() if level != 0)
    online_topic = dict(
        statuses.filter(maturity__gte=ONLINE_FROM)
        .values("service__life_situation__topic")
        .annotate(n=Count("pk"))
        .values_list("service__life_situation__topic", "n")
    )
    topics = {t.pk: t for t in OzgTopic.objects.filter(pk__in=per_topic)}
    by_topic = sorted(
        (TopicProgress(topics[pk], n, online_topic.get(pk, 0)) for pk, n in per_topic.items()),
        key=lambda t: t.topic.name,
    )
    history = OzgProgress.objects.filter(municipality=municipality, topic=None).order_by("day")
    over_time = [(p.day, round(100 * p.online / p.relevant, 1) if p.relevant else 0.0) for p in history]
    return Dashboard(
        relevant=total,
        online=sum(t.online for t in by_topic),
        by_level=[(level, levels.get(level.value, 0)) for level in MaturityLevel],
        by_topic=by_topic,
        over_time=over_time,
        planned=statuses.filter(maturity__lt=ONLINE_FROM, planned_date__isnull=False).count(),
    )


def sharing_peers(user: Any, municipality: Municipality) -> QuerySet[Municipality]:
    """Other municipalities of the user's networks that opted in to show their OZG statuses.

    The network is a subquery, not a list of ids: a state-wide network has more than a thousand members."""
    qs = Municipality.objects.filter(ozg_sharing__share_in_network=True).exclude(pk=municipality.pk)
    if not getattr(user, "is_platform_admin", False):
        own = staff_municipality_ids(user)
        qs = qs.filter(pk__in=Municipality.objects.filter(networks__members__in=own).values("pk"))
    return qs.order_by("name")


def who_to_ask(
    user: Any, municipality: Municipality, service: OzgService, limit: int = 20
) -> tuple[list[OzgStatus], int]:
    """ "Wen kann ich fragen?": towns of the network at level 3 or more for this service, with their solution;
    those of the own Landkreis first. Returns the first `limit` and how many there are in all."""
    qs = OzgStatus.objects.filter(
        service=service, municipality__in=sharing_peers(user, municipality), maturity__gte=ONLINE_FROM
    )
    near = Case(When(municipality__district_id=municipality.district_id, then=0), default=1)
    first = list(qs.select_related("municipality").order_by(near, "-maturity", "municipality__name")[:limit])
    return first, qs.count()


@dataclass
class Heatmap:
    topics: list[OzgTopic]
    municipalities: list[Municipality]
    cells: dict[tuple[int, int], tuple[int, int]]  # (municipality, topic) → (online, relevant)

    @property
    def table(self) -> list[tuple[Municipality, list[tuple[int, int, int, int]]]]:
        """Rows of (municipality, cells of (online, relevant, share %, heat class 0-4))."""
        out = []
        for town in self.municipalities:
            cells = []
            for topic in self.topics:
                online, relevant = self.cells.get((town.pk, topic.pk), (0, 0))
                share = round(100 * online / relevant) if relevant else 0
                cells.append((online, relevant, share, 0 if not online else min(4, 1 + share // 25)))
            out.append((town, cells))
        return out


HEATMAP_PAGE = 50  # municipalities per page: a state-wide network has more than a thousand


def heatmap(
    user: Any, municipality: Municipality, *, district: Municipality | None = None, page: Any = 1
) -> tuple[Heatmap, Page[Municipality]]:
    """Share of services online per Themenfeld (columns) and municipality (rows): the own one first, then one
    page of the sharing peers (optionally of one Landkreis). Counted live, for the towns on the page only."""
    peers = sharing_peers(user, municipality)
    if district is not None:
        peers = peers.filter(Q(district=district) | Q(pk=district.pk))
    shown = Paginator(peers, HEATMAP_PAGE).get_page(page)
    towns = [municipality, *shown.object_list]
    topics = list(OzgTopic.objects.order_by("name"))
    relevant: dict[str, dict[int, int]] = {}
    for kind, flag in (("district", "for_districts"), ("municipality", "for_municipalities")):
        relevant[kind] = dict(
            OzgService.objects.filter(**{flag: True})
            .values("life_situation__topic")
            .annotate(n=Count("pk"))
            .values_list("life_situation__topic", "n")
        )
    online = (
        OzgStatus.objects.filter(municipality__in=towns, maturity__gte=ONLINE_FROM)
        .values("municipality", "service__life_situation__topic")
        .annotate(n=Count("pk"))
    )
    counted: dict[tuple[int, int], int] = defaultdict(int)
    for r in online:
        counted[(r["municipality"], r["service__life_situation__topic"])] = r["n"]
    cells = {}
    for town in towns:
        totals = relevant["district" if town.kind == Municipality.Kind.DISTRICT else "municipality"]
        for topic in topics:
            cells[(town.pk, topic.pk)] = (counted[(town.pk, topic.pk)], totals.get(topic.pk, 0))
    return Heatmap(topics, towns, cells), shown


def peer_districts(user: Any, municipality: Municipality) -> QuerySet[Municipality]:
    """The Landkreise the sharing peers belong to, for the heat map's filter."""
    peers = sharing_peers(user, municipality)
    return Municipality.objects.filter(
        Q(pk__in=peers.values("district")) | Q(pk__in=peers.filter(kind=Municipality.Kind.DISTRICT).values("pk"))
    ).order_by("name")


@dataclass
class RankedProcess:
    process: Process
    value: int
    score: float


def process_ranking(municipality: Municipality, unit: Any = None) -> list[RankedProcess]:
    """Processes worth digitalising first: hours of work per year that still run on paper or by hand, weighted
    by the media breaks they suffer, divided by the effort of digitalising them.

    value = cases per year × minutes per case / 60 × (4 − digital maturity) / 4 × (1 + media breaks)
    score = value / effort (1 to 5)"""
    qs = Process.objects.filter(municipality=municipality).select_related("org_unit", "service", "project")
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    ranked = []
    for p in qs:
        hours = p.cases_per_year * max(p.minutes_per_case, 1) / 60
        value = round(hours * (4 - min(p.maturity, 4)) / 4 * (1 + p.media_breaks))
        ranked.append(RankedProcess(p, value, round(value / max(p.effort, 1), 1)))
    return sorted(ranked, key=lambda r: (-r.score, r.process.name))
