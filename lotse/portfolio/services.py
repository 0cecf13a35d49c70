"""Writes of the portfolio room.

A project and its own rows (years, funding sources, milestones, relations, scores) change together under
the project's version: `project_save` claims the version first, so two people editing the same project
never overwrite each other's rows either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.core.mail import send
from lotse.core.services import EditConflict, changes_since, versioned_create, versioned_update
from lotse.portfolio.models import (
    DEFAULT_CRITERIA,
    CapacityYear,
    PriorityCriterion,
    Project,
    ProjectScore,
    ReportingSettings,
    StatusChange,
    StatusReport,
    Tag,
)
from lotse.tenancy.models import Municipality
from lotse.tenancy.services import check_unit_choice

# Child rows saved with a project: attribute on the project → the fields a row carries.
CHILDREN = {
    "years": ("year", "budget_planned", "budget_approved", "budget_spent", "staff_fte"),
    "funding_sources": ("name", "amount", "is_grant"),
    "milestones": ("title", "due_date", "done_on"),
    "relations_out": ("kind", "target"),
}


def _tag_user(obj: models.Model, user: Any) -> None:
    obj._history_user = user if user is not None and user.is_authenticated else None  # type: ignore[attr-defined]


def next_key(municipality: Municipality, year: int | None = None) -> str:
    """A fresh Projektschlüssel such as P-2026-007."""
    return next_keys(municipality, 1, year)[0]


def next_keys(municipality: Municipality, count: int, year: int | None = None) -> list[str]:
    """`count` fresh Projektschlüssel in a row (one query), e.g. for the new rows of an import."""
    year = year or date.today().year
    prefix = f"P-{year}-"
    keys = Project.objects.filter(municipality=municipality, key__startswith=prefix).values_list("key", flat=True)
    last = max((int(k[len(prefix) :]) for k in keys if k[len(prefix) :].isdigit()), default=0)
    return [f"{prefix}{n:03d}" for n in range(last + 1, last + 1 + count)]


def tags_from_text(municipality: Municipality, text: str) -> list[Tag]:
    names = sorted({t.strip() for t in text.replace(";", ",").split(",") if t.strip()})
    return [Tag.objects.get_or_create(municipality=municipality, name=n[:60])[0] for n in names]


def _sync_children(project: Project, name: str, rows: Iterable[Mapping[str, Any]], user: Any) -> None:
    """Make the project's `name` rows equal to `rows` (dicts with an optional "id"); audited per row."""
    manager = getattr(project, name)
    existing = {obj.pk: obj for obj in manager.all()}
    keep = set()
    fields = CHILDREN[name]
    for row in rows:
        obj = existing.get(row.get("id")) if row.get("id") else None
        if obj is None:
            obj = manager.model(**{manager.field.name: project})
        changed = obj.pk is None
        for f in fields:
            value = row.get(f)
            if obj._meta.get_field(f).is_relation:
                if getattr(obj, f"{f}_id") != (value.pk if value is not None else None):
                    setattr(obj, f, value)
                    changed = True
            elif getattr(obj, f) != value:
                setattr(obj, f, value)
                changed = True
        if changed:
            obj.full_clean()
            _tag_user(obj, user)
            obj.save()
        keep.add(obj.pk)
    for pk, obj in existing.items():
        if pk not in keep:
            _tag_user(obj, user)
            obj.delete()


def _record_status(project: Project, old: str, user: Any, on: date | None) -> None:
    if project.status != old:
        StatusChange.objects.create(
            project=project,
            from_status=old,
            to_status=project.status,
            changed_on=on or date.today(),
            changed_by=user if user is not None and user.is_authenticated else None,
        )


