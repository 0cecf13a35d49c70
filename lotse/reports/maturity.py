"""The maturity self-assessment: each org unit rates five dimensions from 1 to 5; the municipality sees its units
now and over time, and, anonymised, the average of other municipalities in its networks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lotse.reports.models import MaturityAssessment
from lotse.tenancy.models import Municipality, OrgUnit

# The network comparison only shows an average of at least this many other municipalities, so nobody can read
# one town's figures out of it.
MIN_PEERS = 3


def labels() -> list[str]:
    return [
        str(getattr(MaturityAssessment._meta.get_field(d), "verbose_name", d)) for d in MaturityAssessment.DIMENSIONS
    ]


def latest_per_unit(municipality_ids: list[int]) -> dict[int, MaturityAssessment]:
    latest: dict[int, MaturityAssessment] = {}
    for a in MaturityAssessment.objects.filter(municipality_id__in=municipality_ids).order_by(
        "org_unit_id", "-assessed_on", "-pk"
    ):
        latest.setdefault(a.org_unit_id, a)
    return latest


def _mean(rows: Sequence[Sequence[float]]) -> list[float]:
    return [sum(col) / len(rows) for col in zip(*rows, strict=True)] if rows else []


def municipality_average(municipality: Municipality) -> list[float]:
    return _mean([a.values() for a in latest_per_unit([municipality.pk]).values()])


@dataclass
class NetworkComparison:
    values: list[float]
    municipalities: int


def network_average(municipality: Municipality) -> NetworkComparison | None:
    """The mean over other member municipalities of this one's networks (each town weighs once, as the mean of
    its units), or None when fewer than MIN_PEERS have assessed themselves."""
    peers = list(
        Municipality.objects.filter(networks__members=municipality)
        .exclude(pk=municipality.pk)
        .values_list("pk", flat=True)
        .distinct()
    )
    by_town: dict[int, list[list[float]]] = {}
    for a in latest_per_unit(peers).values():
        by_town.setdefault(a.municipality_id, []).append([float(v) for v in a.values()])
    if len(by_town) < MIN_PEERS:
        return None
    return NetworkComparison(_mean([_mean(rows) for rows in by_town.values()]), len(by_town))


def overview(municipality: Municipality) -> list[tuple[OrgUnit, MaturityAssessment | None]]:
    latest = latest_per_unit([municipality.pk])
    units = OrgUnit.objects.filter(municipality=municipality).order_by("position", "name")
    return [(u, latest.get(u.pk)) for u in units]


def history(unit: OrgUnit) -> list[MaturityAssessment]:
    return list(
        MaturityAssessment.objects.filter(org_unit=unit).select_related("created_by").order_by("assessed_on", "pk")
    )


def radar_for(title: str, series: list[tuple[str, list[float]]]) -> Any:
    from lotse.core.charts import radar_chart

    return radar_chart(title, labels(), [(label, values) for label, values in series if values])


def assess(*, user: Any, unit: OrgUnit, data: dict[str, Any]) -> MaturityAssessment:
    """Record a unit's self-assessment: the coordination, or an editor of that unit (every edge asks here)."""
    from django.core.exceptions import PermissionDenied

    if not user.has_perm("reports.assess_unit", unit):
        raise PermissionDenied
    return MaturityAssessment.objects.create(
        municipality_id=unit.municipality_id, org_unit=unit, created_by=user, **data
    )
