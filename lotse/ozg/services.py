"""Writes of the OZG room: statuses one by one and in bulk, the network opt-in, progress snapshots, processes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lotse.core.services import EditConflict, versioned_create, versioned_update
from lotse.ozg.models import ONLINE_FROM, OzgProgress, OzgService, OzgSharing, OzgStatus
from lotse.ozg.selectors import relevant_services
from lotse.portfolio import services as portfolio
from lotse.tenancy.models import Municipality
from lotse.tenancy.services import check_unit_choice

# Fields a bulk edit may set; each is applied only when chosen.
BULK_FIELDS = ("maturity", "org_unit", "solution_kind", "solution_name", "provider", "solution_url", "planned_date")


@transaction.atomic
def status_save(
    status: OzgStatus | None,
    *,
    user: Any,
    municipality: Municipality,
    service: OzgService,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> OzgStatus:
    check_unit_choice(user, municipality, record=status, data=data, field="org_unit")
    linked_before = set(status.projects.values_list("pk", flat=True)) if status else set()
    if status is None:
        status = versioned_create(
            OzgStatus, user=user, data={**data, "municipality": municipality, "service": service}, m2m=m2m
        )
    else:
        status = versioned_update(
            status,
            user=user,
            expected_version=status.version if expected_version is None else expected_version,
            data=data,
            m2m=m2m,
        )
    if m2m and "projects" in m2m:
        linked = {p.pk for p in m2m["projects"]}
        portfolio.touch(linked ^ linked_before)  # their synergy signatures now name other OZG services
    record_progress(municipality)
    return status


class StaleRows(Exception):
    """Some of the chosen services were changed by someone else since the list was loaded."""

    def __init__(self, names: list[str]):
        super().__init__(
            _(
                "Nichts gespeichert: Diese Leistungen wurden inzwischen geändert: %(names)s. "
                "Bitte laden Sie die Liste neu."
            )
            % {"names": ", ".join(names)}
        )


@transaction.atomic
def bulk_update(
    *, user: Any, municipality: Municipality, chosen: Mapping[str, int | None], data: Mapping[str, Any]
) -> int:
    """Apply `data` to the statuses of the chosen services (OZG-ID → the version seen, None if none existed).

    All or nothing: if any of them changed since the list was loaded, nothing is written."""
    services = {s.ozg_id: s for s in OzgService.objects.filter(ozg_id__in=list(chosen))}
    current = {
        s.service.ozg_id: s
        for s in OzgStatus.objects.filter(municipality=municipality, service__in=services.values()).select_related(
            "service"
        )
    }
    stale = [
        services[ozg_id].name
        for ozg_id, seen in chosen.items()
        if ozg_id in services and (current[ozg_id].version if ozg_id in current else None) != seen
    ]
    if stale:
        raise StaleRows(stale)
    count = 0
    try:
        for ozg_id, service in services.items():
            status = current.get(ozg_id)
            if status is None:
                versioned_create(OzgStatus, user=user, data={**data, "municipality": municipality, "service": service})
            else:
                versioned_update(
                    status, user=user, expected_version=status.version, data=data, reason=_("Sammeländerung")
                )
            count += 1
    except EditConflict as conflict:  # someone saved between our check and our write
        raise StaleRows([str(conflict.instance or "")]) from conflict
    record_progress(municipality)
    return count


def record_progress(municipality: Municipality, day: date | None = None) -> None:
    """Store today's count of relevant and online services, overall and per Themenfeld."""
    day = day or date.today()
    relevant = relevant_services(municipality).values_list("pk", "life_situation__topic_id")
    topic_of = dict(relevant)
    online = set(
        OzgStatus.objects.filter(
            municipality=municipality, maturity__gte=ONLINE_FROM, service__in=topic_of
        ).values_list("service_id", flat=True)
    )
    counts: dict[int | None, list[int]] = {None: [0, 0]}
    service_id: int
    topic_id: int | None
    for service_id, topic_id in topic_of.items():
        for key in (None, topic_id):
            pair = counts.setdefault(key, [0, 0])
            pair[0] += 1
            pair[1] += service_id in online
    for topic_id, (total, done) in counts.items():
        OzgProgress.objects.update_or_create(
            municipality=municipality, topic_id=topic_id, day=day, defaults={"relevant": total, "online": done}
        )


def set_sharing(municipality: Municipality, share: bool) -> OzgSharing:
    sharing, _created = OzgSharing.objects.update_or_create(
        municipality=municipality, defaults={"share_in_network": share}
    )
    return sharing
