"""The yearly revision (*Fortschreibung*): freeze strategy and portfolio as data, and compare any two versions
(or a version with today's state): new, changed, finished and dropped projects; new, changed and removed goals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.services import versioned_create
from lotse.portfolio.models import Funding, Project, ProjectYear, Status
from lotse.reports.models import Revision
from lotse.strategy.models import Goal
from lotse.strategy.selectors import strategy_of
from lotse.tenancy.models import Municipality

FINISHED = (Status.OPERATION, Status.COMPLETED)
# What counts as a change of a project between two versions, with its label.
COMPARED = {
    "title": gettext_lazy("Titel"),
    "status": gettext_lazy("Status"),
    "funding": gettext_lazy("Finanzierung"),
    "field": gettext_lazy("Handlungsfeld"),
    "budget": gettext_lazy("Budget geplant"),
    "lead_unit": gettext_lazy("Federführung"),
}


def snapshot(municipality: Municipality) -> dict[str, Any]:
    """Strategy and portfolio as plain data (labels resolved, so a version reads the same years later)."""
    strategy = strategy_of(municipality)
    budgets = dict(
        ProjectYear.objects.filter(project__municipality=municipality)
        .values("project")
        .annotate(total=Sum("budget_planned"))
        .values_list("project", "total")
    )
    projects = Project.objects.filter(municipality=municipality).select_related("field", "lead_unit")
    return {
        "strategy": {"title": strategy.title, "vision": strategy.vision} if strategy else {},
        "goals": [
            {"id": g.pk, "title": g.title, "field": g.field.name}
            for g in Goal.objects.filter(municipality=municipality)
            .select_related("field")
            .order_by("field__position", "position")
        ],
        "projects": [
            {
                "id": p.pk,
                "key": p.key,
                "title": p.title,
                "status": p.status,
                "funding": p.funding,
                "field": p.field.name if p.field else "",
                "lead_unit": str(p.lead_unit) if p.lead_unit else "",
                "budget": str(budgets.get(p.pk) or 0),
            }
            for p in projects.order_by("key")
        ],
    }


@transaction.atomic
def freeze(*, user: Any, municipality: Municipality, data: dict[str, Any]) -> Revision:
    return versioned_create(
        Revision,
        user=user,
        data={**data, "municipality": municipality, "snapshot": snapshot(municipality), "created_by": user},
    )


@dataclass
class ProjectChange:
    key: str
    title: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after)


@dataclass
class Comparison:
    new: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    finished: list[dict[str, Any]]
    changed: list[ProjectChange]
    goals_new: list[dict[str, Any]]
    goals_removed: list[dict[str, Any]]
    goals_changed: list[tuple[str, str]]

    @property
    def empty(self) -> bool:
        return not any(
            [
                self.new,
                self.dropped,
                self.finished,
                self.changed,
                self.goals_new,
                self.goals_removed,
                self.goals_changed,
            ]
        )


def _label(name: str, value: str) -> str:
    if name == "status":
        return str(dict(Status.choices).get(value, value))
    if name == "funding":
        return str(dict(Funding.choices).get(value, value))
    return value or "–"


def compare(before: dict[str, Any], after: dict[str, Any]) -> Comparison:
    """What changed from `before` to `after` (two snapshots). Projects are matched by id, then by key, so a
    project re-imported under the same Projektschlüssel is the same project."""
    old = {p["id"]: p for p in before.get("projects", [])}
    old_by_key = {p["key"]: p for p in before.get("projects", [])}
    seen: set[int] = set()
    new, finished, changed = [], [], []
    for p in after.get("projects", []):
        o = old.get(p["id"]) or old_by_key.get(p["key"])
        if o is None:
            new.append(p)
            continue
        seen.add(o["id"])
        if p["status"] in FINISHED and o["status"] not in FINISHED:
            finished.append(p)
        diffs = [
            (str(label), _label(name, str(o.get(name, ""))), _label(name, str(p.get(name, ""))))
            for name, label in COMPARED.items()
            if str(o.get(name, "")) != str(p.get(name, ""))
        ]
        if diffs:
            changed.append(ProjectChange(p["key"], p["title"], diffs))
    dropped = [o for i, o in old.items() if i not in seen]
    # A project set to "verworfen" counts as dropped too.
    dropped += [
        p
        for p in after.get("projects", [])
        if p["status"] == Status.REJECTED and (old.get(p["id"]) or {}).get("status") != Status.REJECTED and p not in new
    ]
    old_goals = {g["id"]: g for g in before.get("goals", [])}
    new_goals = {g["id"]: g for g in after.get("goals", [])}
    return Comparison(
        new=new,
        dropped=dropped,
        finished=finished,
        changed=changed,
        goals_new=[g for i, g in new_goals.items() if i not in old_goals],
        goals_removed=[g for i, g in old_goals.items() if i not in new_goals],
        goals_changed=[
            (old_goals[i]["title"], g["title"])
            for i, g in new_goals.items()
            if i in old_goals and old_goals[i]["title"] != g["title"]
        ],
    )


def today_label() -> str:
    return _("heutiger Stand (%(date)s)") % {"date": date.today().strftime("%d.%m.%Y")}
