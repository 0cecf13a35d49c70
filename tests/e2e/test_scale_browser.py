"""Generated data in a real browser: a new user signs in with the login `lotse generate` prints and walks the
pages the scale benchmark measures; each one renders the generated network and passes axe."""

import re
from io import StringIO
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from lotse.demo.generate import PASSWORD
from lotse.participation.models import Campaign
from lotse.synergy import selectors as synergy_selectors
from tests.e2e.conftest import login
from tests.e2e.test_browser import serious

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_user_walks_the_benchmarked_pages_of_a_generated_network(page: Any, monkeypatch: Any) -> None:
    out = StringIO()
    call_command("generate", preset="tiny", stdout=out)
    email = re.search(r"(cdo@gemeinde-0001\.example)", out.getvalue())
    assert email and PASSWORD in out.getvalue()  # what the command printed is what works
    login(page, email[1], PASSWORD)
    axe = Axe()
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = serious(axe.run(page))
        if found:
            problems[name] = found

    page.goto("/m/gemeinde-0001/projects/")
    expect(page.locator("#result-count, .lead").first).to_contain_text("80")
    expect(page.get_by_role("navigation", name="Seiten")).to_contain_text("Seite 1 von 2")  # 80 projects
    check("portfolio list")
    page.locator("table tbody tr th a").first.click()
    # The synergy part arrives by HTMX: the same work in other generated towns.
    expect(page.get_by_text("Ähnliche Vorhaben").first).to_be_visible()
    synergies = page.locator("[data-hx-get*='/synergy/projects/']")
    expect(synergies).to_contain_text("In anderen Kommunen", timeout=10_000)
    expect(synergies).to_contain_text("Ähnlichkeit")
    check("project page")
    page.goto("/m/gemeinde-0001/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check("dashboard")
    page.goto("/m/gemeinde-0001/ozg/dashboard/")
    expect(page.locator("main")).to_contain_text("Reifegrad")
    check("OZG dashboard")
    page.goto("/m/gemeinde-0001/ozg/?maturity=4")
    expect(page.locator("#result-count")).to_contain_text("Leistungen")
    check("OZG list")
    page.goto("/synergies/search/?q=Hundesteuer+online+bezahlen")
    expect(page.locator("main")).to_contain_text("Hundesteuer")
    expect(page.locator("main")).to_contain_text("Ähnlichkeit")
    check("network search")
    # The groups overview as it behaves in a state network: only groups with the town's own projects.
    monkeypatch.setattr(synergy_selectors, "CLUSTER_ALL_LIMIT", 0)
    page.goto("/synergies/")
    expect(page.get_by_role("note")).to_contain_text("nur die Gruppen")
    expect(page.locator("#result-count")).to_contain_text("Gruppe")
    expect(page.locator("section.cluster").first).to_contain_text("Stadt")
    check("synergy groups")
    campaign = Campaign.objects.get(municipality__slug="gemeinde-0001")
    anonymous = page.context.browser.new_context(base_url=page.url.split("/synergies")[0], locale="de-DE").new_page()
    anonymous.goto(f"/m/gemeinde-0001/participation/campaigns/{campaign.pk}/")
    expect(anonymous.get_by_role("heading", level=1)).to_contain_text("Ideen für ein digitales")
    found = serious(axe.run(anonymous))
    if found:
        problems["public campaign page"] = found
    anonymous.context.close()
    assert not problems, problems
