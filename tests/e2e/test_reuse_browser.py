"""Issue 20, point 2 in a real browser: a coordinator finds another town's project and adopts it as a draft."""

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from lotse.portfolio import services
from lotse.portfolio.models import Project
from lotse.reuse.models import Adoption
from lotse.tenancy.models import Visibility
from tests.conftest import build_world
from tests.e2e.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_adopts_another_towns_project_and_the_origin_counts_it(page: Any) -> None:
    world = build_world()
    origin = services.project_save(
        None,
        user=world.users["admin"],
        municipality=world.a,
        data={
            "title": "Hundesteuer online",
            "summary": "Hunde im Portal an- und abmelden",
            "visibility": Visibility.NETWORK,
            "start_date": date(2025, 1, 1),
        },
        children={"milestones": [{"title": "Start im Portal", "due_date": date(2025, 6, 1), "done_on": None}]},
    )
    login(page, "coordinator_b@test.example", PASSWORD)
    page.goto(f"/m/astadt/projects/{origin.pk}/")
    panel = page.locator("#reuse")
    expect(panel).to_contain_text("Noch von keiner anderen Kommune nachgenutzt.")  # loaded by HTMX
    panel.get_by_role("link", name="Übernehmen Hundesteuer online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("„Hundesteuer online“ (Astadt) übernehmen")
    page.get_by_label("Titel des neuen Projekts").fill("Hundesteuer digital in Bdorf")
    page.get_by_label("Geplanter Beginn").fill("2027-03-01")
    page.get_by_role("button", name="Als Entwurf übernehmen").click()
    expect(page.get_by_role("status")).to_contain_text("ist als Entwurf in Ihr Portfolio übernommen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hundesteuer digital in Bdorf")
    expect(page.locator("#reuse")).to_contain_text("Übernommen von Hundesteuer online (Astadt)")
    adopted = Project.objects.get(title="Hundesteuer digital in Bdorf")
    assert adopted.municipality == world.b and Adoption.objects.get(project=adopted).origin == origin
    assert [m.due_date for m in adopted.milestones.all()] == [date(2027, 7, 30)]  # 789 days later, as the start
    page.goto(f"/m/astadt/projects/{origin.pk}/")
    expect(page.locator("#reuse")).to_contain_text("von 1 Kommune nachgenutzt")
