"""Writes of the synergy room: keeping the index current, pair decisions, contact messages."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.mail import send
from lotse.ozg.models import OzgStatus
from lotse.portfolio.models import Project
from lotse.synergy import engine
from lotse.synergy.models import ContactMessage, PairDecision, Signature
from lotse.tenancy.models import Membership, Role

logger = logging.getLogger(__name__)


def ozg_labels(project_ids: Iterable[int]) -> dict[int, list[str]]:
    """The OZG services each project implements (linked in the OZG room's statuses), as engine labels."""
    links = OzgStatus.projects.through.objects.filter(project_id__in=list(project_ids)).values_list(
        "project_id", "ozgstatus__service__ozg_id", "ozgstatus__service__name"
    )
    labels: dict[int, list[str]] = {}
    for pk, ozg_id, name in links:
        labels.setdefault(pk, []).append(f"OZG {ozg_id}: {name}")
    return labels


def analyse_project(project: Project, labels: list[str] | None = None) -> engine.Document:
    extra = [t.name for t in project.tags.all()]
    if project.field_id:
        extra.append(project.field.name)  # type: ignore[union-attr]
    services = ozg_labels([project.pk]).get(project.pk, []) if labels is None else labels
    return analyse_texts(project.pk, project.title, project.summary, project.description, extra, services)


def analyse_texts(
    pk: int | None, title: str, summary: str, description: str, extra: list[str], services: list[str]
) -> engine.Document:
    """What the index reads of a project: title, summary and description, tags and field, OZG services."""
    return engine.analyse(str(pk), title, f"{summary} {description}", extra, sorted(services))


def refresh(project_ids: Iterable[int]) -> None:
    """(Re)compute the signatures of these projects from their current text."""
    ids = list(project_ids)
    projects = Project.objects.filter(pk__in=ids).select_related("field").prefetch_related("tags")
    labels = ozg_labels(ids)
    now = timezone.now()
    rows = []
    for p in projects:
        try:
            doc = analyse_project(p, labels.get(p.pk, []))
        except Exception:  # one unreadable record must not take the index of every town with it
            logger.exception("Signatur von Projekt %s nicht berechenbar", p.pk)
            continue
        rows.append(
            Signature(
                project=p,
                version=p.version,
                features=doc.features,
                concepts=sorted(doc.concepts),
                digital=doc.digital,
                engine=engine.ENGINE_VERSION,
                computed_at=now,
            )
        )
    Signature.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["version", "features", "concepts", "digital", "engine", "computed_at"],
    )


def rebuild(batch: int = 2000) -> int:
    """Recompute every signature (`lotse synergy_reindex`)."""
    ids = list(Project.objects.values_list("pk", flat=True).order_by("pk"))
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch])
    Signature.objects.exclude(project__in=ids).delete()
    return len(ids)


def decide(*, user: Any, project: Project, other: Project, kind: str) -> PairDecision:
    first, second = sorted((project.pk, other.pk))
    decision, _created = PairDecision.objects.update_or_create(
        first_id=first, second_id=second, defaults={"kind": kind, "decided_by": user}
    )
    return decision


@transaction.atomic
def contact(*, user: Any, project: Project, about: Project | None, text: str) -> ContactMessage:
    """E-mail the coordinators of the project's municipality (and whoever created it); keep the message."""
    coordinators = Membership.objects.filter(
        municipality_id=project.municipality_id, role=Role.COORDINATOR
    ).values_list("user__email", flat=True)
    recipients = sorted({*coordinators, *([project.created_by.email] if project.created_by else [])})
    message = ContactMessage.objects.create(project=project, about=about, sender=user, text=text, recipients=recipients)
    subject = _("Lotse: Anfrage zu Ihrem Projekt „%(title)s“") % {"title": project.title}
    intro = _("%(name)s (%(email)s) schreibt Ihnen über Lotse zu Ihrem Projekt „%(title)s“") % {
        "name": user.get_full_name() or user.email,
        "email": user.email,
        "title": project.title,
    }
    if about is not None:
        intro += _(" – wegen des eigenen Projekts „%(title)s“ (%(town)s)") % {
            "title": about.title,
            "town": about.municipality.name,
        }
    send(
        subject, f"{intro}:\n\n{text}\n\n" + _("Antworten Sie direkt an %(email)s.") % {"email": user.email}, recipients
    )
    return message
