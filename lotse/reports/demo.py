"""Demo content of the reports room: last year's Fortschreibung of Musterstadt, so the comparison with today
shows new, finished and changed projects and a reworded goal."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from lotse.reports import revisions
from lotse.reports.models import Revision
from lotse.tenancy.models import Municipality


def build(user: Any, municipality: Municipality) -> None:
    today = revisions.snapshot(municipality)
    last_year = copy.deepcopy(today)
    projects = last_year["projects"]
    # Three projects came later; two were still being planned; one was not yet finished.
    last_year["projects"] = [p for p in projects if p["key"] not in {p["key"] for p in projects[-3:]}]
    moved = 0
    for p in last_year["projects"]:
        if p["status"] == "implementation" and moved < 2:
            p["status"], moved = "planning", moved + 1
        elif p["status"] == "completed":
            p["status"] = "implementation"
            break
    if last_year["goals"]:
        last_year["goals"][0]["title"] += " (Entwurf)"
    Revision.objects.create(
        municipality=municipality,
        title=f"Fortschreibung {date.today().year - 1}",
        frozen_on=date(date.today().year - 1, 6, 30),
        decision=f"Gemeinderat, Drucksache {date.today().year - 1}/112",
        decided_on=date(date.today().year - 1, 7, 15),
        snapshot=last_year,
        created_by=user,
    )
