"""The pilots issue's first "done when" in a real browser: a coordinator sees which Ämter still lack a pilot and
appoints one."""

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lotse.tenancy.demo import DEMO_PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_sees_offices_without_a_pilot_and_appoints_one(page: Any) -> None:
    call_command("demo", verbosity=0)
    login(page, "cdo@musterstadt.example", DEMO_PASSWORD)
    page.goto("/m/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Digitallotsen").click()
    gaps = page.get_by_role("heading", name="2 Einheiten ohne Digitallotse")
    expect(gaps).to_be_visible()
    expect(page.locator("ul.gaps")).to_contain_text("Amt 14 Rechnungsprüfungsamt")

    page.get_by_role("link", name="Digitallotsen benennen").click()
    page.get_by_label("Person").select_option(label="Elif Yılmaz (gemeinderat@musterstadt.example)")
    page.get_by_label("betreute Einheiten").select_option(label="Amt 14 Rechnungsprüfungsamt", force=True)
    page.get_by_label("Themen").fill("Prüfsoftware, E-Rechnung")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Elif Yılmaz ist Digitallotse/Digitallotsin.")
    page.get_by_role("link", name="Zum Verzeichnis der Digitallotsen").click()
    expect(page.get_by_role("heading", name="1 Einheit ohne Digitallotse")).to_be_visible()
    expect(page.locator("ul.gaps")).not_to_contain_text("Amt 14")
