"""The issue's "done when", in a real browser: strategy from a template, Excel import with preview,
prioritising with the what-if sliders, the board by keyboard, capacity warnings and a filtered export."""

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from lotse.portfolio.models import Project
from tests.conftest import build_world
from tests.e2e.conftest import login
from tests.factories import PASSWORD
from tests.portfolio_world import build_portfolio

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "Projektschlüssel;Titel;Kurzbeschreibung;Beschreibung;Federführende Organisationseinheit;Handlungsfeld;Status;"
    "Finanzierung;Budget geplant (EUR);Beginn;Ende;Projektleitung;Pflicht/Kür;Leuchtturm;Schlagworte\r\n"
    "AMT32-01;Hundesteuer online;;;Amt 32;Digitale Bürgerdienste;in Planung;finanziert;1.234,56 €;01.02.2026;"
    "31.12.2026;;Pflicht;nein;OZG\r\n"
)


def test_coordinator_sets_up_strategy_imports_prioritises_and_exports(page: Any, tmp_path: Any) -> None:
    world = build_world()
    login(page, "coordinator_a@test.example", PASSWORD)

    # Strategy: start from the template of a mid-sized town.
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Strategie").click()
    page.get_by_role("button", name="Vorlage übernehmen").click()
    expect(page.get_by_role("status")).to_contain_text("5 Handlungsfelder übernommen.")
    expect(page.get_by_role("heading", name="Digitale Bürgerdienste")).to_be_visible()

    # Import a department's list: first a file with an error, then the corrected one.
    page.goto("/m/astadt/projects/import/")
    bad = tmp_path / "amt32.csv"
    bad.write_bytes(CSV.replace("in Planung", "fast fertig").encode("cp1252"))
    page.get_by_label("Datei (.xlsx oder .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Zeile 2, Spalte „Status“")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_role("button", name="Import ausführen")).to_have_count(0)
    page.get_by_role("link", name="Andere Datei wählen").click()
    good = tmp_path / "amt32-korrigiert.csv"
    good.write_bytes(CSV.encode("cp1252"))
    page.get_by_label("Datei (.xlsx oder .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_role("status")).to_contain_text("Bereit: 1 neu")
    page.get_by_role("button", name="Import ausführen").click()
    expect(page.get_by_role("status")).to_contain_text("Import abgeschlossen: 1 neu")
    page.get_by_role("link", name="Zur Projektliste").click()
    expect(page.get_by_role("link", name="Hundesteuer online")).to_be_visible()

    # Prioritise: default criteria, score the project with reasons.
    page.goto("/m/astadt/projects/priorities/criteria/")
    page.get_by_role("button", name="Standardkriterien anlegen").click()
    project = Project.objects.get(key="AMT32-01")
    page.goto(f"/m/astadt/projects/{project.pk}/scores/")
    for label, value in (("Nutzen für Bürger und Unternehmen", "5"), ("Aufwand", "2")):
        group = page.get_by_role("group", name=re.compile("^" + re.escape(label)))
        group.get_by_label("Bewertung").select_option(value)
        group.get_by_label("Begründung").fill(f"{label}: begründet")
    page.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_role("table", name=re.compile("Priorität"))).to_contain_text("Aufwand: begründet")

    # What-if: set the benefit weight to 0; the table changes without saving.
    page.goto("/m/astadt/projects/priorities/")
    expect(page.get_by_role("table", name="Rangfolge")).to_contain_text("Hundesteuer online")
    slider = page.get_by_label("Nutzen für Bürger und Unternehmen")
    slider.focus()
    for _ in range(9):
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#priority-results")).to_contain_text("nicht gespeichert")
    expect(page).to_have_url(re.compile(r"w\d+=0"))
    expect(page.get_by_role("table", name="Rangfolge").get_by_role("row").nth(1)).to_contain_text("75,0")

    # Board by keyboard: move the project to "in Umsetzung".
    page.goto("/m/astadt/projects/board/")
    page.get_by_label("Status von Hundesteuer online").select_option(label="in Umsetzung")
    page.get_by_role("button", name="Verschieben Hundesteuer online").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("steht jetzt auf „in Umsetzung“")
    expect(page.get_by_role("region", name=re.compile("in Umsetzung"))).to_contain_text("Hundesteuer online")

    # Capacity: one VZÄ available, the project needs none yet -> no warning; then budget too small -> warning.
    page.goto("/m/astadt/projects/capacity/")
    page.get_by_label("Jahr").fill("2026")
    page.get_by_label("Verfügbares Personal (VZÄ)").fill("1")
    page.get_by_label("Verfügbares Budget (EUR)").fill("1000")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("2026: Geplant sind 1.235 €, verfügbar sind 1.000 €")

    # Filtered export for the council: only the imported project.
    page.goto("/m/astadt/projects/")
    page.get_by_label("Suche").fill("Hundesteuer")
    page.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"q=Hundesteuer"))
    expect(page.locator("#result-count")).to_contain_text("1 Projekt")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel").click()
    with open(info.value.path(), "rb") as download:
        rows = list(load_workbook(io.BytesIO(download.read()))["Projekte"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Hundesteuer online"]
    assert world.a.slug in info.value.suggested_filename


def test_drag_and_drop_moves_a_card(page: Any) -> None:
    world = build_world()
    pw = build_portfolio(world)
    login(page, "coordinator_a@test.example", PASSWORD)
    page.goto("/m/astadt/projects/board/")
    card = page.locator(f"#project-{pw.public.pk}")
    card.drag_to(page.locator('section[data-status="operation"]'))
    expect(page.get_by_role("region", name=re.compile("in Betrieb"))).to_contain_text("Öffentliches Leuchtturmprojekt")
    pw.public.refresh_from_db()
    assert pw.public.status == "operation"


def test_coordinator_finds_the_same_project_in_another_town_and_writes_to_them(page: Any) -> None:
    from django.core import mail

    from lotse.portfolio import services
    from lotse.tenancy.models import Visibility

    world = build_world()
    mine = services.project_save(
        None,
        user=world.users["admin"],
        municipality=world.a,
        data={"title": "Hundesteuer online", "summary": "Hunde online an- und abmelden"},
    )
    services.project_save(
        None,
        user=world.users["admin"],
        municipality=world.b,
        data={"title": "Anmeldung der Hundesteuer digital", "summary": "Im Portal", "visibility": Visibility.NETWORK},
    )
    login(page, "coordinator_a@test.example", PASSWORD)
    page.goto(f"/m/astadt/projects/{mine.pk}/")
    panel = page.locator("#similar")
    expect(panel).to_contain_text("Anmeldung der Hundesteuer digital")  # loaded by HTMX after the page
    expect(panel).to_contain_text("gemeinsame Begriffe: Hundesteuer")
    panel.get_by_role("link", name="Kontakt aufnehmen zu Anmeldung der Hundesteuer digital").click()
    page.get_by_label("Ihre Nachricht").fill("Wollen wir die Hundesteuer gemeinsam digitalisieren?")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Nachricht an Bdorf wurde gesendet.")
    assert [m.to for m in mail.outbox] == [["admin@test.example", "coordinator_b@test.example"]]
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Synergien").click()
    expect(page.get_by_role("heading", name="2 Kommunen: Hundesteuer")).to_be_visible()
