"""Reads of the pilots room: the directory, which offices still lack a pilot, a pilot's home page, and the
coverage across a network."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from lotse.ozg.models import OzgStatus
from lotse.pilots.models import (
    BoardAnswer,
    BoardQuestion,
    DigitalPilot,
    ModuleCompletion,
    NetworkEvent,
    Programme,
    Registration,
    Seminar,
    TrainingModule,
)
from lotse.portfolio.models import Project
from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit, Role
from lotse.tenancy.selectors import descendant_ids, roles_for

# Units that need a pilot of their own: Ämter, Stabsstellen and Eigenbetriebe (not Dezernate or Abteilungen).
NEEDS_PILOT = (OrgUnit.Kind.OFFICE, OrgUnit.Kind.STAFF_UNIT, OrgUnit.Kind.ENTERPRISE)


def pilots(municipality: Municipality) -> QuerySet[DigitalPilot]:
    return (
        DigitalPilot.objects.filter(municipality=municipality)
        .select_related("person")
        .prefetch_related("org_units", "projects")
        .order_by("person__last_name", "person__first_name")
    )


@dataclass
class Coverage:
    unit: OrgUnit
    pilots: list[DigitalPilot] = field(default_factory=list)


def coverage(municipality: Municipality) -> list[Coverage]:
    """Every unit that needs a pilot, with the pilots covering it (a pilot of an Abteilung covers its Amt)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(municipality=municipality)}
    covering: dict[int, list[DigitalPilot]] = {}
    for pilot in pilots(municipality):
        reached: set[int] = set()
        for unit in pilot.org_units.all():
            pk: int | None = unit.pk
            while pk is not None and pk not in reached:
                reached.add(pk)
                pk = units[pk].parent_id if pk in units else None
        for pk in reached:
            covering.setdefault(pk, []).append(pilot)
    needed = [u for u in units.values() if u.kind in NEEDS_PILOT]
    result = [Coverage(u, covering.get(u.pk, [])) for u in sorted(needed, key=lambda u: (u.short_name or "~", u.name))]
    return result


@dataclass
class Home:
    projects: list[Project]
    statuses: list[OzgStatus]
    unit_ids: list[int]


def home(pilot: DigitalPilot) -> Home:
    """What a pilot looks after: projects led by or involving their units (and those they accompany), and the
    OZG services their units are responsible for."""
    units = descendant_ids(set(pilot.org_units.values_list("pk", flat=True)), pilot.municipality_id)
    projects = (
        Project.objects.filter(
            Q(lead_unit__in=units) | Q(involved_units__in=units) | Q(pilots=pilot), municipality=pilot.municipality_id
        )
        .distinct()
        .select_related("lead_unit")
        .order_by("title")
    )
    statuses = (
        OzgStatus.objects.filter(municipality=pilot.municipality_id, org_unit__in=units)
        .select_related("service", "org_unit")
        .order_by("service__name")
    )
    return Home(list(projects), list(statuses), sorted(units))


@dataclass
class TownCoverage:
    municipality: Municipality
    pilots: int
    units: int
    covered: int


