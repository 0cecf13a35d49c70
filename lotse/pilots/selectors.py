"""Reads of the pilots room: the directory, which offices still lack a pilot, a pilot's home page, and the
coverage across a network."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from lotse.ozg.models import OzgStatus
from lotse.pilots.models import DigitalPilot
from lotse.portfolio.models import Project
from lotse.tenancy.models import Municipality, Network, OrgUnit
from lotse.tenancy.selectors import descendant_ids

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
    return Home(list(projects), list(statuses))


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
