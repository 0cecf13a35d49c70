"""What the demo holds, read from the demo loaded once for this package (before the other tests here change it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lotse.tenancy.demo import DEMO_PASSWORD


@pytest.fixture
def db_access(demo_site: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        yield


def test_demo_loads_and_every_demo_user_can_log_in(db_access: Any) -> None:
    from lotse.tenancy.models import Membership, OrgUnit

    muster = OrgUnit.objects.filter(municipality__slug="musterstadt")
    assert muster.filter(kind="division").count() == 4
    assert muster.filter(name="Stabsstelle Digitalisierung").exists()
    roles = set(Membership.objects.filter(municipality__slug="musterstadt").values_list("role", flat=True))
    assert roles == {"coordinator", "editor", "reader", "partner"}
    for email in ["cdo@musterstadt.example", "projektleitung@musterstadt.example", "admin@lotse.example"]:
        response = Client().post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email


def test_demo_has_23_pilots_and_two_offices_without(db_access: Any) -> None:
    from lotse.pilots import selectors
    from lotse.pilots.models import DigitalPilot
    from lotse.tenancy.models import Municipality

    muster = Municipality.objects.get(slug="musterstadt")
    assert DigitalPilot.objects.filter(municipality=muster).count() == 23
    assert sorted(c.unit.short_name for c in selectors.coverage(muster) if not c.pilots) == ["Amt 14", "EB 2"]


def test_demo_neighbour_runs_dog_tax_at_level_four(db_access: Any) -> None:
    from lotse.accounts.models import User
    from lotse.ozg import selectors
    from lotse.ozg.models import OzgService
    from lotse.tenancy.models import Municipality

    muster = Municipality.objects.get(slug="musterstadt")
    cdo = User.objects.get(email="cdo@musterstadt.example")
    dogs = OzgService.objects.get(name__startswith="Hundehaltung")
    ask, _total = selectors.who_to_ask(cdo, muster, dogs)
    assert [(s.municipality.name, s.maturity) for s in ask] == [("Lindenau", 4), ("Bachfelden", 3)]
    data = selectors.dashboard(muster)
    assert data.online > 0 and len(data.over_time) >= 3
    assert selectors.process_ranking(muster)[0].score > 0


def test_demo_shows_musterstadt_the_same_project_in_two_other_towns(db_access: Any) -> None:
    from lotse.accounts.models import User
    from lotse.portfolio.models import Project
    from lotse.synergy import selectors

    cdo = User.objects.get(email="cdo@musterstadt.example")
    project = Project.objects.get(municipality__slug="musterstadt", title="Hundesteuer online")
    _own, others = selectors.similar_to(project, cdo)
    towns = {s.project.municipality.name for s in others if s.match and "Hundesteuer" in " ".join(s.reason)}
    assert len(towns) >= 2, towns


def test_the_demo_council_report_has_a_cover_with_logo_and_paper(db_access: Any) -> None:
    from datetime import date

    from lotse.reports import council
    from lotse.tenancy.models import Municipality
    from tests.pdf import structure_problems, tag_counts

    muster = Municipality.objects.get(slug="musterstadt")
    data = council.report_data(muster, date.today().year)
    assert data["paper"].startswith("Drucksache ") and data["resolution"].startswith("Der Gemeinderat")
    pdf = council.render_pdf(muster, date.today().year)
    assert structure_problems(pdf) == [] and tag_counts(pdf)["/Figure"] >= 2  # the coat of arms and charts


def test_demo_shows_a_finished_import(db_access: Any) -> None:
    """An office's list sent back unchanged: checked and written as the task queue does, nothing changed."""
    from lotse.portfolio.models import ImportJob, ImportState

    job = ImportJob.objects.get(municipality__slug="musterstadt")
    assert job.state == ImportState.DONE, job.message
    assert job.outcome == {"new": 0, "update": 0, "unchanged": 3}
    assert job.preview["ok"] and len(job.preview["rows"]) == 3