def network_coverage(network: Network) -> dict[str, list[TownCoverage]]:
    """Per Landkreis (districts under their own name), each member's pilots and covered units."""
    members = list(network.members.select_related("district").order_by("name"))
    counts = dict(
        DigitalPilot.objects.filter(municipality__in=members)
        .values("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    )
    needed = dict(
        OrgUnit.objects.filter(municipality__in=members, kind__in=NEEDS_PILOT)
        .values("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    )
    covered = dict(
        OrgUnit.objects.filter(municipality__in=members, kind__in=NEEDS_PILOT)
        .filter(Q(pilots__isnull=False) | Q(children__pilots__isnull=False))
        .values("municipality")
        .annotate(n=Count("pk", distinct=True))
        .values_list("municipality", "n")
    )
    groups: dict[str, list[TownCoverage]] = {}
    for town in members:
        district = town if town.kind == Municipality.Kind.DISTRICT else town.district
        key = district.name if district else "–"
        groups.setdefault(key, []).append(
            TownCoverage(town, counts.get(town.pk, 0), needed.get(town.pk, 0), covered.get(town.pk, 0))
        )
    return dict(sorted(groups.items()))


def without_pilot(groups: dict[str, list[TownCoverage]]) -> list[Municipality]:
    return [t.municipality for towns in groups.values() for t in towns if t.pilots == 0]


# --- the qualification programme


def registrable_pilots(user: Any, programme: Programme) -> QuerySet[DigitalPilot]:
    """Pilots this person may register: all (operators), their municipality's (coordinators), or themselves."""
    members = programme.network.members.all()
    qs = DigitalPilot.objects.filter(municipality__in=members).select_related("person", "municipality")
    if is_operator(user, programme):
        return qs.order_by("municipality__name", "person__last_name")
    coordinated = [mid for mid, role in roles_for(user).items() if role == Role.COORDINATOR]
    return qs.filter(Q(municipality__in=coordinated) | Q(person=user)).order_by(
        "municipality__name", "person__last_name"
    )


def is_operator(user: Any, programme: Programme) -> bool:
    if not user or not user.is_authenticated:
        return False
    return bool(user.is_platform_admin) or programme.operators.filter(pk=user.pk).exists()


@dataclass
class SeminarRow:
    seminar: Seminar
    confirmed: int
    waiting: int

    @property
    def free(self) -> int:
        return max(0, self.seminar.capacity - self.confirmed)


def seminars(programme: Programme) -> list[SeminarRow]:
    qs = programme.seminars.prefetch_related("modules").annotate(
        confirmed=Count("registrations", filter=Q(registrations__state=Registration.State.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__state=Registration.State.WAITING)),
    )
    return [SeminarRow(s, s.confirmed, s.waiting) for s in qs]


@dataclass
class Progress:
    pilot: DigitalPilot
    done: dict[int, date]  # module id → completed on

    def complete(self, modules: list[TrainingModule]) -> bool:
        return bool(modules) and all(m.pk in self.done for m in modules)


def progress(pilots: QuerySet[DigitalPilot], programme: Programme) -> list[Progress]:
    completions: dict[int, dict[int, date]] = {}
    for pilot_id, module_id, day in ModuleCompletion.objects.filter(
        pilot__in=pilots, module__programme=programme
    ).values_list("pilot_id", "module_id", "completed_on"):
        completions.setdefault(pilot_id, {})[module_id] = day
    return [Progress(p, completions.get(p.pk, {})) for p in pilots]


def certified(pilots: QuerySet[DigitalPilot], programme: Programme) -> list[DigitalPilot]:
    """Those of `pilots` who completed every module of the programme (and so hold its certificate)."""
    modules = list(programme.modules.all())
    return [p.pilot for p in progress(pilots, programme) if p.complete(modules)]


def trained_over_time(network: Network) -> list[tuple[date, int]]:
    """Pilots of the network's municipalities who completed every module, counted by the day they did."""
    programme = Programme.objects.filter(network=network).first()
    if programme is None:
        return []
    total = programme.modules.count()
    if not total:
        return []
    finished = (
        ModuleCompletion.objects.filter(module__programme=programme)
        .values("pilot")
        .annotate(n=Count("module"), last=Max("completed_on"))
        .filter(n=total)
        .values_list("last", flat=True)
    )
    counts: dict[date, int] = {}
    for day in finished:
        counts[day] = counts.get(day, 0) + 1
    running, series = 0, []
    for day in sorted(counts):
        running += counts[day]
        series.append((day, running))
    return series


# --- the community -------------------------------------------------------------------------------------------


def board(
    network: Network, *, q: str = "", open_only: bool = False, moderator: bool = False
) -> QuerySet[BoardQuestion]:
    """The network's questions, most recently active first; search covers questions and answers."""
    questions = BoardQuestion.objects.filter(network=network).select_related("author")
    if not moderator:
        questions = questions.filter(hidden_reason="")
    if q:
        hits = Q(title__icontains=q) | Q(body__icontains=q) | Q(topics__icontains=q)
        answered = BoardAnswer.objects.filter(body__icontains=q, hidden_reason="").values("question_id")
        questions = questions.filter(hits | Q(pk__in=answered))
    if open_only:
        questions = questions.filter(answers_count=0)
    return questions.order_by("-last_activity", "-pk")


@dataclass
class Author:
    name: str
    town: str
    pilot: bool


def authors(user_ids: Iterable[int | None]) -> dict[int, Author]:
    """Name, town and whether they are a Digitallotse, for the people on a board page (two queries)."""
    ids = {i for i in user_ids if i}
    towns: dict[int, str] = {}
    for user_id, town in (
        Membership.objects.filter(user_id__in=ids).order_by("pk").values_list("user_id", "municipality__name")
    ):
        towns.setdefault(user_id, town)
    pilots = set(DigitalPilot.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    people = get_user_model().objects.filter(pk__in=ids)
    return {u.pk: Author(u.get_full_name() or u.email, towns.get(u.pk, ""), u.pk in pilots) for u in people}


def events(network: Network) -> tuple[list[NetworkEvent], list[NetworkEvent]]:
    """(upcoming, the last ten past) events."""
    now = timezone.now()
    upcoming = list(NetworkEvent.objects.filter(network=network, ends_at__gte=now).order_by("starts_at"))
    past = list(NetworkEvent.objects.filter(network=network, ends_at__lt=now).order_by("-starts_at")[:10])
    return upcoming, past
