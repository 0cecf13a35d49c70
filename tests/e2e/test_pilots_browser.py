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


def test_a_pilot_asks_and_a_pilot_from_another_town_answers(page: Any, browser: Any, live_server: Any) -> None:
    import re

    from django.core import mail

    call_command("demo", verbosity=0)
    mail.outbox.clear()
    login(page, "greta.neumann@musterstadt.example", DEMO_PASSWORD)
    page.goto("/networks/landesprogramm-digitallotsen/")
    page.get_by_role("link", name="Forum der Digitallotsen").click()
    expect(page.get_by_role("link", name="Hundesteuer online: welches Portal nutzt ihr?")).to_be_visible()
    page.get_by_role("link", name="Frage stellen").click()
    page.get_by_label("Ihre Frage in einem Satz").fill("Wie rechnet ihr Sondernutzungen online ab?")
    page.get_by_label("Worum geht es genau?").fill(
        "Wir suchen ein Verfahren für Sondernutzungserlaubnisse mit Bezahlung."
    )
    page.get_by_label("Themen").fill("OZG, E-Payment")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Frage ist im Forum")
    question_url = page.url

    # A pilot from Hohenberg finds it by searching and answers.
    other = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    login(other, "digitallotsin@hohenberg.example", DEMO_PASSWORD)
    other.goto("/networks/landesprogramm-digitallotsen/community/")
    other.get_by_label("Suche in Fragen und Antworten").fill("Sondernutzung")
    other.get_by_role("button", name="Suchen").click()
    other.get_by_role("link", name="Wie rechnet ihr Sondernutzungen online ab?").click()
    other.get_by_label("Ihre Antwort").fill(
        "Wir nutzen den Antrag aus dem Landesportal mit ePayBL. Ich schicke euch die Unterlagen."
    )
    other.get_by_role("button", name="Antwort absenden").click()
    expect(other.locator("#answers")).to_contain_text("Hanna Roth, Hohenberg · Digitallotse")
    other.context.close()

    # Greta hears of it by e-mail and marks the answer as helpful.
    (news,) = [m for m in mail.outbox if "Sondernutzungen" in m.subject]
    assert news.to == ["greta.neumann@musterstadt.example"] and "Hanna Roth (Hohenberg)" in news.body
    page.goto(question_url)
    page.get_by_role("button", name="Diese Antwort hat geholfen").click()
    expect(page.get_by_role("status")).to_contain_text("Als hilfreich markiert.")
    expect(page.locator("#answers")).to_contain_text("hat geholfen")
    page.get_by_role("link", name="Zum Forum").click()
    item = page.get_by_role("listitem").filter(has_text="Wie rechnet ihr Sondernutzungen online ab?")
    expect(item).to_contain_text(re.compile("1 Antwort.*gelöst"))