@transaction.atomic
def project_save(
    project: Project | None,
    *,
    user: Any,
    municipality: Municipality,
    data: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    children: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Create or update a project with its m2m links and child rows, in one audited, conflict-checked step."""
    data = dict(data)
    check_unit_choice(user, municipality, record=project, data=data, field="lead_unit")
    if project is None and not data.get("key"):
        data["key"] = next_key(municipality)
    elif project is not None and not data.get("key", project.key):
        data["key"] = project.key  # an update that leaves the key out (or empty) keeps it
    duplicate = Project.objects.filter(municipality=municipality, key=data.get("key", project.key if project else ""))
    if project is not None:
        duplicate = duplicate.exclude(pk=project.pk)
    if duplicate.exists():
        raise ValidationError({"key": _("Der Projektschlüssel „%(key)s“ ist schon vergeben.") % {"key": data["key"]}})
    if project is None:
        old_status = ""
        data.setdefault("status_since", date.today())
        project = versioned_create(
            Project, user=user, data={**data, "municipality": municipality, "created_by": user}, m2m=m2m
        )
    else:
        old_status = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first() or ""
        if data.get("status", old_status) != old_status and "status_since" not in data:
            data["status_since"] = date.today()
        project = versioned_update(
            project,
            user=user,
            expected_version=project.version if expected_version is None else expected_version,
            data=data,
            m2m=m2m,
        )
    for name, rows in (children or {}).items():
        _sync_children(project, name, rows, user)
    _record_status(project, old_status, user, project.status_since)
    return project


@transaction.atomic
def project_set_status(project: Project, *, user: Any, expected_version: int, status: str) -> Project:
    """The board's move: change only the status, with the same version check as a full edit."""
    old = project.status
    project = versioned_update(
        project,
        user=user,
        expected_version=expected_version,
        data={"status": status, "status_since": date.today() if status != old else project.status_since},
        reason=_("Status geändert"),
    )
    _record_status(project, old, user, date.today())
    return project


@transaction.atomic
def scores_save(
    project: Project, *, user: Any, expected_version: int, rows: Mapping[int, tuple[int | None, str]]
) -> Project:
    """Save a project's scores (criterion id → (score or None, justification)); guarded by the project version."""
    project = versioned_update(project, user=user, expected_version=expected_version, data={}, reason=_("Bewertung"))
    existing = {s.criterion_id: s for s in project.scores.all()}
    valid = set(PriorityCriterion.objects.filter(municipality_id=project.municipality_id).values_list("pk", flat=True))
    for criterion_id, (score, justification) in rows.items():
        if criterion_id not in valid:
            raise ValidationError(_("Unbekanntes Kriterium."))
        current = existing.get(criterion_id)
        if score is None:
            if current is not None:
                _tag_user(current, user)
                current.delete()
            continue
        obj = current or ProjectScore(project=project, criterion_id=criterion_id)
        if obj.pk is None or obj.score != score or obj.justification != justification:
            obj.score, obj.justification = score, justification
            obj.full_clean()
            _tag_user(obj, user)
            obj.save()
    return project


def default_criteria(*, user: Any, municipality: Municipality) -> list[PriorityCriterion]:
    """The seven default criteria, for a municipality that has none yet."""
    if PriorityCriterion.objects.filter(municipality=municipality).exists():
        return []
    return [
        versioned_create(
            PriorityCriterion,
            user=user,
            data={"municipality": municipality, "name": name, "direction": direction, "weight": weight, "position": i},
        )
        for i, (name, direction, weight) in enumerate(DEFAULT_CRITERIA, 1)
    ]


@transaction.atomic
def weights_save(*, user: Any, municipality: Municipality, rows: Mapping[int, tuple[int, int]]) -> None:
    """Save new weights: criterion id → (weight, version seen). One stale row refuses the whole change."""
    criteria = {c.pk: c for c in PriorityCriterion.objects.filter(municipality=municipality)}
    for pk, (weight, version) in rows.items():
        criterion = criteria.get(pk)
        if criterion is None:
            raise ValidationError(_("Unbekanntes Kriterium."))
        if criterion.weight != weight or criterion.version != version:
            versioned_update(criterion, user=user, expected_version=version, data={"weight": weight})


@transaction.atomic
def capacity_save(*, user: Any, municipality: Municipality, year: int, staff_fte: Any, budget: Any) -> CapacityYear:
    current = CapacityYear.objects.filter(municipality=municipality, year=year).first()
    data = {"staff_fte": staff_fte, "budget": budget}
    if current is None:
        return versioned_create(CapacityYear, user=user, data={**data, "municipality": municipality, "year": year})
    return versioned_update(current, user=user, expected_version=current.version, data=data)


def check_versions(municipality: Municipality, seen: Mapping[str, int]) -> None:
    """Refuse an import when a project changed between its preview and the commit."""
    current = dict(Project.objects.filter(municipality=municipality, key__in=list(seen)).values_list("key", "version"))
    for key, version in seen.items():
        if key in current and current[key] != version:
            project = Project.objects.get(municipality=municipality, key=key)
            changes, editors = changes_since(project, version)
            raise EditConflict(project, changes, editors)
        if key not in current and version:
            raise EditConflict(None, [], [])


def touch(project_ids: Iterable[int]) -> None:
    """Mark projects as changed without a new edit version: something linked to them changed in another room
    (e.g. the OZG services they implement), and readers that follow changes (the synergy index) look again."""
    Project.objects.filter(pk__in=list(project_ids)).update(updated_at=timezone.now())


# --- status reports ------------------------------------------------------------------------------------------


def status_report_add(project: Project, *, user: Any, data: Mapping[str, Any]) -> StatusReport:
    """A new periodic update; reports are never changed afterwards, so the history stays what was reported."""
    report = StatusReport(project=project, author=user if getattr(user, "is_authenticated", False) else None, **data)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def reporting_save(*, user: Any, municipality: Municipality, every_days: int) -> ReportingSettings:
    settings_row, _created = ReportingSettings.objects.get_or_create(municipality=municipality)
    _tag_user(settings_row, user)
    settings_row.report_every_days = every_days
    settings_row.full_clean()
    settings_row.save()
    return settings_row


def report_recipients(project: Project, parents: Mapping[int, int | None] | None = None) -> set[str]:
    """Who is asked for a project's report: whoever created it and the editors of its lead unit (or a unit
    above it), who may edit it. `parents` (unit → parent) saves the lookups when asking for many projects."""
    from lotse.tenancy.models import Membership, OrgUnit, Role

    if parents is None:
        parents = dict(OrgUnit.objects.filter(municipality_id=project.municipality_id).values_list("pk", "parent_id"))
    emails = set()
    if project.created_by is not None and project.created_by.is_active:
        emails.add(project.created_by.email)
    unit_ids = []
    unit_id = project.lead_unit_id
    while unit_id is not None and unit_id not in unit_ids:
        unit_ids.append(unit_id)
        unit_id = parents.get(unit_id)
    if unit_ids:
        emails |= set(
            Membership.objects.filter(
                municipality_id=project.municipality_id,
                role=Role.EDITOR,
                org_units__in=unit_ids,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    return emails


def send_report_reminders(municipality: Municipality, *, today: date | None = None) -> int:
    """E-mail everyone who owes a status report one list of their projects; returns the number of e-mails."""
    from django.urls import reverse

    from lotse.portfolio.selectors import overdue_reports, report_every_days
    from lotse.tenancy.models import OrgUnit

    every = report_every_days(municipality.pk)
    parents = dict(OrgUnit.objects.filter(municipality=municipality).values_list("pk", "parent_id"))
    owed: dict[str, list[Project]] = {}
    candidates = Project.objects.filter(municipality=municipality).select_related("created_by")
    for row in overdue_reports(candidates, every, today):
        for email in report_recipients(row.project, parents):
            owed.setdefault(email, []).append(row.project)
    base = settings.LOTSE_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        for email, projects in sorted(owed.items()):
            lines = [
                f"- {p.key} {p.title}: {base}"
                + reverse("portfolio:status_report", kwargs={"municipality": municipality.slug, "pk": p.pk})
                for p in projects
            ]
            body = _(
                "Guten Tag,\n\nfür diese Projekte in %(town)s ist der Statusbericht fällig (alle %(days)s Tage):\n\n"
                "%(list)s\n\nDer Bericht dauert wenige Minuten: drei Ampeln und ein paar Sätze. Danke!"
            ) % {"town": municipality.name, "days": every, "list": "\n".join(lines)}
            send(_("Statusbericht fällig"), body, [email])
    return len(owed)
