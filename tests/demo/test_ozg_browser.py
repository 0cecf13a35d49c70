"""The OZG issue's "done when", in a real browser on the demo: bulk edit, the dashboard moves, "wen kann ich
fragen?" finds the neighbour with the dog tax online, and the process ranking."""

import re
from typing import Any

from playwright.sync_api import expect


def test_coordinator_records_statuses_in_bulk_and_finds_who_to_ask(demo_page: Any) -> None:
    page = demo_page("coordinator")
    page.goto("/m/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="OZG").click()
    page.get_by_role("navigation", name="OZG-Ansichten").get_by_role("link", name="Fortschritt").click()
    online = page.locator(".facts div", has_text="Online (Reifegrad 3 oder 4)").locator("dd")
    before = int(online.inner_text().split()[0])

    # Bulk: two services still offline get the state's online service.
    page.get_by_role("navigation", name="OZG-Ansichten").get_by_role("link", name="Leistungen").click()
    # Wait until the list page (and htmx on it) has loaded, so the filter's change event reaches htmx.
    page.wait_for_url(re.compile(r"/m/musterstadt/ozg/$"))
    page.wait_for_load_state("load")
    page.get_by_label("Reifegrad", exact=True).first.select_option("0")
    expect(page).to_have_url(re.compile(r"maturity=0"))  # HTMX swapped the results and kept the URL shareable
    expect(page.locator("#results")).to_contain_text("Wohnberechtigungsschein")
    page.get_by_label("Wohnberechtigungsschein auswählen").check()
    page.get_by_label("Gefährliche Hunde auswählen").check()
    bulk = page.get_by_role("group", name="Ausgewählte Leistungen gemeinsam ändern")
    bulk.get_by_label("Reifegrad").select_option("4")
    bulk.get_by_label("Online-Dienst", exact=True).fill("service-bw")
    bulk.get_by_label("Art der Lösung").select_option("efa")
    bulk.get_by_role("button", name="Für Auswahl speichern").click()
    expect(page.get_by_role("status")).to_contain_text("2 Leistungen wurden geändert.")
    expect(page).to_have_url(re.compile(r"maturity=0"))  # back on the same filtered list

    # The dashboard moved by two.
    page.get_by_role("navigation", name="OZG-Ansichten").get_by_role("link", name="Fortschritt").click()
    expect(online).to_contain_text(f"{before + 2} (")

    # Who already runs the dog tax online?
    page.get_by_role("navigation", name="OZG-Ansichten").get_by_role("link", name="Leistungen").click()
    page.get_by_label("Suche (Leistung, OZG-ID, LeiKa)").fill("Hundehaltung")
    page.get_by_label("Suche (Leistung, OZG-ID, LeiKa)").press("Enter")
    page.get_by_role("link", name="Hundehaltung (An- und Abmeldung, Hundesteuer)").click()
    ask = page.locator("section", has=page.get_by_role("heading", name="Wen kann ich fragen?"))
    expect(ask.locator("li").first).to_contain_text("Lindenau: 4 Online-Transaktion – Hundesteuer online")
    expect(ask).not_to_contain_text("Hohenberg")  # not in Musterstadt's network, and not sharing

    # The process ranking puts the biggest manual workload first.
    page.get_by_role("navigation", name="OZG-Ansichten").get_by_role("link", name="Prozesse").click()
    first = page.get_by_role("table").locator("tbody tr").first
    expect(first).to_contain_text("Rechnungseingang")
