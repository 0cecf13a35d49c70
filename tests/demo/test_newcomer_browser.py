"""A new town in Chromium, as its people would do it, without /admin/ and without the docs: the platform admin
creates it and invites its coordinator, who accepts, works through the first steps and downloads the first
council report. The whole walk is timed: a person takes longer than the script, so it must be quick."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.pdf import structure_problems

ORG_CHART = """Dez. I; Dezernat I – Hauptverwaltung
  Amt 10; Hauptamt
  Stabsstelle Digitalisierung
Dez. II; Dezernat II – Bürgerdienste
  Amt 32; Bürger- und Ordnungsamt
"""


@pytest.fixture
def db_access(django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        yield


def _link(subject: str, to: str) -> str:
    from django.core import mail

    message = next(m for m in reversed(mail.outbox) if to in m.to and subject in m.subject)
    found = re.search(r"https?://[^/\s]+(/\S+)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_a_town_created_in_the_app_reaches_its_first_council_report(
    demo_page: Any, db_access: Any, tmp_path: Any
) -> None:
    from lotse.tenancy.models import JoinRequest, Membership, Municipality

    started = time.monotonic()
    visited: list[str] = []
    admin = demo_page("admin")
    admin.on("framenavigated", lambda frame: visited.append(frame.url))
    admin.goto("/")
    admin.get_by_role("link", name="Kommune anlegen").first.click()
    admin.get_by_label(re.compile("^Name")).fill("Neustadt am See")
    admin.get_by_label("Art").select_option(label="Stadt")
    admin.get_by_label("Amtlicher Schlüssel (ARS oder AGS)").fill("08199 0001 088")
    admin.get_by_label("Einwohnerzahl").fill("18400")
    admin.get_by_label("Landkreis").select_option(label="Landkreis Musterkreis")
    admin.get_by_label("E-Mail der ersten Koordination").fill("cdo@neustadt.example")
    admin.get_by_label("Vorname der Koordination").fill("Nele")
    admin.get_by_label("Nachname der Koordination").fill("Neumann")
    admin.get_by_role("button", name="Kommune anlegen").click()
    expect(admin.get_by_role("status")).to_contain_text("Die Einladung an cdo@neustadt.example ist verschickt")
    town = Municipality.objects.get(name="Neustadt am See")
    assert town.district is not None
    assert (town.ars, town.ags, town.district.name) == ("081990001088", "08199088", "Landkreis Musterkreis")

    # The coordinator opens the link from the e-mail and sets up an account.
    cdo = demo_page("anonymous")
    cdo.on("framenavigated", lambda frame: visited.append(frame.url))
    cdo.goto(_link("Einladung", "cdo@neustadt.example"))
    cdo.get_by_label(re.compile(r"^Passwort \(")).fill("neustadt-am-see-2026")
    cdo.get_by_label(re.compile("^Passwort wiederholen")).fill("neustadt-am-see-2026")
    cdo.get_by_role("button", name="Konto anlegen und Einladung annehmen").click()
    expect(cdo.get_by_role("heading", level=1)).to_have_text("Neustadt am See")
    steps = cdo.get_by_role("region", name="Erste Schritte")
    expect(steps).to_contain_text("0 von 6 erledigt")

    # Strategy from the template, in one click.
    steps.get_by_role("link", name="Zur Strategie").click()
    cdo.get_by_role("button", name="Vorlage übernehmen").click()
    expect(cdo.get_by_role("status")).to_be_visible()
    # The organisation chart, pasted as a list.
    cdo.goto(f"/m/{town.slug}/")
    cdo.get_by_role("region", name="Erste Schritte").get_by_role("link", name="Einheiten einfügen").click()
    cdo.get_by_label("Einheiten, eine je Zeile").fill(ORG_CHART)
    cdo.get_by_role("button", name="Einheiten anlegen").click()
    expect(cdo.get_by_role("status")).to_contain_text("5 Einheiten angelegt")
    expect(cdo.get_by_role("rowheader", name="Amt 32 Bürger- und Ordnungsamt")).to_be_visible()
    # A colleague for the council.
    cdo.goto(f"/m/{town.slug}/")
    cdo.get_by_role("region", name="Erste Schritte").get_by_role("link", name="Person einladen").click()
    cdo.get_by_label("E-Mail-Adresse").fill("rat@neustadt.example")
    cdo.get_by_label("Rolle").select_option(label="Lesezugriff")
    cdo.get_by_role("button", name="Einladung senden").click()
    expect(cdo.get_by_role("status")).to_contain_text("Die Einladung an rat@neustadt.example")
    # The project list from the Excel template: download, fill in, upload, preview, import.
    cdo.goto(f"/m/{town.slug}/")
    cdo.get_by_role("region", name="Erste Schritte").get_by_role("link", name="Excel-Vorlage und Import").click()
    with cdo.expect_download() as download:
        cdo.get_by_role("link", name="Excel-Vorlage herunterladen").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book["Projekte"]
    sheet.append(
        [
            "",
            "Hundesteuer online",
            "Anmeldung im Serviceportal",
            "",
            "Amt 32",
            "Digitale Bürgerdienste",
            "in Planung",
            "finanziert",
            12000,
            None,
            None,
            "",
            "Pflichtaufgabe",
            "nein",
            "OZG",
            "öffentlich",
        ]
    )
    sheet.append(["", "E-Akte im Hauptamt", "", "", "Amt 10", "", "Idee", "nicht finanziert"])
    filled = tmp_path / "projekte.xlsx"
    book.save(filled)
    cdo.get_by_label("Datei (.xlsx oder .csv)").set_input_files(str(filled))
    cdo.get_by_role("button", name="Vorschau anzeigen").click()
    expect(cdo.get_by_role("status")).to_contain_text("Bereit: 2 neu")
    cdo.get_by_role("button", name="Import ausführen").click()
    expect(cdo.get_by_role("status")).to_contain_text("Import abgeschlossen: 2 neu")
    # An OZG service rated, straight from its page.
    cdo.goto(f"/m/{town.slug}/")
    cdo.get_by_role("region", name="Erste Schritte").get_by_role("link", name="Zu den OZG-Leistungen").click()
    cdo.locator("#results a[href*='/ozg/D-']").first.click()
    cdo.get_by_label("Reifegrad").select_option("3")
    cdo.get_by_role("button", name="Speichern").click()
    expect(cdo.get_by_role("status")).to_be_visible()
    # Joining a network: asked for, the network's operator accepts.
    cdo.goto(f"/m/{town.slug}/")
    cdo.get_by_role("region", name="Erste Schritte").get_by_role("link", name="Netzwerke ansehen").click()
    cdo.get_by_role("link", name="Digitalverbund Musterkreis").click()
    cdo.get_by_label("Nachricht an das Netzwerk").fill("Wir möchten Projekte teilen.")
    cdo.get_by_role("button", name="Beitritt anfragen").click()
    expect(cdo.get_by_role("status")).to_contain_text("Ihre Anfrage ist beim Netzwerk")
    admin.goto("/networks/digitalverbund-musterkreis/")
    admin.get_by_role("button", name=re.compile("Aufnehmen.*Neustadt am See")).click()
    expect(admin.get_by_role("status")).to_contain_text("Neustadt am See gehört jetzt zu Digitalverbund Musterkreis")
    assert JoinRequest.objects.get(municipality=town).state == "accepted"

    # Every step done: the checklist gives way to the dashboard.
    cdo.goto(f"/m/{town.slug}/")
    expect(cdo.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(cdo.get_by_role("region", name="Erste Schritte")).to_have_count(0)
    # The first council report, from the navigation.
    cdo.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Berichte").click()
    cdo.get_by_role("navigation", name="Berichte").get_by_role("link", name="Sachstandsbericht").click()
    with cdo.expect_download() as download:
        cdo.get_by_role("link", name=re.compile("Bericht .*PDF")).first.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and structure_problems(pdf) == []
    assert Membership.objects.get(user__email="cdo@neustadt.example").role == "coordinator"
    assert time.monotonic() - started < 15 * 60
    assert not [url for url in visited if "/admin/" in url], "no step needed the Django admin"
    # The invited council member's invitation is open; nothing made them a member without saying yes.
    assert not Membership.objects.filter(user__email="rat@neustadt.example").exists()
