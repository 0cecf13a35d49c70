"""The monitoring issue's "done when" in a real browser: a coordinator runs a survey wave for two Dezernate, turns
the answers into portfolio records, generates the council report as a tagged PDF/UA, freezes the year's revision
and compares it with last year's."""

import re
from datetime import date
from typing import Any

from playwright.sync_api import expect


def test_coordinator_runs_a_wave_reports_to_the_council_and_freezes_the_revision(demo_page: Any) -> None:
    page = demo_page("coordinator")
    page.goto("/m/musterstadt/dashboard/")
    page.get_by_role("link", name="Status-quo-Erhebung").click()

    # A wave for Dezernate III and IV with the questionnaire.
    page.get_by_label("Bezeichnung").fill("Staffel 2: Dezernate III und IV")
    page.get_by_label("Fragebogen", exact=True).select_option(label="Fragebogen Status-quo-Erhebung")
    page.get_by_label("Rückmeldung bis").fill("2099-03-31")
    page.get_by_label("beteiligte Einheiten").select_option(
        label=[
            "Dez. III Dezernat III – Bildung, Soziales und Kultur",
            "Dez. IV Dezernat IV – Bauen, Umwelt und Mobilität",
        ]
    )
    page.get_by_role("button", name="Staffel anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staffel 2: Dezernate III und IV")

    # Each Dezernat's answer, filled in (here in the workshop, by the Stabsstelle).
    for unit in ["Dez. III", "Dez. IV"]:
        page.get_by_role("link", name=re.compile(re.escape(unit))).first.click()
        page.get_by_label("Welche Prozesse sollten zuerst digital werden?").fill(f"Anträge {unit}")
        page.get_by_role("group", name="Wie gut ist die IT-Ausstattung?").get_by_label("4").check()
        page.get_by_label("Vorhaben 1").fill(f"Digitale Akte {unit}")
        page.get_by_label("Stand 1").select_option(label="in Planung")
        page.get_by_label("Budget (EUR) 1").fill("25.000")
        page.get_by_role("button", name="Rückmeldung absenden").click()
        expect(page.get_by_role("status")).to_contain_text("ist eingegangen")
    expect(page.get_by_role("table")).not_to_contain_text("offen")

    # Review: into the portfolio.
    for unit in ["Dez. III", "Dez. IV"]:
        page.get_by_role("button", name=re.compile(f"Ins Portfolio übernehmen.*{re.escape(unit)}")).click()
        expect(page.get_by_role("status")).to_contain_text("1 Vorhaben ist im Portfolio.")
    page.goto("/m/musterstadt/projects/?q=Digitale+Akte+Dez.")
    expect(page.locator("#result-count")).to_contain_text("2 Projekte")

    # The council report as an accessible PDF.
    page.goto("/m/musterstadt/dashboard/")
    page.get_by_role("navigation", name="Berichte").get_by_role("link", name="Sachstandsbericht").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("als PDF")).click()
    with open(info.value.path(), "rb") as download:
        pdf = download.read()
    assert pdf.startswith(b"%PDF") and b"/StructTreeRoot" in pdf and b"pdfuaid" in pdf

    # Freeze this year's revision and compare it with last year's.
    page.goto("/m/musterstadt/dashboard/")
    page.get_by_role("link", name="Fortschreibungen").click()
    page.get_by_label("Bezeichnung").fill(f"Fortschreibung {date.today().year} nach Staffel 2")
    page.get_by_label("Beschluss", exact=True).fill("Gemeinderat, Drucksache 2026/099")
    page.get_by_role("button", name="Einfrieren").click()
    expect(page.get_by_role("status")).to_contain_text("ist eingefroren")
    page.get_by_role("link", name="Versionen vergleichen").click()
    today = date.today()
    page.get_by_label("Von").select_option(label=f"Fortschreibung {today.year - 1} (30.06.{today.year - 1})")
    page.get_by_label("Bis").select_option(label=f"Fortschreibung {today.year} nach Staffel 2 ({today:%d.%m.%Y})")
    page.get_by_role("button", name="Vergleichen").click()
    expect(page.get_by_role("region", name=re.compile("neue Projekte"))).to_contain_text("Digitale Akte Dez. III")
