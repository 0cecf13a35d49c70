"""The participation issue's "done when" in a real browser: a citizen without an account submits an idea, confirms
it from the e-mail, and follows it to "aufgenommen" with a link to the project it became; staff run a survey and
export its results."""

import io
import re
from typing import Any
from urllib.parse import urlparse

from django.core import mail
from openpyxl import load_workbook
from playwright.sync_api import expect


def link_in(message: Any, index: int = 0) -> str:
    return urlparse(re.findall(r"https?://\S+", message.body)[index]).path


def test_a_citizen_sees_their_idea_become_a_project(demo_page: Any) -> None:
    mail.outbox.clear()
    page = demo_page("anonymous")
    page.goto("/m/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Beteiligung").click()
    page.get_by_role("link", name="Digitales Musterstadt: Ihre Ideen").click()
    page.get_by_role("link", name="Idee einreichen").click()
    # Type only once the form page (and htmx on it) has loaded, or the keystrokes reach no listener.
    page.wait_for_url(re.compile(r"/submit/$"))
    page.wait_for_load_state("load")

    # While typing, similar ideas and projects show up (HTMX), so nobody submits a duplicate unknowingly.
    page.get_by_label("Ihre Idee in einem Satz").press_sequentially("Hundesteuer online anmelden")
    suggestions = page.locator("#suggestions")
    # The first query in a process builds the network's similarity index: allow for it.
    expect(suggestions).to_contain_text("Hundesteuer endlich online", timeout=20_000)
    page.get_by_label("Beschreibung").fill("Ich möchte die Hundesteuer für meinen zweiten Hund online anmelden können.")
    page.get_by_label("Ihr Name (freiwillig)").fill("Erika")
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Idee absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bitte bestätigen Sie Ihre E-Mail-Adresse")

    (confirmation,) = mail.outbox
    assert confirmation.to == ["erika@example.org"]
    page.goto(link_in(confirmation))
    page.get_by_role("button", name="Jetzt bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Was ist aus meiner Idee geworden?")
    expect(page.get_by_role("table")).to_contain_text("wartet auf Moderation")

    # The Stabsstelle publishes it and turns it into a project.
    staff = demo_page("coordinator")
    staff.goto("/m/musterstadt/participation/moderation/")
    staff.get_by_role("button", name=re.compile("^Veröffentlichen.*Hundesteuer online anmelden")).click()
    expect(staff.get_by_role("status")).to_contain_text("Veröffentlicht.")
    staff.goto("/m/musterstadt/participation/")
    staff.get_by_role("link", name="Digitales Musterstadt: Ihre Ideen").click()
    staff.get_by_role("link", name="Ideen auswerten").click()
    staff.get_by_label("Hundesteuer online anmelden auswählen").check()
    staff.get_by_role("button", name="Ausgewählte zu einem Projekt machen").click()
    staff.get_by_label("Projekttitel").fill("Hundesteuer: Zweithund online")
    staff.get_by_label("Sichtbarkeit").select_option(label="öffentlich")
    staff.get_by_label("Rückmeldung an die Einreichenden").fill("Danke, Erika! Wir nehmen das in die Planung auf.")
    staff.get_by_role("button", name="Speichern").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Hundesteuer: Zweithund online")
    expect(staff.locator("#from-ideas")).to_contain_text("Hundesteuer online anmelden")
    staff.context.close()

    # Erika is told by e-mail, and her link shows the new status with the project.
    news = mail.outbox[-1]
    assert news.to == ["erika@example.org"] and "aufgenommen" in news.subject
    assert "Danke, Erika!" in news.body
    page.goto(link_in(news, -1))
    row = page.get_by_role("row", name=re.compile("Hundesteuer online anmelden"))
    expect(row).to_contain_text("aufgenommen")
    row.get_by_role("link", name="Hundesteuer: Zweithund online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hundesteuer: Zweithund online")


def test_staff_run_a_survey_and_export_its_results(demo_page: Any) -> None:
    page = demo_page("coordinator")
    page.goto("/m/musterstadt/participation/")
    page.get_by_role("link", name="Neue Umfrage").click()
    page.get_by_label("Titel").fill("Mitarbeitendenbefragung Homeoffice")
    page.get_by_label("Zielgruppe").select_option(label="nur Beschäftigte der Verwaltung")
    page.get_by_label("Beginn").fill("2020-01-01")
    page.get_by_label("Ende").fill("2099-12-31")
    page.get_by_label("eine Antwort je Person").check()
    page.get_by_label("veröffentlicht").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fragen: Mitarbeitendenbefragung Homeoffice")
    page.get_by_label("Art").select_option(label="Skala")
    page.get_by_label(re.compile(r"^Frage\b")).fill("Wie gut klappt das mobile Arbeiten?")
    page.get_by_label("Pflichtfrage").check()
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.get_by_label("Art").select_option(label="Mehrfachauswahl")
    page.get_by_label(re.compile(r"^Frage\b")).fill("Was fehlt Ihnen?")
    page.get_by_label("Antwortmöglichkeiten").fill("Laptop\nHeadset\nZweiter Bildschirm")
    page.get_by_role("button", name="Frage hinzufügen").click()
    expect(page.get_by_role("listitem").filter(has_text="Was fehlt Ihnen?")).to_contain_text("Headset")

    # A colleague answers, once.
    colleague = demo_page("council")
    colleague.goto("/m/musterstadt/participation/")
    colleague.get_by_role("link", name="Mitarbeitendenbefragung Homeoffice").click()
    colleague.get_by_role("group", name=re.compile("Wie gut klappt")).get_by_label("4").check()
    colleague.get_by_role("group", name=re.compile("Was fehlt")).get_by_label("Headset").check()
    colleague.get_by_label(re.compile("Ich bin einverstanden")).check()
    colleague.get_by_role("button", name="Antworten absenden").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Vielen Dank!")
    colleague.go_back()
    colleague.reload()
    colleague.get_by_role("group", name=re.compile("Wie gut klappt")).get_by_label("2").check()
    colleague.get_by_label(re.compile("Ich bin einverstanden")).check()
    colleague.get_by_role("button", name="Antworten absenden").click()
    expect(colleague.get_by_role("alert")).to_contain_text("schon teilgenommen")
    colleague.context.close()

    page.get_by_role("link", name="Zur Umfrage").click()
    page.get_by_role("link", name="Ergebnisse").click()
    expect(page.get_by_text("1 Antwortbogen")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel herunterladen").click()
    with open(info.value.path(), "rb") as download:
        book = load_workbook(io.BytesIO(download.read()))
    rows = list(book["Antworten"].iter_rows(values_only=True))
    assert rows[0][2:] == ("Wie gut klappt das mobile Arbeiten?", "Was fehlt Ihnen?")
    assert rows[1][2:] == (4, "Headset")

    # The demo's citizens' survey: about 100 responses, with charts.
    page.goto("/m/musterstadt/participation/")
    page.get_by_role("link", name="Bürgerumfrage Digitale Verwaltung 2026").click()
    page.get_by_role("link", name="Ergebnisse").click()
    expect(page.get_by_text("103 Antwortbögen")).to_be_visible()
    expect(page.locator(".chart figure").first).to_be_visible()
