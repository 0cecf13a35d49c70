"""Reads of the reuse room, through the permission-aware layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lotse.portfolio.models import Project
from lotse.reuse.models import Adoption
from lotse.tenancy.models import Municipality
from lotse.tenancy.selectors import own_municipalities_with


@dataclass
class Reuse:
    """What the project page says about reuse: where the project came from, and who adopted it."""

    adoption: Adoption | None
    origin: Project | None  # the origin, when this person may see it
    adopted_by_towns: int  # how many municipalities adopted this project
    adopters: list[Project]  # the adopting projects this person may see


def reuse_of(project: Project, user: Any) -> Reuse:
    adoption = Adoption.objects.filter(project=project).first()
    origin = None
    if adoption is not None and adoption.origin_id is not None:
        origin = Project.objects.restrict(user).select_related("municipality").filter(pk=adoption.origin_id).first()
    towns = (
        Adoption.objects.filter(origin=project).values("project__municipality").distinct().count()
    )  # a count says nothing of the internal drafts behind it
    adopters = list(
        Project.objects.restrict(user)
        .filter(adoption__origin=project)
        .select_related("municipality")
        .order_by("municipality__name", "title")
    )
    return Reuse(adoption, origin, towns, adopters)


def adopting_towns(user: Any) -> list[Municipality]:
    """The municipalities in which this person may start a project, i.e. adopt one."""
    return own_municipalities_with(user, "portfolio.add_project")
